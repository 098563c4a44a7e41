import type { Language } from "../changes/languages.js";
import type { Rule, SignalDefinition } from "./types.js";
import { TEST_PATH } from "./source-text.js";

/**
 * Cryptography choices on the lines a change adds: hashes, password hashing, ciphers, keys and
 * IVs, randomness that becomes a secret, signing, and TLS settings; and transport protections
 * the change removes (TLS verification, HSTS and other security headers, the secure flag).
 *
 * A weak variant and the plain case can match the same line; the plain rule then carries the
 * weak pattern as `unless`, so the finding says "weak".
 */

/** Tests and fixtures pick fixed IVs, fast hashes and Math.random on purpose. */

const CODE: readonly Language[] = ["js", "python", "go", "java", "ruby", "csharp", "php"];
/** Where TLS switches are written outside application code. */
const OPS: readonly Language[] = ["shell", "dockerfile", "workflow", "yaml", "text", "terraform", "toml", "json"];
const EVERYWHERE: readonly Language[] = [...CODE, ...OPS, "html", "xml"];

/** A key name from a match, lowercased, so a rewrite of the same setting is not a removal. */
const keyOf = (m: RegExpExecArray): string | null => /[A-Za-z_][\w-]*/.exec(m[0])?.[0].toLowerCase() ?? null;

// ---------------------------------------------------------------------------------------------
// Hashes and password hashing
// ---------------------------------------------------------------------------------------------

