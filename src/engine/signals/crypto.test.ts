import { describe, expect, it } from "vitest";
import { hitsForAdded, hitsForRemoved, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { crypto } from "./crypto.js";

signalCases(crypto, {
  fires: {
    "src/security/tokens.ts": [
      "const digest = crypto.createHash('md5').update(password).digest('hex');",
      "const sig = crypto.createHash('sha1').update(payload + secret).digest('hex');",
      "const hash = await bcrypt.hash(password, 12);",
      "const hash = await bcrypt.hash(password, 4);",
      "const derived = crypto.pbkdf2Sync(password, salt, 1000, 32, 'sha256');",
      "const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);",
      "const cipher = crypto.createCipheriv('aes-128-ecb', key, null);",
      "const cipher = crypto.createCipheriv('des-ede3-cbc', key, iv);",
      "const iv = Buffer.from('0123456789abcdef');",
      "const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });",
      "const mac = crypto.createHmac('sha256', webhookSecret).update(body).digest('hex');",
      "const resetToken = Math.random().toString(36).slice(2);",
      "user.otp = Math.floor(100000 + Math.random() * 900000);",
      "const sessionId = `${Date.now()}-${Math.random()}`;",
      "const agent = new https.Agent({ rejectUnauthorized: false });",
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      "const server = tls.createServer({ minVersion: 'TLSv1', key, cert });",
      "  ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:!RC4',",
      "app.use(helmet({ contentSecurityPolicy: false, hsts: false }));",
    ],
    "app/security.py": [
      "    token = hashlib.md5(f'{user.id}{time.time()}'.encode()).hexdigest()",
      "    h = hashlib.sha1(password.encode()).hexdigest()",
      "    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=6))",
      "    dk = hashlib.pbkdf2_hmac('sha256', password, salt, 600000)",
      "    f = Fernet(settings.FIELD_ENCRYPTION_KEY)",
      "    cipher = AES.new(key, AES.MODE_ECB)",
      "    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))",
      "    iv = b'\\x00' * 16",
      "    otp = ''.join(random.choice(string.digits) for _ in range(6))",
      "    api_key = '%032x' % random.getrandbits(128)",
      "    resp = requests.get(url, verify=False, timeout=10)",
      "    ctx = ssl._create_unverified_context()",
      "    ctx.check_hostname = False",
      "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)",
      "    signature = hmac.new(secret, body, hashlib.sha256).hexdigest()",
    ],
    "app/settings.py": ["PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']", "SECURE_HSTS_SECONDS = 0"],
    "internal/crypto/crypto.go": [
      "\th := md5.New()",
      "\tsum := sha1.Sum([]byte(password))",
      "\thash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)",
      "\thash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)",
      "\tblock, err := aes.NewCipher(key)",
      "\taead, err := cipher.NewGCM(block)",
      "\tblock, err := des.NewTripleDESCipher(key)",
      "\tiv := []byte(\"1234567890123456\")",
      "\ttoken := fmt.Sprintf(\"%d\", rand.Int63())",
      "\tcode := rand.Intn(900000) + 100000",
      "\tTLSClientConfig: &tls.Config{InsecureSkipVerify: true},",
      "\tcfg := &tls.Config{MinVersion: tls.VersionTLS10}",
      "\t\tCipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},",
      "\tpriv, err := rsa.GenerateKey(rand.Reader, 1024)",
    ],
    "src/main/java/com/acme/Crypto.java": [
      "        MessageDigest md = MessageDigest.getInstance(\"MD5\");",
      "        MessageDigest md = MessageDigest.getInstance(\"SHA-1\");",
      "        Cipher cipher = Cipher.getInstance(\"AES/GCM/NoPadding\");",
      "        Cipher cipher = Cipher.getInstance(\"AES/ECB/PKCS5Padding\");",
      "        Cipher cipher = Cipher.getInstance(\"AES\");",
      "        Cipher cipher = Cipher.getInstance(\"DESede/CBC/PKCS5Padding\");",
      "        IvParameterSpec iv = new IvParameterSpec(new byte[16]);",
      "        SecretKeySpec key = new SecretKeySpec(\"0123456789abcdef\".getBytes(), \"AES\");",
      "        return new BCryptPasswordEncoder(12);",
      "        return NoOpPasswordEncoder.getInstance();",
      "        String token = Long.toHexString(new Random().nextLong());",
      "        String resetCode = RandomStringUtils.randomNumeric(6);",
      "        HttpsURLConnection.setDefaultHostnameVerifier(SSLConnectionSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER);",
      "        TrustManager[] trustAllCerts = new TrustManager[] { new X509TrustManager() {",
      "        builder.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);",
      "        SSLContext ctx = SSLContext.getInstance(\"TLSv1.1\");",
      "        Mac mac = Mac.getInstance(\"HmacSHA256\");",
    ],
    "src/main/kotlin/com/acme/Client.kt": ["        hostnameVerifier { _, _ -> true }"],
    "lib/token_generator.rb": [
      "    Digest::MD5.hexdigest(\"#{user.id}#{Time.now.to_i}\")",
      "    Digest::SHA1.hexdigest(password + salt)",
      "    BCrypt::Password.create(password, cost: 12)",
      "    cipher = OpenSSL::Cipher.new('aes-256-ecb')",
      "    cipher = OpenSSL::Cipher.new('aes-256-gcm')",
      "    http.verify_mode = OpenSSL::SSL::VERIFY_NONE",
      "    self.api_token = rand(36**32).to_s(36)",
      "    password = Array.new(12) { CHARS.sample }.join",
      "    key = OpenSSL::PKey::RSA.new(1024)",
    ],
    "app/models/patient.rb": ["  encrypts :ssn, deterministic: true"],
    "config/initializers/devise.rb": ["  config.stretches = Rails.env.test? ? 1 : 11"],
    "scripts/bootstrap.sh": [
      "curl -k https://internal.example.com/install.sh -o install.sh",
      "curl -fsSLk https://artifacts.corp/tool.tar.gz | tar xz",
      "wget --no-check-certificate https://internal/ca.pem",
      "git config --global http.sslVerify false",
      "kubectl --insecure-skip-tls-verify apply -f deploy.yaml",
    ],
    Dockerfile: [
      "RUN curl --insecure -o /tmp/agent.deb https://repo.internal/agent.deb",
      "ENV NODE_TLS_REJECT_UNAUTHORIZED=0",
      "RUN pip install --trusted-host pypi.internal -r requirements.txt",
    ],
    ".github/workflows/deploy.yml": ["      - run: curl -sk https://staging.example.com/healthz"],
    "deploy/traefik.yaml": ["      insecureSkipVerify: true"],
    "infra/db.tf": ["  min_tls_version = \"TLS1_0\"", "  ssl_policy        = \"ELBSecurityPolicy-2016-08\""],
    "deploy/nginx/site.conf": ["    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;"],
  },
  silent: {
    "src/ui/Carousel.tsx": [
      "const shuffled = [...cards].sort(() => Math.random() - 0.5);",
      "const delay = 200 + Math.random() * 300;",
      "const jitterMs = Math.random() * 1000;",
      "if (Math.random() < SAMPLE_RATE) reportMetric(name, value);",
      "<li key={Math.random()}>{item.label}</li>",
      "const hue = Math.floor(Math.random() * 360);",
      "const key = await crypto.subtle.digest('SHA-256', data);",
      "const id = crypto.randomUUID();",
      "const token = crypto.randomBytes(32).toString('hex');",
      "const etag = crypto.createHash('md5').update(body).digest('hex');",
      "const cacheKey = createHash('md5').update(url).digest('hex');",
      "const digest = crypto.createHash('sha256').update(body).digest('hex');",
      "const keyboardShortcut = 'ctrl+k';",
      "// const agent = new https.Agent({ rejectUnauthorized: false });",
      "const agent = new https.Agent({ rejectUnauthorized: true, ca });",
      "const server = tls.createServer({ minVersion: 'TLSv1.2', key, cert });",
      "const options = { secureOptions: constants.SSL_OP_NO_TLSv1 | constants.SSL_OP_NO_TLSv1_1 };",
    ],
    "app/cache.py": [
      "    key = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()",
      "    checksum = hashlib.md5(chunk).hexdigest()",
      "    digest = hashlib.sha256(data).hexdigest()",
      "    token = secrets.token_urlsafe(32)",
      "    sample = random.sample(population, k=10)",
      "    delay = random.uniform(0.5, 1.5) * backoff",
      "    claims = jwt.decode(token, verify=False)",
      "    value = np.random.randint(0, 10, size=100)",
      "    resp = requests.get(url, timeout=10)",
    ],
    "internal/retry/retry.go": [
      "\tsleep := time.Duration(rand.Int63n(int64(maxJitter)))",
      "\tif _, err := rand.Read(nonce); err != nil {",
      "\tn, err := rand.Int(rand.Reader, max)",
      "\tcfg := &tls.Config{MinVersion: tls.VersionTLS12}",
      "\tsum := sha256.Sum256(data)",
    ],
    "src/main/java/com/acme/Lb.java": [
      "        int idx = ThreadLocalRandom.current().nextInt(backends.size());",
      "        SecureRandom random = new SecureRandom();",
    ],
    "lib/seed.rb": ["    color = %w[red green blue].sample", "    token = SecureRandom.hex(32)", "    Digest::SHA256.hexdigest(body)"],
    Dockerfile: [
      "FROM node:20-alpine@sha256:8d6e5c9f0d7a4b2e1c3f5a7b9d0e2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3f5a",
      "RUN echo \"${SHA256}  /tmp/tool.tar.gz\" | sha256sum -c -",
      "RUN curl -fsSL https://example.com/tool.tar.gz -o /tmp/tool.tar.gz",
      "RUN md5sum /tmp/tool.tar.gz",
    ],
    "package.json": ["      \"integrity\": \"sha512-Vt0zLkIKh0Yq8m2FHTbCJfzmZQ4xbHXwsq7XRB4HjYOxgMpvpqZ8bX3pS5j0tQkE6W==\","],
    "scripts/release.sh": [
      "git log -1 --format=%H 5f2b3c1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
      "curl -fsSL --retry 3 https://example.com/install.sh -o install.sh",
      "kubectl get pods -n kube-system",
    ],
    "test/crypto.test.ts": ["const iv = Buffer.from('0123456789abcdef');", "const token = Math.random().toString(36);"],
    "docs/tls.md": ["curl -k https://localhost:8443"],
  },
  moved: {
    "src/security/tokens.ts": [
      "const digest = crypto.createHash('md5').update(password).digest('hex');",
      "const agent = new https.Agent({ rejectUnauthorized: false });",
      "const resetToken = Math.random().toString(36).slice(2);",
    ],
    "app/security.py": ["    resp = requests.get(url, verify=False, timeout=10)"],
    "internal/crypto/crypto.go": ["\tTLSClientConfig: &tls.Config{InsecureSkipVerify: true},"],
    "src/main/java/com/acme/Crypto.java": ["        Cipher cipher = Cipher.getInstance(\"AES/ECB/PKCS5Padding\");"],
    Dockerfile: ["RUN curl --insecure -o /tmp/agent.deb https://repo.internal/agent.deb"],
  },
  firesWhenRemoved: {
    "src/server.ts": [
      "app.use(helmet());",
      "app.use(helmet.hsts({ maxAge: 31536000, includeSubDomains: true }));",
      "  res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');",
      "  rejectUnauthorized: true,",
      "  cookie: { secure: true, httpOnly: true },",
    ],
    "app/settings.py": [
      "SECURE_HSTS_SECONDS = 31536000",
      "SECURE_SSL_REDIRECT = True",
      "SESSION_COOKIE_SECURE = True",
      "    'django.middleware.security.SecurityMiddleware',",
    ],
    "app/client.py": ["    resp = session.get(url, verify=certifi.where())", "    ctx.verify_mode = ssl.CERT_REQUIRED"],
    "internal/server/cookies.go": ["\t\tSecure:   true,", "\tsecureMiddleware := secure.New(secure.Options{STSSeconds: 31536000})"],
    "src/main/java/com/acme/SecurityConfig.java": [
      "            .headers(h -> h.httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(31536000)))",
      "        cookie.setSecure(true);",
    ],
    "config/environments/production.rb": ["  config.force_ssl = true"],
    "lib/http_client.rb": ["    http.verify_mode = OpenSSL::SSL::VERIFY_PEER"],
    "deploy/nginx/site.conf": ["    add_header Strict-Transport-Security \"max-age=31536000\" always;"],
  },
});

const labelsOf = (path: string, line: string) => hitsForAdded(crypto, path, line).map((h) => h.label);

describe("crypto labels name the weakness", () => {
  it("weak and sound choices of the same family are labelled apart", () => {
    expect(labelsOf("src/a.ts", "crypto.createHash('md5').update(pw).digest('hex')")).toEqual(["weak hash (MD5/SHA-1)"]);
    expect(labelsOf("src/a.ts", "crypto.createCipheriv('aes-256-ecb', key, null)")).toEqual(["weak cipher or mode (ECB/DES/3DES/RC4)"]);
    expect(labelsOf("src/a.ts", "crypto.createCipheriv('aes-256-gcm', key, iv)")).toEqual(["cipher use"]);
    expect(labelsOf("src/a.ts", "crypto.createCipheriv('aes-256-cbc', key, Buffer.alloc(16, 0))")).toEqual(["static IV or key in code"]);
    expect(labelsOf("src/main/java/A.java", "Cipher c = Cipher.getInstance(\"RSA/ECB/OAEPWithSHA-256AndMGF1Padding\");")).toEqual(["cipher use"]);
    expect(labelsOf("src/a.ts", "const hash = await bcrypt.hash(pw, 12);")).toEqual(["password hashing"]);
    expect(labelsOf("src/a.ts", "const hash = await bcrypt.hash(pw, 6);")).toEqual(["password hashing cost lowered"]);
    expect(labelsOf("src/a.ts", "generateKeyPairSync('rsa', { modulusLength: 1024 })")).toEqual(["weak key size"]);
    expect(labelsOf("src/a.ts", "generateKeyPairSync('rsa', { modulusLength: 4096 })")).toEqual(["signing, HMAC or key generation"]);
  });
  it("randomness fires only where the value becomes a secret", () => {
    expect(labelsOf("src/a.ts", "const inviteCode = Math.random().toString(36).slice(2, 8);")).toEqual([
      "non-cryptographic randomness for a secret value",
    ]);
    expect(labelsOf("src/a.ts", "const x = Math.random() * canvas.clientWidth;")).toEqual([]);
    expect(labelsOf("src/a.ts", "const VIDEO = Math.random() > 0.5;")).toEqual([]);
  });
  it("TLS versions: lowering fires, disabling old versions does not", () => {
    expect(labelsOf("app/a.py", "ctx.minimum_version = ssl.TLSVersion.TLSv1_1")).toEqual(["minimum TLS version lowered"]);
    expect(labelsOf("app/a.py", "ctx.minimum_version = ssl.TLSVersion.TLSv1_2")).toEqual([]);
    expect(labelsOf("deploy/nginx/site.conf", "    ssl_protocols TLSv1.2 TLSv1.3;")).toEqual([]);
  });
});

describe("crypto removed protections", () => {
  it("removed lines say 'removed:'", () => {
    const hits = hitsForRemoved(crypto, "src/server.ts", "app.use(helmet());");
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["removed: security header or HTTPS enforcement", true]]);
  });
  it("changing how TLS is verified is a rewrite, not a removal", () => {
    const hits = scan(crypto, [
      {
        path: "app/client.py",
        status: "modified",
        patch: patchOf(["    resp = requests.get(url, verify=ca_bundle_path)"], ["    resp = requests.get(url, verify=True)"]),
      },
    ]);
    expect(hits).toEqual([]);
  });
  it("turning verification off fires once, on the added setting", () => {
    const hits = scan(crypto, [
      {
        path: "src/client.ts",
        status: "modified",
        patch: patchOf(["  rejectUnauthorized: false,"], ["  rejectUnauthorized: true,"]),
      },
    ]);
    // The removed rule cannot see that the added line rewrites the same setting (its pattern
    // rightly skips off-values); the runner keeps the added hit for a line rewritten in place.
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["TLS verification turned off", false]]);
  });
  it("a secure flag made conditional is a rewrite, not a removal", () => {
    const hits = scan(crypto, [
      {
        path: "src/session.ts",
        status: "modified",
        patch: patchOf(["  cookie: { secure: process.env.NODE_ENV === 'production' },"], ["  cookie: { secure: true },"]),
      },
    ]);
    expect(hits).toEqual([]);
  });
  it("helmet reconfigured to drop CSP fires on the added setting only", () => {
    const hits = scan(crypto, [
      {
        path: "src/server.ts",
        status: "modified",
        patch: patchOf(["app.use(helmet({ contentSecurityPolicy: false }));"], ["app.use(helmet());"]),
      },
    ]);
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["security header or HTTPS enforcement disabled", false]]);
  });
  it("a security header moved to another file does not fire", () => {
    const line = "app.use(helmet());";
    const hits = scan(crypto, [
      { path: "src/server.ts", status: "modified", patch: patchOf([], [line]) },
      { path: "src/middleware/security.ts", status: "added", patch: patchOf([`  ${line}`]) },
    ]);
    expect(hits).toEqual([]);
  });
});

describe("crypto patterns stay linear", () => {
  it("a 2,000-character hostile line completes and does not fire", () => {
    const lines = [
      "a".repeat(2000),
      `Math.random${" ".repeat(1988)}`,
      `${"token ".repeat(333)}`,
      "Math.random".repeat(181),
      `curl ${"-".repeat(1994)}`,
      `curl ${" -x".repeat(665)}`,
      `createCipheriv ${"a,".repeat(990)}`,
      `${"('".repeat(995)}`,
      `iv = ${"'".repeat(1995)}`,
      `${"_".repeat(1000)}${"Iv".repeat(500)}`,
      `bcrypt.hash ${"a".repeat(1985)}`,
      `pbkdf2_hmac ${"(a,".repeat(660)}`,
      `verify=${".".repeat(1993)}`,
    ];
    for (const path of ["src/x.ts", "app/x.py", "pkg/x.go", "src/main/java/X.java", "lib/x.rb", "scripts/x.sh", "Dockerfile"]) {
      for (const line of lines) {
        expect(hitsForAdded(crypto, path, line)).toEqual([]);
        expect(hitsForRemoved(crypto, path, line)).toEqual([]);
      }
    }
  });
});