const WEAK_HASH =
  /\bcreateHash\s*\(\s*['"`](?:md5|MD5|sha1|SHA1|sha-1|SHA-1|md4|ripemd160)['"`]|\bCryptoJS\s*\.\s*(?:MD5|SHA1)\s*\(|\bhashlib\s*\.\s*(?:md5|sha1)\s*\(|\bhashlib\s*\.\s*new\s*\(\s*['"](?:md5|sha1|MD5|SHA1|md4)['"]|\bMessageDigest\s*\.\s*getInstance\s*\(\s*"(?:MD5|MD2|SHA-?1|SHA)"|\bDigestUtils\s*\.\s*(?:md5|sha1|sha|md5DigestAsHex)(?:Hex)?\s*\(|\bHashing\s*\.\s*(?:md5|sha1)\s*\(|\b(?:md5|sha1)\s*\.\s*(?:New|Sum)\s*\(|\bDigest::(?:MD5|SHA1)\b|\bOpenSSL::Digest(?:::(?:MD5|SHA1)\b|\.new\s*\(\s*['"](?:MD5|SHA1|md5|sha1)['"])|\bmd5\s*\(|\b(?:MD5|SHA1)\.Create\s*\(/;
/** Said to be a cache key, ETag, checksum or non-security digest on the line itself. */
const NOT_FOR_SECURITY =
  /usedforsecurity\s*=\s*False|[Ee][Tt]ag|[Cc]ache_?[Kk]ey|CACHE_KEY|[Cc]hecksum|[Ff]ingerprint|[Cc]ontent_?[Hh]ash|[Ff]ile_?[Hh]ash|[Gg]ravatar|[Dd]edup|[Bb]ucket|[Ss]hard|[Pp]artition/;

const WEAK_PASSWORD_HASH =
  /\bNoOpPasswordEncoder\b|\b(?:Md5|LdapSha|MessageDigest|Standard)PasswordEncoder\b|\b(?:Unsalted)?(?:MD5|SHA1|UnsaltedSHA1|UnsaltedMD5)PasswordHasher\b/;
/** Work factors below today's floor: bcrypt cost under 10, PBKDF2 under 10,000 iterations. */
const LOW_COST =
  /\b(?:salt_?[Rr]ounds|SALT_ROUNDS|BCRYPT_\w{0,20}ROUNDS|bcrypt_?[Rr]ounds|bcryptRounds|BCRYPT_COST|bcrypt_cost)\s*[:=]\s*[1-9]\b(?![.\d])|\bgensalt\s*\(\s*(?:rounds\s*=\s*)?[1-9]\s*\)|\bgenSalt(?:Sync)?\s*\(\s*[1-9]\s*[,)]|\bbcrypt(?:js)?\s*\.\s*hash(?:Sync)?\s*\([^,\n]{1,80},\s*[1-9]\s*[,)]|\bGenerateFromPassword\s*\([^,\n]{1,80},\s*(?:bcrypt\.MinCost|[1-9])\s*\)|\bnew\s+BCryptPasswordEncoder\s*\(\s*[1-9]\s*\)|\bBCrypt::Engine\.cost\s*=\s*[1-9]\b|\bPBKDF2_\w{0,20}ITERATIONS\s*=\s*\d{1,4}\b(?![\d_])|\bpbkdf2_hmac\s*\([^)\n]{1,120},\s*\d{1,4}\s*[,)]|\bpbkdf2(?:Sync)?\s*\([^,\n]{1,80},[^,\n]{1,80},\s*\d{1,4}\s*,/;
const PASSWORD_HASH =
  /\bbcrypt(?:js)?\s*\.\s*(?:hash|hashSync|genSalt|genSaltSync|hashpw|gensalt)\s*\(|\bargon2\s*\.\s*hash\s*\(|\b(?:crypto\s*\.\s*)?(?:scrypt|scryptSync|pbkdf2|pbkdf2Sync)\s*\(|\bmake_password\s*\(|\bgenerate_password_hash\s*\(|\bhashlib\s*\.\s*(?:pbkdf2_hmac|scrypt)\s*\(|\bCryptContext\s*\(|\bPasswordHasher\s*\(|\bPBKDF2HMAC\s*\(|\bScrypt\s*\(|\bPASSWORD_HASHERS\b|\bbcrypt\s*\.\s*GenerateFromPassword\s*\(|\b(?:pbkdf2|scrypt)\s*\.\s*Key\s*\(|\bargon2\s*\.\s*(?:IDKey|Key)\s*\(|\bnew\s+(?:BCrypt|Argon2|Pbkdf2|SCrypt)PasswordEncoder\s*\(|\bPasswordEncoderFactories\b|\bnew\s+PBEKeySpec\s*\(|\bSecretKeyFactory\s*\.\s*getInstance\s*\(\s*"PBKDF2|\bBCrypt\s*\.\s*(?:hashpw|gensalt)\s*\(|\bBCrypt::(?:Password\.create|Engine)\b|\bOpenSSL::(?:PKCS5\.pbkdf2_hmac|KDF\.(?:pbkdf2_hmac|scrypt))\b|\bArgon2::Password\b|\bconfig\.stretches\s*=|\bpassword_hash\s*\(|\b(?:salt_?[Rr]ounds|SALT_ROUNDS|BCRYPT_\w{0,20}ROUNDS|bcrypt_?[Rr]ounds|bcryptRounds|BCRYPT_COST|bcrypt_cost|PBKDF2_\w{0,20}ITERATIONS|pbkdf2_?[Ii]terations|HASH_ITERATIONS|memoryCost|timeCost)\s*[:=]/;

// ---------------------------------------------------------------------------------------------
// Ciphers, keys and IVs, signing
// ---------------------------------------------------------------------------------------------

/**
 * ECB, DES/3DES, RC4/RC2, Blowfish, or a JCE transformation that defaults to ECB ("AES").
 * "RSA/ECB/..." is only the JCE's name for a single-block RSA transformation, not ECB mode.
 */
const WEAK_CIPHER =
  /\b(?:createCipheriv|createDecipheriv|createCipher|createDecipher|Cipher\.getInstance|SecretKeyFactory\.getInstance|KeyGenerator\.getInstance|Cipher\.new|Cipher::\w+\.new|AES\.new)\s*\(\s*(?!"RSA\/)[^)\n]{0,60}?(?<![A-Za-z])(?:[Ee][Cc][Bb]|[Dd][Ee][Ss](?:[Ee][Dd][Ee])?|3[Dd][Ee][Ss]|[Tt]riple[Dd][Ee][Ss]|[Rr][Cc][24]|[Aa][Rr][Cc][Ff][Oo][Uu][Rr]|[Bb]lowfish)(?![A-Za-z])|\bmodes\.ECB\b|\balgorithms\.(?:TripleDES|ARC4|Blowfish|CAST5|IDEA|SEED)\b|\b(?:DES|DES3|ARC4|ARC2|Blowfish)\.new\b|\b(?:des|rc4)\.New(?:TripleDES)?Cipher\b|\bCryptoJS\.(?:DES|TripleDES|RC4|RC4Drop)\b|\bCryptoJS\.mode\.ECB\b|\bCipher\.getInstance\s*\(\s*"(?:AES|DES|DESede|Blowfish|RC4|ARCFOUR)"\s*\)/;
const CIPHER =
  /\bcreate(?:Cipheriv|Decipheriv|Cipher|Decipher)\s*\(|\bcrypto\s*\.\s*subtle\s*\.\s*(?:encrypt|decrypt|importKey|generateKey|wrapKey|unwrapKey|deriveKey)\s*\(|\bCryptoJS\s*\.\s*(?:AES|DES|TripleDES|RC4|Rabbit)\s*\.\s*(?:encrypt|decrypt)\s*\(|\b(?:Multi)?Fernet\s*\(|\bFernet\.generate_key\s*\(|\bfrom\s+cryptography\.hazmat\.primitives\.ciphers\b|\bCipher\s*\(\s*algorithms\.|\b(?:AESGCM|AESCCM|ChaCha20Poly1305|AESSIV|AESOCB3)\s*\(|\b(?:AES|DES|DES3|ARC4|Blowfish|ChaCha20|Salsa20)\s*\.\s*new\s*\(|\baes\s*\.\s*NewCipher\s*\(|\bcipher\s*\.\s*New(?:GCM|GCMWithNonceSize|CBCEncrypter|CBCDecrypter|CFBEncrypter|CFBDecrypter|CTR|OFB)\s*\(|\b(?:des|rc4)\s*\.\s*New(?:TripleDES)?Cipher\s*\(|\bchacha20poly1305\s*\.\s*NewX?\s*\(|\bsecretbox\s*\.\s*(?:Seal|Open)\s*\(|\bCipher\s*\.\s*getInstance\s*\(|\bnew\s+SecretKeySpec\s*\(|\bKeyGenerator\s*\.\s*getInstance\s*\(|\bOpenSSL::Cipher(?:::\w+)?\s*\.\s*new\s*\(|\bActiveSupport::MessageEncryptor\s*\.\s*new\s*\(|\bRbNaCl::\w+|^\s*encrypts\s+:\w+|\bopenssl_(?:en|de)crypt\s*\(/;

/**
 * The assignment is found from its operator, with the IV's name checked behind it: the same
 * lines, without trying `\w{0,30}_IV` at every word.
 */
const STATIC_IV =
  /(?:=|:=?)(?<=\b(?:iv|IV|initVector|init_vector|INIT_VECTOR|\w{0,30}_IV|[a-z]\w{0,30}Iv)\s*(?::=|=|:))\s*(?:b?['"][^'"]{4,}['"]|Buffer\.(?:from|alloc)\s*\(\s*['"\d]|new\s+byte\s*\[\s*\d|bytes\s*\(\s*\d|\[\]byte\s*\(\s*"|\[\]byte\s*\{)|\bnew\s+IvParameterSpec\s*\(\s*(?:new\s+byte\s*\[|"[^"]*"\s*\.\s*getBytes)|\bnew\s+SecretKeySpec\s*\(\s*"[^"]*"\s*\.\s*getBytes|\bnew\s+GCMParameterSpec\s*\(\s*\d+\s*,\s*new\s+byte\s*\[|\.iv\s*=\s*['"][^'"]{4,}['"]|\bcreateCipheriv\s*\([^,\n]{1,80},[^,\n]{1,80},\s*(?:Buffer\.(?:alloc|from)\s*\(\s*(?:\d|['"])|['"])/;

const WEAK_KEY_SIZE =
  /\bmodulusLength\s*:\s*(?:512|768|1024)\b|\brsa\.GenerateKey\s*\([^,\n]{1,80},\s*(?:512|768|1024)\s*\)|\.initialize\s*\(\s*(?:512|768|1024)\s*[,)]|\bRSA\.generate\s*\(\s*(?:512|768|1024)\b|\bPKey::RSA\.(?:new|generate)\s*\(\s*(?:512|768|1024)\b|\bkey_size\s*=\s*(?:512|768|1024)\b/;
const SIGNING =
  /\bcreateHmac\s*\(|\bcreate(?:Sign|Verify)\s*\(|\bgenerateKeyPair(?:Sync)?\s*\(|\bhmac\s*\.\s*(?:new|New)\s*\(|\bMac\s*\.\s*getInstance\s*\(|\bSignature\s*\.\s*getInstance\s*\(|\bKeyPairGenerator\s*\.\s*getInstance\s*\(|\bOpenSSL::HMAC\b|\bOpenSSL::PKey::\w+\.(?:new|generate)\b|\b(?:rsa|ecdsa|ed25519)\s*\.\s*(?:GenerateKey|Sign\w*|Verify\w*|Encrypt\w*|Decrypt\w*)\s*\(|\b(?:rsa|ec|ed25519)\s*\.\s*generate_private_key\s*\(|\bRSA\.generate\s*\(|\bcrypto\s*\.\s*(?:sign|verify|publicEncrypt|privateDecrypt)\s*\(/;

// ---------------------------------------------------------------------------------------------
// Randomness that becomes a secret
// ---------------------------------------------------------------------------------------------

/**
 * The line names what the value becomes: a token, secret, password, nonce, salt, key, OTP, code,
 * session or id, as a word, a snake_case part or a camelCase part (resetToken, userId, API_KEY).
 */
const SECRET_NAME =
  "(?:\\b(?:tokens?|secret|passw(?:or)?d|pwd|nonce|salt|otp|pin|code|session|sid|uuid|guid|id|key|csrf|apikey|verifier|invite|reset|coupon|voucher)(?![a-z])|(?<=[a-z0-9])(?:Tokens?|Secret|Password|Passwd|Pwd|Nonce|Salt|Otp|OTP|Pin|PIN|Code|Session|Sid|Uuid|UUID|Guid|Id|ID|Key|Csrf|CSRF|Verifier)(?![a-z])|_(?:tokens?|secret|password|nonce|salt|otp|pin|code|session|id|key)(?![a-z])|(?:\\b|_)(?:TOKEN|SECRET|PASSWORD|NONCE|SALT|OTP|PIN|CODE|SESSION|ID|KEY)(?![A-Z]))";
/** Shuffles, jitter, animation, sampling and React keys are not secrets. */
const NOT_A_SECRET =
  /[Ss]huffle|[Jj]itter|[Bb]ackoff|[Dd]elay|(?<![.\w])[Ss]ampl|[a-z_]Sampl|SAMPL|[Aa]nimat|[Cc]olou?r|[Oo]pacity|[Dd]uration|\.sort\s*\(|\bkey\s*=\s*\{|\b(?:width|height)\b|[Pp]robability|[Cc]hance\b|[Pp]laceholder|[Ff]aker\b|[Mm]ock/;
/**
 * A line with the random call and a secret's name anywhere. The first call is found (the
 * lookahead is atomic, so a failure is not retried at later calls: the line stays linear), then
 * the name is looked for behind or ahead of where that call ends. A name cannot straddle that
 * point (every call ends with `(` or at a word's end), so this is the name anywhere on the line,
 * without trying the name's many alternatives at every position as `^(?=[^]*?name)` does.
 */
const weakRandom = (rng: string) => new RegExp(`^(?=([^]*?(?:${rng})))\\1(?:(?<=${SECRET_NAME}[^]*)|(?=[^]*?${SECRET_NAME}))`);
const RANDOM_LABEL = "non-cryptographic randomness for a secret value";

// ---------------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------------

const TLS_OFF_CODE =
  /\brejectUnauthorized\s*:\s*false\b|\bNODE_TLS_REJECT_UNAUTHORIZED\b['"]?\]?\s*[:=]\s*['"]?0|\bstrictSSL\s*:\s*false\b|\bcheckServerIdentity\s*:\s*\(\s*\)\s*=>|\bverify\s*=\s*False\b|\b_create_unverified_context\b|\bCERT_NONE\b|\bcheck_hostname\s*=\s*False\b|\burllib3\.disable_warnings\s*\(|\b(?:ssl_verify|verify_ssl|VERIFY_SSL|SSL_VERIFY|verify_certs|ssl_cert_reqs)\s*[=:]\s*(?:False|false|['"]?none|0)\b|\bInsecureSkipVerify\s*:\s*true\b|\b[Tt]rustAll\w*|\bALLOW_ALL_HOSTNAME_VERIFIER\b|\b(?:NoopHostnameVerifier|AllowAllHostnameVerifier|TrustAllStrategy|TrustSelfSignedStrategy|InsecureTrustManagerFactory)\b|\bsetHostnameVerifier\s*\(\s*\(\s*\w*\s*,\s*\w*\s*\)\s*->\s*true|\bhostnameVerifier\s*\{\s*_\s*,\s*_\s*->\s*true|\bVERIFY_NONE\b|\bssl\s*:\s*\{\s*verify\s*:\s*false|\bServerCertificateCustomValidationCallback\s*=\s*(?:\([^)]*\)\s*=>\s*true|HttpClientHandler\.DangerousAcceptAnyServerCertificateValidator)|\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:0|false)\b/;
/** PyJWT's `verify=False` belongs to the auth signal. */
const JWT_LINE = /\bjwt\b|\bJWT\b/;
const TLS_OFF_OPS =
  /\bcurl\b[^\n|;&]{0,200}?\s(?:--insecure\b|-[A-Za-z]{0,8}k[A-Za-z]{0,8}(?=\s|$))|\bwget\b[^\n|;&]{0,200}?\s--no-check-certificate\b|\bhttp\.sslVerify\s+false\b|\bGIT_SSL_NO_VERIFY\b['"]?\s*[:=]\s*['"]?(?:1|true)|\bNODE_TLS_REJECT_UNAUTHORIZED\b['"]?\s*[:= ]\s*['"]?0|\bstrict-ssl\s*[= ]\s*false\b|\bPYTHONHTTPSVERIFY\s*[:=]\s*['"]?0|--insecure-skip-tls-verify\b(?!\s*=\s*false)|\binsecure-skip-tls-verify\s*:\s*true\b|\binsecureSkipVerify\s*:\s*true\b|\b(?:tls_skip_verify|skip_tls_verify|insecure_skip_verify|insecure_skip_tls_verify)\s*[:=]\s*true\b|^\s*insecure\s*=\s*true\b|--tls-verify=false\b|\bsslverify\s*=\s*(?:0|false|False)\b|--trusted-host\b/;

const OLD_TLS =
  /\b(?:TLSv1|TLSv1_0|TLSv1\.0|TLSv1_1|TLSv1\.1|SSLv2|SSLv3)(?![\w.])|\bTLSv1(?:_1)?_(?:method|client_method|server_method)\b|\btls\.Version(?:TLS10|TLS11|SSL30)\b|\bPROTOCOL_(?:TLSv1|TLSv1_1|SSLv2|SSLv3)\b|\bTLSVersion\.(?:TLSv1|TLSv1_1|SSLv3)\b|\b(?:min(?:imum)?_?tls_?version|minTlsVersion|MinimumTlsVersion|ssl_minimum_protocol_version)\s*[=:]\s*['"]?(?:1\.[01]|TLS1_[01]|TLS_?1_[01]|TLSv1(?:\.[01])?)['"]?(?![\d.])|\bTLS_1_[01]\b|\bTLS1_[01]\b|\bSslProtocols\.(?:Tls|Tls11|Ssl3)\b/;
/** Options that switch an old protocol off (SSL_OP_NO_TLSv1, -TLSv1) are the opposite of lowering. */
const OLD_TLS_DISABLED = /\bNO_(?:TLSv1|SSLv[23])|[-!](?:TLSv1|SSLv3)\b/;
const CIPHER_SUITES =
  /\bciphers\s*[:=]|\bCipherSuites\s*:|\bssl_ciphers\b|\bset_ciphers\s*\(|\bsetEnabledCipherSuites\s*\(|\bSSLCipherSuite\b|\bhonorCipherOrder\s*:|\bssl_policy\s*=|\bsecurity_policy\s*=\s*"TLS|\bcipher_suites\b|\bssl_cipher\s*=/;

// ---------------------------------------------------------------------------------------------
// Security headers and HTTPS enforcement
// ---------------------------------------------------------------------------------------------

const HEADER_OFF =
  /\b(?:contentSecurityPolicy|hsts|frameguard|strictTransportSecurity|noSniff)\s*:\s*false\b|\bSECURE_HSTS_SECONDS\s*=\s*0\b|\bconfig\.force_ssl\s*=\s*false\b|\bSECURE_SSL_REDIRECT\s*=\s*False\b|\.(?:hsts|httpStrictTransportSecurity|frameOptions|contentSecurityPolicy|xssProtection|contentTypeOptions)\s*\(\s*(?:\w+\s*->\s*\w+\s*\.\s*disable\s*\(\s*\)|HeadersConfigurer\.\w+::disable)|\.headers\s*\(\s*(?:\w+\s*->\s*\w+\s*\.\s*disable\s*\(\s*\)|AbstractHttpConfigurer::disable)|\.headers\s*\(\s*\)\s*\.\s*disable\s*\(|\bforce_https\s*=\s*False\b|\bstrict_transport_security\s*=\s*False\b/;
/** A header or HTTPS setting in place; its off forms (`hsts: false`) are not protections to lose. */
const HEADER_KEPT =
  /\bhelmet(?:\.\w+)?\s*\(|\bStrict-Transport-Security\b|\bhsts\b(?!['"]?\s*[:=]\s*(?:false|False|0)\b)|\bSECURE_HSTS_\w+(?!\s*=\s*(?:0|False)\b)|\bSECURE_SSL_REDIRECT\b(?!\s*=\s*False\b)|\bSECURE_(?:CONTENT_TYPE_NOSNIFF|BROWSER_XSS_FILTER|REFERRER_POLICY|PROXY_SSL_HEADER)\b|^\s*['"]django\.middleware\.security\.SecurityMiddleware['"]|\bTalisman\s*\(|\bforce_ssl\b(?!\s*=\s*false\b)|\.httpStrictTransportSecurity\s*\((?!\s*\w+\s*->\s*\w+\s*\.\s*disable)|\.requiresChannel\s*\(|\.requiresSecure\s*\(|\bContent-Security-Policy\b|\bX-Frame-Options\b|\bX-Content-Type-Options\b|\bcontentSecurityPolicy\b(?!['"]?\s*:\s*false\b)|\bsecure\.New\s*\(|\bSTSSeconds\s*:|\bSSLRedirect\s*:\s*true\b|\bsecureHeaders\s*\(|\bforce_https\b(?!\s*=\s*False\b)|\bUseHsts\s*\(|\bUseHttpsRedirection\s*\(/;

// ---------------------------------------------------------------------------------------------
// Removed transport protections
// ---------------------------------------------------------------------------------------------

/** TLS verification written down; any value but off, so `verify=True` -> `verify=ca_path` is a rewrite. */
const TLS_KEPT =
  /\brejectUnauthorized\s*:\s*(?!false\b)[\w'"!(]|\bverify\s*=\s*(?!False\b)(?:True\b|certifi\.where\s*\(|[\w.]{0,40}(?:ca_?bundle|ca_?cert|ca_?path|CA_BUNDLE|cafile)\w*)|\bcheck_hostname\s*=\s*True\b|\bCERT_REQUIRED\b|\bVERIFY_PEER\b|\bstrictSSL\s*:\s*true\b|\bRootCAs\s*:|\bssl_verify\s*[=:]\s*(?:True|true)\b|\bverify_ssl\s*[=:]\s*(?:True|true)\b|\bsetHostnameVerifier\s*\(\s*(?:new\s+)?(?:DefaultHostnameVerifier|StrictHostnameVerifier)|\bhttp\.sslVerify\s+true\b|\bsslverify\s*=\s*(?:1|true|True)\b|\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:1|2|true)\b/;
const tlsKey = (m: RegExpExecArray): string | null => {
  const k = keyOf(m);
  return k === "cert_required" || k === "verify_peer" ? "verify_mode" : k;
};

/** The secure flag on cookies and connections, with any value but off. */
/** `secure:` is found from the word, with what opens it checked behind (the identity, the first word, is the same). */
const SECURE_KEPT =
  /secure(?<=(?:^|[{,(])\s*secure)\s*:\s*(?!false\b|nil\b)[\w'"!(]|[(,]\s*secure\s*=\s*(?!False\b|None\b)\w|\bSecure\s*:\s*(?!false\b)\w|\b(?:setSecure|\.secure)\s*\(\s*(?!false\b)\w|\b(?:SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|REMEMBER_COOKIE_SECURE)\s*=\s*(?!False\b)\w|\bcookie_secure\s*=\s*(?!false\b)\w|\bserver\.servlet\.session\.cookie\.secure\s*=\s*true\b/;

const RULES: Rule[] = [
  // Hashes
  { label: "weak hash (MD5/SHA-1)", languages: CODE, pattern: WEAK_HASH, unless: NOT_FOR_SECURITY },
  { label: "weak password hashing", languages: [...CODE, "text", "yaml"], pattern: WEAK_PASSWORD_HASH },
  { label: "password hashing cost lowered", languages: CODE, pattern: LOW_COST },
  { label: "password hashing", languages: CODE, pattern: PASSWORD_HASH, unless: new RegExp(`${LOW_COST.source}|${WEAK_PASSWORD_HASH.source}`) },
  // Ciphers, keys, signing
  { label: "weak cipher or mode (ECB/DES/3DES/RC4)", languages: CODE, pattern: WEAK_CIPHER },
  { label: "static IV or key in code", languages: CODE, pattern: STATIC_IV },
  { label: "cipher use", languages: CODE, pattern: CIPHER, unless: new RegExp(`${STATIC_IV.source}|${WEAK_CIPHER.source}`) },
  { label: "weak key size", languages: CODE, pattern: WEAK_KEY_SIZE },
  { label: "signing, HMAC or key generation", languages: CODE, pattern: SIGNING, unless: WEAK_KEY_SIZE },
  // Randomness
  { label: RANDOM_LABEL, languages: ["js"], pattern: weakRandom("\\bMath\\.random\\s*\\("), unless: NOT_A_SECRET },
  {
    label: RANDOM_LABEL,
    languages: ["python"],
    pattern: weakRandom("(?<![\\w.])random\\.(?:random|randint|randrange|choice|choices|sample|getrandbits|uniform|randbytes)\\s*\\("),
    unless: NOT_A_SECRET,
  },
  {
    label: RANDOM_LABEL,
    languages: ["go"],
    pattern: weakRandom("\\brand\\.(?:Intn|IntN|Int63n?|Int31n?|Int32N?|Int64N?|Uint32|Uint64|UintN|Float32|Float64|Perm|Shuffle|N|NewSource|Seed)\\s*\\("),
    unless: NOT_A_SECRET,
  },
  {
    label: RANDOM_LABEL,
    languages: ["java"],
    pattern: weakRandom("\\bnew\\s+Random\\s*\\(|\\bMath\\.random\\s*\\(|\\bThreadLocalRandom\\.current\\s*\\(|\\bRandomStringUtils\\.random\\w*\\s*\\(|\\bRandomUtils\\.next\\w*\\s*\\("),
    unless: NOT_A_SECRET,
  },
  {
    label: RANDOM_LABEL,
    languages: ["ruby"],
    pattern: weakRandom("(?<![\\w.:])rand\\s*\\(|\\bRandom\\.(?:rand|new)\\b|\\.sample\\b|\\bKernel\\.rand\\b"),
    unless: NOT_A_SECRET,
  },
  // TLS
  { label: "TLS verification turned off", languages: CODE, pattern: TLS_OFF_CODE, unless: JWT_LINE },
  { label: "TLS verification turned off", languages: OPS, pattern: TLS_OFF_OPS },
  { label: "minimum TLS version lowered", languages: EVERYWHERE, pattern: OLD_TLS, unless: OLD_TLS_DISABLED },
  { label: "TLS cipher suites or policy configured", languages: EVERYWHERE, pattern: CIPHER_SUITES, unless: OLD_TLS },
  { label: "security header or HTTPS enforcement disabled", languages: [...CODE, "text", "yaml"], pattern: HEADER_OFF },

  // Removed protections
  { label: "removed: TLS verification", languages: EVERYWHERE, on: "removed", pattern: TLS_KEPT, identity: tlsKey },
  {
    label: "removed: security header or HTTPS enforcement",
    languages: EVERYWHERE,
    on: "removed",
    pattern: HEADER_KEPT,
    identity: keyOf,
  },
  { label: "removed: secure flag (cookie or connection)", languages: [...CODE, "text"], on: "removed", pattern: SECURE_KEPT, identity: keyOf },
];

export const crypto: SignalDefinition = {
  id: "crypto",
  title: "Cryptography or TLS change",
  stride: ["information-disclosure", "tampering", "spoofing"],
  severity: "high",
  question:
    "Is this algorithm, mode, key, IV or random source fit for protecting the data it guards, and does every connection still verify the certificate and hostname of the party it talks to?",
  detects:
    "Weak hashes (MD5/SHA-1 through createHash, hashlib, MessageDigest, DigestUtils, Go md5/sha1, Ruby Digest); password hashing (bcrypt, scrypt, argon2, PBKDF2, Django/Werkzeug/passlib, Spring PasswordEncoders, Devise stretches) with weak encoders and lowered work factors labelled apart; ciphers (createCipheriv, WebCrypto, CryptoJS, Fernet, cryptography hazmat, PyCryptodome, Go crypto/aes and cipher.NewGCM, JCE Cipher, OpenSSL::Cipher, Rails encrypts) with ECB/DES/3DES/RC4/Blowfish labelled weak; static IVs and literal keys; weak RSA key sizes; HMAC, signing and key generation; Math.random, random, math/rand, java.util.Random, Ruby rand where the line names a token, secret, password, nonce, salt, key, OTP, code, session or id; TLS verification off (rejectUnauthorized false, NODE_TLS_REJECT_UNAUTHORIZED=0, verify=False, InsecureSkipVerify, unverified contexts, trust-all managers and hostname verifiers, VERIFY_NONE, curl -k, wget --no-check-certificate, git sslVerify false, skip-tls-verify flags); TLS 1.0/1.1 and SSL protocol versions; cipher suites and TLS policies; security headers switched off. Removed TLS verification settings, security headers (helmet, HSTS, CSP, SecurityMiddleware, force_ssl) and secure flags fire as 'removed: ...'.",
  falsePositives:
    "MD5/SHA-1 used for a non-security digest the line does not name as such; a cipher used correctly (it still asks); random values for ids that are not secrets when the line says id; a secure flag removed from a connection that no longer needs it. Not fired: Math.random and friends for shuffles, jitter, backoff, animation, colours or sampling, or on lines that do not name a secret (token, password, nonce, salt, key, OTP, code, session, id); MD5 said to be a cache key, ETag, checksum, fingerprint or usedforsecurity=False; content digests (@sha256 image digests, go.sum, integrity sha512-, sha256sum checks in Dockerfiles, commit SHAs); crypto.randomBytes, secrets, SecureRandom and crypto/rand; the word key on its own; test files; settings only moved or reformatted, or removed and re-added with another value.",
  flows: "all",
  rules: RULES.map((r) => ({ skipPaths: TEST_PATH, ...r })),
};
