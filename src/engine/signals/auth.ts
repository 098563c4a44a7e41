import type { Language } from "../changes/languages.js";
import { excerpt } from "./run.js";
import type { FileScan, Rule, SignalDefinition, SignalHit } from "./types.js";
import { TEST_PATH } from "./source-text.js";

/**
 * Authentication and authorisation: who the caller is (login, sessions, JWT, OAuth, API keys)
 * and what they may do (roles, permission checks, CSRF, CORS with credentials, anonymous
 * access). Each sub-case has its own label so the finding says which one fired; labels for
 * weakened or removed protections say so ("JWT verification weakened", "removed: ...").
 *
 * Where a weakened variant and the plain case match the same line, the plain rule carries the
 * weakened pattern as `unless`, so the finding names the weakening.
 */

/** Test code logs in, signs tokens and strips decorators all the time; it is not the product. */

const CODE: readonly Language[] = ["js", "python", "go", "java", "ruby", "csharp"];

/** The first word-like token of a match, lowercased: what a removed protection was called. */
const nameOf =
  (re: RegExp) =>
  (m: RegExpExecArray): string | null =>
    re.exec(m[0])?.[0].toLowerCase() ?? null;

// ---------------------------------------------------------------------------------------------
// JWT
// ---------------------------------------------------------------------------------------------

/** Verification switched off or weakened, in any of the five languages. */
const JWT_WEAK =
  /\bignoreExpiration\s*:\s*true\b|\balgorithms?\s*[:=]\s*\[?[^\]\n]{0,60}?['"][Nn]one['"]|\bJWT\.encode\s*\([^)\n]{0,120}?['"]none['"]|['"]verify_(?:signature|exp|aud|iss|iat|nbf)['"]\s*:\s*False\b|\bjwt\.decode\s*\([^\n]{0,200}?\bverify\s*=\s*False\b|\bget_unverified_claims\s*\(|\bParseUnverified\s*\(|\bUnsafeAllowNoneSignatureType\b|\bSigningMethodNone\b|\bWithoutClaimsValidation\s*\(|\bSkipClaimsValidation\s*:\s*true\b|\bparseClaimsJwt\s*\(|\bparseUnsecured(?:Claims|Content)\s*\(|\bAlgorithm\.none\s*\(|\bJWT\.decode\s*\([^,\n]{1,80},[^,\n]{1,80},\s*false\b|\bverify_(?:expiration|iat|aud|iss|not_before|sub|jti)\s*:\s*false\b/;
/** jsonwebtoken's decode (JS) and java-jwt's JWT.decode (JVM) read a token without checking it. */
const JWT_DECODE_JS = /\bjwt\s*\.\s*decode\s*\(/;
const JWT_DECODE_JVM = /\bJWT\s*\.\s*decode\s*\(/;
const JWT_USE =
  /\b(?:jwt|JWT|Jwts|jwtService|jwt_service)\s*\.\s*(?:sign|verify|decode|encode|Parse|ParseWithClaims|NewWithClaims|New|builder|parser|parserBuilder|require|create|signAsync|verifyAsync)\s*\(|\b(?:jwtVerify|jwtDecrypt|createRemoteJWKSet|createLocalJWKSet|expressjwt|expressJwt|NimbusJwtDecoder|JwtDecoders|PyJWKClient)\b|\bnew\s+(?:SignJWT|EncryptJWT|UnsecuredJWT)\s*\(|\.SignedString\s*\(/;
const either = (a: RegExp, b: RegExp) => new RegExp(`${a.source}|${b.source}`);

// ---------------------------------------------------------------------------------------------
// Login, sessions, cookies
// ---------------------------------------------------------------------------------------------

const LOGIN =
  /\bpassport\s*\.\s*authenticate\s*\(|\bbcrypt(?:js)?\s*\.\s*(?:compare|compareSync|checkpw)\s*\(|\bargon2\s*\.\s*verify\s*\(|\b(?:verify|check|compare|validate)_?[Pp]assword(?:_hash)?\s*\(|\bpwd_context\s*\.\s*verify\s*\(|\bauthenticate\s*\(\s*(?:request\b|req\b|username\s*=|email\s*=|credentials\b)|\blogin_user\s*\(|\blogout_user\s*\(|\b(?:auth_)?login\s*\(\s*request\s*,|\b(?:auth_)?logout\s*\(\s*request\s*\)|\bCompareHashAndPassword\s*\(|\bauthenticationManager\s*\.\s*authenticate\s*\(|\bnew\s+UsernamePasswordAuthenticationToken\s*\(|\bpasswordEncoder\s*\.\s*matches\s*\(|\bvalid_password\?|\.authenticate\s*\(\s*params\b|\bwarden\s*\.\s*authenticate!?|\bsign_in\s*\(?\s*(?:@?user|:user|resource)\b|\bhas_secure_password\b|\bdevise\s+:database_authenticatable|\bdevise_for\s+:|\bauthenticate_or_request_with_http_(?:basic|token)\b|\bhttp_basic_authenticate_with\b|\bOAuth2PasswordBearer\s*\(|\bHTTP(?:Basic|Bearer)\s*\(|\.BasicAuth\s*\(\s*\)|\bgetServerSession\s*\(|\bNextAuth\s*\(/;

const SESSION =
  /\b(?:session|cookieSession|expressSession)\s*\(\s*\{|\b(?:require\s*\(\s*|from\s+)['"](?:express-session|cookie-session|iron-session|next-auth(?:\/[\w/]*)?)['"]|\breq\.session\s*\.\s*(?:regenerate|destroy)\s*\(|\breq\.session\s*\.\s*\w+\s*=[^=]|\bgetIronSession\s*\(|\bpassport\s*\.\s*(?:session|initialize)\s*\(|^\s*(?:SESSION_\w+|PERMANENT_SESSION_LIFETIME|REMEMBER_COOKIE_\w+)\s*=|\bapp\.config\s*\[\s*['"](?:SESSION_\w+|PERMANENT_SESSION_LIFETIME|REMEMBER_COOKIE_\w+)['"]\s*\]\s*=|\bsession\s*\[\s*['"]\w{0,30}(?:user|uid|auth|role|admin|logged|token|account)\w{0,30}['"]\s*\]\s*=[^=]|\brequest\.session\.(?:flush|cycle_key|set_expiry)\s*\(|\bsessions\.New(?:Cookie|Filesystem)Store\s*\(|\bsession\.Values\s*\[\s*"[^"]*"\s*\]\s*=|\bscs\.New\s*\(|\bsessionManagement\s*\(|\bSessionCreationPolicy\.\w+|\brequest\.getSession\s*\(|\bsession\.invalidate\s*\(|\bchangeSessionId\s*\(|\bsessionFixation\s*\(|\bsession\s*\[\s*:\w{0,30}(?:user|uid|auth|role|admin|logged|token|account)\w{0,30}\s*\]\s*=[^=]|\breset_session\b|\bsession_store\b|\bcookies\.(?:signed|encrypted)\s*\[[^\]\n]{1,60}\]\s*=[^=]/;

const COOKIE_OFF =
  /\bhttpOnly\s*:\s*false\b|\bsameSite\s*:\s*['"]?(?:none|None|false)\b|\b(?:cookie|session)\w{0,20}\b[^\n]{0,160}?\bsecure\s*:\s*false\b|\b(?:SESSION|CSRF|REMEMBER)_COOKIE_(?:SECURE|HTTPONLY)\b['"]?\]?\s*=\s*False\b|\bSESSION_COOKIE_SAMESITE\b['"]?\]?\s*=\s*(?:None|['"]None['"])|\.set_cookie\s*\([^\n]{0,300}?\b(?:httponly|secure)\s*=\s*False\b|\bHttpOnly\s*:\s*false\b|\bSameSite\s*:\s*http\.SameSiteNoneMode\b|\.set(?:HttpOnly|Secure)\s*\(\s*false\s*\)|\.(?:httpOnly|secure)\s*\(\s*false\s*\)|\bhttponly:\s*false\b|\bsame_site:\s*:none\b/;
const COOKIE_FLAGS =
  /\b(?:httpOnly|sameSite|HttpOnly|SameSite)\s*:|\.cookie\s*\(\s*['"`][\w-]{0,20}(?:[Ss]ession|sid|[Tt]oken|auth|jwt|refresh)|\.set_cookie\s*\([^\n]{0,300}?\b(?:httponly|samesite|secure)\s*=|\.set(?:HttpOnly|Secure)\s*\(|\bResponseCookie\.from\s*\(|\b(?:httponly|same_site):|\bserver\.servlet\.session\.cookie\.|\b(?:SESSION|CSRF)_COOKIE_(?:SECURE|HTTPONLY|SAMESITE)\b/;
const COOKIE_FLAG_KEPT =
  /\b(?:httpOnly|HttpOnly|httponly)\s*[:=]\s*(?:true|True)\b|\bhttponly:\s*true\b|\bsameSite\s*:\s*['"](?:strict|lax|Strict|Lax)['"]|\bSameSite\s*:\s*http\.SameSite(?:Strict|Lax)Mode\b|\bSESSION_COOKIE_(?:HTTPONLY|SAMESITE)\b|\bsetHttpOnly\s*\(\s*true\s*\)|\bsame_site:\s*:(?:strict|lax)\b/;

// ---------------------------------------------------------------------------------------------
// Tokens and keys checked in code, OAuth
// ---------------------------------------------------------------------------------------------

/** The request read is found from its `.`, the receiver checked behind it (not tried at every `c` and `r`). */
const API_KEY_CHECK =
  /\.(?<=\b(?:req|request|ctx|c|r)\s*\.)\s*(?:headers?|Header|META|get_header|GetHeader|query|params|args)\b[^;\n]{0,40}?(?:\b(?:[Xx]-)?[Aa][Pp][Ii][-_]?[Kk][Ee][Yy]|\b[Aa]uthorization\b|\bHTTP_AUTHORIZATION\b|\bHTTP_X_API_KEY\b)|\bgetHeader\s*\(\s*(?:HttpHeaders\.AUTHORIZATION|"Authorization"|"(?:[Xx]-)?[Aa][Pp][Ii][-_]?[Kk][Ee][Yy]")|\b(?:timingSafeEqual|compare_digest|secure_compare|fixed_length_secure_compare|ConstantTimeCompare|constantTimeEquals|constant_time_compare)\s*\(|\bMessageDigest\.isEqual\s*\(|\bapi_?[Kk]ey\s*(?:===?|!==?)|(?:===?|!==?)\s*(?:process\.env\.|os\.environ|settings\.|ENV\[\s*['"])\w{0,30}(?:API_?KEY|TOKEN|SECRET)|\bAPIKey(?:Header|Query|Cookie)\s*\(/;
/** Passing the caller's Authorization header on to an upstream is forwarding, not checking. */
const FORWARDING = /\b[Aa]uthorization['"]?\s*:\s*(?:req|request|ctx)\b|\.Header\.(?:Set|Add)\s*\(\s*"Authorization"|headers\s*\[\s*['"][Aa]uthorization['"]\s*\]\s*=\s*(?:req|request)\./;

const OAUTH =
  /\b(?:redirect_uri|redirectUri|callbackURL|post_logout_redirect_uri)\s*[:=]|\bredirect-uri\s*:|\b(?:code_challenge|code_verifier|codeChallenge|codeVerifier|code_challenge_method)\b|\bpkce\s*[:=(]|\bnew\s+\w{0,30}(?:Google|GitHub|Github|Facebook|Twitter|OAuth2?|OpenID|OpenIDConnect|OIDC|Oidc|Saml|SAML|Local|Jwt|JWT|Bearer|Azure\w{0,20}|Auth0|Okta|Apple|Microsoft|LinkedIn|Discord|Slack|GitLab|Gitlab|Keycloak|Cognito)Strategy\s*\(|\bpassport\s*\.\s*use\s*\(|\bIssuer\.discover\s*\(|\b(?:authorizationUrl|authorizationCodeGrant|callbackParams)\s*\(|\bnew\s+AuthorizationCode\s*\(|\boauth2\.Config\s*\{|\boidc\.NewProvider\s*\(|\bprovider\.Verifier\s*\(|\boauth\.register\s*\(|\bOAuth\s*\(\s*app\b|\bOAuth2Session\s*\(|\bauthorize_(?:access_token|redirect)\s*\(|^\s*provider\s+:\w+|\bOmniAuth::Builder\b|\bClientRegistration\b|\.oauth2(?:Login|ResourceServer|Client)\s*\(/;

// ---------------------------------------------------------------------------------------------
// Decorators, middleware, permission checks
// ---------------------------------------------------------------------------------------------

const DECORATOR =
  /^\s*@(?:\w+\.)?(login_required|permission_required|user_passes_test|staff_member_required|superuser_required|admin_required|roles_required|roles_accepted|role_required|auth_required|jwt_required|fresh_jwt_required|token_required|requires_auth|requires_permission|requires_roles?|permission_classes|authentication_classes|PreAuthorize|PostAuthorize|PreFilter|PostFilter|Secured|RolesAllowed|DenyAll|EnableWebSecurity|EnableMethodSecurity|EnableGlobalMethodSecurity|EnableResourceServer|EnableAuthorizationServer|UseGuards|Roles|Permissions|RequirePermissions|Scopes|Authorized)\b|^\s*@method_decorator\s*\(\s*(login_required|permission_required|user_passes_test|staff_member_required)\b|^\s*\[\s*(Authorize)\b|^\s*(permission_classes|authentication_classes)\s*=|\b(DEFAULT_(?:PERMISSION|AUTHENTICATION)_CLASSES)\b/;
const decoratorName = (m: RegExpExecArray) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? "").toLowerCase();

/** FastAPI dependencies that resolve the caller. */
const AUTH_DEPENDS = /\b(?:Depends|Security)\s*\(\s*(?:\w+\.)?(\w{0,40}(?:current_user|current_active_user|auth(?!or)|verify_token|api_key|require_\w+|admin|permission|jwt|scopes?|oauth2_scheme)\w{0,40})/;

/** Middleware names that guard a route, as written in JS route registrations. */
const JS_GUARD =
  "(?:requireAuth\\w{0,20}|requireLogin|requireUser|requireAdmin|requireRoles?|requirePermissions?|requireScopes?|ensureAuthenticated|ensureLoggedIn|ensureAdmin|ensureAuth|isAuthenticated|isLoggedIn|isAdmin|checkAuth|checkJwt|checkRoles?|checkPermissions?|checkScopes?|verifyToken|verifyJwt|verifyJWT|verifyAuth|authenticate(?:Token|User|Jwt|JWT|Request)?|authorize(?:Roles?|Admin|User)?|authMiddleware|authGuard|authRequired|authenticated|auth|jwtAuth|jwtCheck|protect|protectRoute|withAuth|adminOnly|loggedIn)";
/** Read from the `.` of the call, with the receiver checked behind it (the same matches, not tried at every word). */
const JS_ROUTE_GUARD = new RegExp(
  `\\.(?<=\\b(?:app|router|\\w{0,30}[Rr]outer|server|api|routes?)\\s*\\.)\\s*(?:get|post|put|patch|delete|del|all|use|route)\\s*\\(\\s*(?:(['"\`][^'"\`]*['"\`])\\s*,\\s*)?[^;'"\`]{0,160}?\\b((?:\\w{1,30}\\.)?${JS_GUARD})\\b`,
);
const GO_GUARD =
  "(?:\\w{1,30}\\.)?(?:[Rr]equire(?:Auth|Login|User|Admin|Role|Permission|Scope|Session|Token)\\w{0,20}|[Ee]nsure(?:Auth|LoggedIn|Admin)\\w{0,20}|[Aa]uth(?!or)\\w{0,30}|\\w{0,30}Auth(?:Middleware|Handler|Required|Guard)|[Jj][Ww][Tt]\\w{0,30}|echojwt\\.\\w+|[Ii]sAdmin|[Ii]sAuthenticated|[Vv]erify(?:Token|JWT|Jwt|Auth)\\w{0,20}|[Pp]rotect\\w{0,20}|BasicAuth\\w{0,20}|KeyAuth\\w{0,20})";
const GO_ROUTE_GUARD = new RegExp(
  `\\.(?:Use|With|Handle|HandleFunc|Group|GET|POST|PUT|PATCH|DELETE|Any|Get|Post|Put|Patch|Delete|Route)\\s*\\(\\s*(?:("[^"]*")\\s*,\\s*)?[^;"\`]{0,160}?\\b(${GO_GUARD})\\b`,
);
const routeGuardIdentity = (m: RegExpExecArray) => `${(m[1] ?? "").replace(/['`]/g, '"')} ${m[2] ?? ""}`;

const RUBY_GUARD =
  /^\s*(?:before_action|before_filter|prepend_before_action|append_before_action)\s+:((?:authenticate\w*|require_(?:login|user|admin|auth\w*|role|permission)\w*|authorize\w*|check_(?:admin|permission|role|auth)\w*|ensure_\w{0,30}(?:admin|login|auth|signed_in)\w*|verify_(?:admin|auth(?!enticity)\w*)|doorkeeper_authorize|logged_in_user|signed_in_user|admin_only|must_be_admin)[!?]?)/;
const OTHER_GUARD =
  /^\s*['"]django\.(?:contrib\.auth\.middleware\.\w+|middleware\.csrf\.CsrfViewMiddleware)['"]|\bcanActivate\s*\(|\.addFilter(?:Before|After|At)?\s*\(\s*\w{0,40}(?:[Aa]uth|[Jj]wt|JWT|[Tt]oken)/;

/** A flag tested in a condition is found from the flag, the condition checked behind it (not tried at every `!` and `if`). */
const ROLE_CHECK =
  /\b(?:hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|hasPermission|hasPermissions|hasScope|requireRole|requireRoles|requirePermission|requirePermissions|checkPermission|checkPermissions|check_permission|check_permissions|has_permission|has_perm|has_perms|has_object_permission|has_role|require_role|user_has_role|isAuthorized|is_authorized|HasRole|HasPermission|CheckPermission|RequireRole|IsAuthorized|IsInRole)\s*\(|\.(?:role|roles|Role|Roles|userRole|user_role)\s*(?:===?|!==?)\s*(?:['"]\w|[\w.]{0,40}(?:Role|ROLE|Admin|ADMIN))|\.(?:roles|Roles|permissions|scopes|authorities)\s*\.\s*(?:includes|indexOf|contains|has|some|include\?)\s*\(|\bin\s+[\w.]{0,60}\.(?:roles|permissions|scopes)\b|\b(?:is_superuser|is_staff|is_admin|isAdmin|isSuperuser|isSuperAdmin|IsAdmin|admin\?|superuser\?)(?<=(?:\bif\b|\bunless\b|\belif\b|&&|\|\||\band\b|\bor\b|\bnot\b|!)\s*\(?\s*!?\s*[\w.&?]{0,60}\b(?:is_superuser|is_staff|is_admin|isAdmin|isSuperuser|isSuperAdmin|IsAdmin|admin\?|superuser\?))|\bauthorize!?\s*[(\s]\s*[@:]?\w|\bcan(?:not)?\?\s*\(?\s*:|\b(?:load_and_)?authorize_resource\b|\bverify_authorized\b|\bpolicy_scope\s*\(|^\s*can(?:not)?\s+:\w+\s*,/;
/** ARIA roles compared in DOM code are not access control. */
const ARIA =
  /\.role\s*(?:===?|!==?)\s*['"](?:button|dialog|alertdialog|link|menu\w*|tab\w*|alert|presentation|none|img|listbox|option|checkbox|radio|navigation|region|tooltip|grid\w*|row\w*|cell|heading|banner|main|status|switch|textbox|combobox|group|list|listitem|separator|slider|progressbar|tree\w*|search\w*|form|article|complementary|contentinfo)['"]/;

/** As in ROLE_CHECK, the flag is found first and the condition checked behind it. */
const AUTHN_CHECK =
  /\b(?:(?:is_authenticated|isAuthenticated|is_anonymous|isAnonymous|isLoggedIn|is_logged_in)\b|(?:user_signed_in|signed_in|logged_in)\?)(?<=(?:\bif\b|\bunless\b|\belif\b|&&|\|\||\bnot\b|!)\s*\(?\s*!?\s*[\w.&?]{0,60}(?:\b(?:is_authenticated|isAuthenticated|is_anonymous|isAnonymous|isLoggedIn|is_logged_in)|\b(?:user_signed_in|signed_in|logged_in)\?))|\bif\s*\(\s*!\s*(?:req|request|ctx\.state|ctx)\.user\s*\)/;

/**
 * `[Ee]nforcer(?<!\w{39})` is `\b\w{0,30}[Ee]nforcer` (at most 30 word characters before it in its
 * word) read from the word itself, and `.Enforce` checks its receiver behind it: neither is
 * tried at every word of the line.
 */
const POLICY_ENGINE =
  /\bcasbin\.NewEnforcer\s*\(|\bnewEnforcer\s*\(|[Ee]nforcer(?<!\w{39})\s*\.\s*[Ee]nforce\s*\(|\.Enforce(?<=(?<!\w)[a-z]\w{0,30}\.Enforce)\s*\(\s*\w+\s*,|\bdefineAbility\s*\(|\bnew\s+AbilityBuilder\s*\(|\bcreateMongoAbility\s*\(|\bability\s*\.\s*(?:can|cannot)\s*\(|\bForbiddenError\.from\s*\(|<Can\s+(?:I|do)=|\bclass\s+\w+Policy\s*<\s*ApplicationPolicy\b|\binclude\s+CanCan::Ability\b|\binclude\s+Pundit(?:::Authorization)?\b/;

const SPRING_SECURITY =
  /\.(?:authorizeHttpRequests|authorizeRequests|authorizeExchange|requestMatchers|antMatchers|mvcMatchers|pathMatchers|securityMatcher|anyRequest|authenticated|httpBasic|formLogin|rememberMe|userDetailsService)\s*\(|\b(?:SecurityFilterChain|AuthenticationManager|AuthenticationProvider|DaoAuthenticationProvider|UserDetailsService|WebSecurityConfigurerAdapter|SecurityWebFilterChain)\b/;

const ANONYMOUS =
  /\.permitAll\s*\(\s*\)|\bauthorize\s*\([^)\n]{0,120}?,\s*permitAll\b|^\s*@(?:PermitAll|AllowAnonymous|Public|SkipAuth|NoAuth|Anonymous)\b|\[\s*AllowAnonymous\s*\]|\.AllowAnonymous\s*\(\s*\)|\bpermission_classes\s*=\s*[[(]\s*(?:permissions\.)?AllowAny\b|^\s*@(?:\w+\.)?login_not_required\b|^\s*@permission_classes\s*\(\s*[[(]\s*(?:permissions\.)?AllowAny\b|\bskip_before_action\s+:(?:authenticate\w*|require_login|require_user|authorize\w*)|\bskip_after_action\s+:verify_authorized\b|\ballow_unauthenticated_access\b|\bskip_authorization_check\b|\.ignoring\s*\(\s*\)/;

// ---------------------------------------------------------------------------------------------
// CSRF and CORS
// ---------------------------------------------------------------------------------------------

const CSRF_OFF =
  /^\s*@(?:\w+\.)?csrf_exempt\b|\bcsrf_exempt\s*\(|\bcsrf\.exempt\b|\bWTF_CSRF_(?:ENABLED|CHECK_DEFAULT)['"]?\]?\s*=\s*False\b|\.csrf\s*\(\s*\)\s*\.\s*disable\s*\(|\.csrf\s*\(\s*(?:\w+\s*->\s*\w+\s*\.\s*disable\s*\(\s*\)|AbstractHttpConfigurer::disable|\{\s*(?:it\.)?disable\s*\(\s*\)\s*\})|\bcsrf\s*\{\s*disable\s*\(\s*\)|\.ignoringRequestMatchers\s*\(|\.ignoringAntMatchers\s*\(|\bskip_before_action\s+:verify_authenticity_token\b|\bskip_forgery_protection\b|\bprotect_from_forgery\b[^\n]{0,80}?\bwith:\s*:null_session|\bprotect_from_forgery\b[^\n]{0,80}?\b(?:if|unless|except):|\ballow_forgery_protection\s*=\s*false\b|\bcsrf(?:Protection)?\s*:\s*false\b|\bcsrf\.Secure\s*\(\s*false\s*\)|\bcsrf\.TrustedOrigins\s*\(/;
const CSRF_ON =
  /\b(?:csurf|csrf|lusca\.csrf|doubleCsrf|csrfSync|csrfProtection)\s*\(|\b(?:require\s*\(\s*|from\s+)['"](?:csurf|csrf-csrf|csrf-sync|tiny-csrf|lusca)['"]|^\s*@(?:\w+\.)?(?:csrf_protect|requires_csrf_token|ensure_csrf_cookie)\b|\bCSRFProtect\s*\(|\bcsrf\.Protect\s*\(|\bnosurf\.New\s*\(|\bprotect_from_forgery\b|\.csrf\s*\(\s*\w+\s*->\s*\w+\s*\.\s*csrfToken(?:Repository|RequestHandler)|\bCookieCsrfTokenRepository\b/;
const CSRF_KEPT =
  /\b(?:csurf|csrf|lusca\.csrf|doubleCsrf|csrfSync)\s*\(|\bcsrfProtection\b|^\s*@(?:\w+\.)?(?:csrf_protect|requires_csrf_token)\b|\bCSRFProtect\b|\bCsrfViewMiddleware\b|\bcsrf\.Protect\s*\(|\bnosurf\.New\s*\(|^\s*protect_from_forgery\b|\bverify_authenticity_token\b|\{%\s*csrf_token\s*%\}|\bcsrf_meta_tags\b|name=["'](?:_csrf|csrf_token|csrfmiddlewaretoken|authenticity_token)["']|\{\{\s*csrf_field\(\)\s*\}\}|^\s*@csrf\b/;

/** Credentials allowed, written as a flag (in any of the server stacks) or as the header. */
const CORS_CRED =
  /\b(?:allow_credentials|supports_credentials|CORS_ALLOW_CREDENTIALS|CORS_SUPPORTS_CREDENTIALS|AllowCredentials|allowCredentials|setAllowCredentials)\b['"]?\s*(?:=|:|\()\s*['"]?(?:True|true)\b|[Aa]ccess-[Cc]ontrol-[Aa]llow-[Cc]redentials['"]?\s*(?:,|:|=>|\s)\s*['"]?true\b/;
/** `credentials: true` (cors, socket.io, rack-cors): only CORS where the code around says cors or origin. */
const CORS_CRED_KEY = /\bcredentials\s*:\s*true\b/;
const CORS_CONTEXT = /\bcors\b|\bCORS\b|\bCors\b|\borigins?\b/;
/** An origin that is any origin: a wildcard, `origin: true`, a callback that accepts all, or the request's own Origin. */
const CORS_ANY_ORIGIN =
  /\borigins?\s*[:=(]\s*(?:\[\s*)?['"]\*['"]|\ballow_origins\s*=\s*\[\s*['"]\*['"]|\bAllow(?:ed)?Origins\s*:\s*\[\]string\s*\{\s*"\*"|\bAllowAllOrigins\s*:\s*true\b|\bCORS_(?:ORIGIN_ALLOW_ALL|ALLOW_ALL_ORIGINS)\s*=\s*True\b|\ballowedOrigin(?:Pattern)?s\s*\(\s*"\*"|\baddAllowedOrigin(?:Pattern)?\s*\(\s*"\*"|\bsetAllowedOrigins\s*\([^)\n]{0,40}"\*"|\borigins\s*=\s*"\*"|\borigin\s*:\s*(?:true\b|\(\s*\w*\s*,\s*\w+\s*\)\s*=>\s*\w+\s*\(\s*null\s*,\s*true\s*\)|function\s*\(\s*\w*\s*,\s*\w+\s*\)\s*\{\s*\w+\s*\(\s*null\s*,\s*true)|\bAllowOriginFunc\s*:\s*func\s*\([^)]*\)\s*bool\s*\{\s*return\s+true|[Aa]ccess-[Cc]ontrol-[Aa]llow-[Oo]rigin['"]?\s*(?:,|:|=>)\s*(?:['"]\*['"]|\w+(?:\.\w+){0,3}\s*(?:\[\s*['"][Oo]rigin['"]\s*\]|\.[Oo]rigin\b|\.get\s*\(\s*['"][Oo]rigin['"]|\.Get\s*\(\s*"Origin"))|^\s*origins\s+['"]\*['"]/;
/** A word every line CORS_CRED, CORS_CRED_KEY or CORS_ANY_ORIGIN finds contains. */
const CORS_WORDS = /redentials|REDENTIALS|rigin|RIGIN/;
const CORS_LANGS: readonly Language[] = [...CODE, "php", "text", "yaml"];
const CORS_WINDOW = 15;

const CORS_CRED_LABEL = "CORS allows credentials";
const CORS_ANY_LABEL = "CORS credentials with wildcard or reflected origin";

/** CORS settings span lines: credentials on one, the origin on another. Read them together. */
function corsScan(file: FileScan): Omit<SignalHit, "signal" | "file">[] {
  if (!CORS_LANGS.includes(file.language) || TEST_PATH.test(file.path)) return [];
  const vis = file.visible;
  const added = new Set(file.added);
  const near = (i: number, re: RegExp) => {
    for (let j = Math.max(0, i - CORS_WINDOW); j <= Math.min(vis.length - 1, i + CORS_WINDOW); j++) {
      if (re.test(vis[j]!.code)) return true;
    }
    return false;
  };
  const corsFile = /cors/i.test(file.path);
  const isCred = (i: number) =>
    CORS_CRED.test(vis[i]!.code) || (CORS_CRED_KEY.test(vis[i]!.code) && (corsFile || near(i, CORS_CONTEXT)));
  const out: Omit<SignalHit, "signal" | "file">[] = [];
  vis.forEach((l, i) => {
    if (!added.has(l)) return;
    // A credentials flag names credentials and an origin setting names the origin: without either word, nothing here fires.
    if (!CORS_WORDS.test(l.code)) return;
    const cred = isCred(i);
    const any = CORS_ANY_ORIGIN.test(l.code);
    let label: string | null = null;
    if (cred) label = near(i, CORS_ANY_ORIGIN) ? CORS_ANY_LABEL : CORS_CRED_LABEL;
    else if (any) {
      // Fire on the origin line only where the credentials line is not itself new (it fires instead).
      let credNear = false;
      let credAdded = false;
      for (let j = Math.max(0, i - CORS_WINDOW); j <= Math.min(vis.length - 1, i + CORS_WINDOW); j++) {
        if (!isCred(j)) continue;
        credNear = true;
        if (added.has(vis[j]!)) credAdded = true;
      }
      if (credNear && !credAdded) label = CORS_ANY_LABEL;
    }
    if (label) out.push({ line: l.line, label, removed: false, excerpt: excerpt(l.text) });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Removed protections
// ---------------------------------------------------------------------------------------------

const REMOVED_CHECK =
  /\b(?:hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|hasPermission|requireRole|requirePermission|checkPermission|check_permission|has_permission|has_perm|has_perms|has_role|isAuthorized|is_authorized|HasRole|HasPermission|CheckPermission|IsInRole)\s*\(|\.(?:role|roles|Role|userRole|user_role)\s*(?:===?|!==?)\s*(?:['"]\w|[\w.]{0,40}(?:Role|ROLE|Admin|ADMIN))|\.(?:roles|Roles|permissions|scopes|authorities)\s*\.\s*(?:includes|indexOf|contains|has|some|include\?)\s*\(|(?:\bif\b|\bunless\b|\belif\b|&&|\|\||\bnot\b|!)\s*\(?\s*!?\s*[\w.&?]{0,60}?\b(?:is_superuser|is_staff|is_admin|isAdmin|is_authenticated|isAuthenticated|isLoggedIn|admin\?|user_signed_in\?|logged_in\?)|\bif\s*\(\s*!\s*(?:req|request|ctx\.state|ctx)\.user\s*\)|\bauthorize!?\s*[(\s]\s*[@:]?\w|\b(?:load_and_)?authorize_resource\b|\bverify_authorized\b|\.(?:authenticated|hasRole|hasAuthority|hasAnyRole|hasAnyAuthority|denyAll)\s*\(\s*[^)]{0,40}\)|\braise\s+(?:PermissionDenied|Forbidden|NotAuthorized|Unauthorized|Pundit::NotAuthorizedError|CanCan::AccessDenied)\w*|\bthrow\s+new\s+(?:Forbidden|Unauthorized|AccessDenied|NotAuthorized)\w*|\babort\s*\(\s*40[13]\b|\bHttpResponseForbidden\s*\(|\bStatus(?:Unauthorized|Forbidden)\b|\bHttpStatus\.(?:FORBIDDEN|UNAUTHORIZED)\b|\.status\s*\(\s*40[13]\s*\)|\bhead\s+:(?:forbidden|unauthorized)\b/;
const CHECK_KEY =
  /[A-Za-z_]*(?:[Rr]ole|[Pp]erm|[Aa]dmin|superuser|staff|[Aa]uthenticat|[Aa]uthoriz|LoggedIn|logged_in|signed_in|[Ff]orbidden|FORBIDDEN|[Uu]nauthori[sz]ed|UNAUTHORIZED|[Dd]enied|Deny|40[13]|[Ss]cope|authorit)[A-Za-z_?!]*/;

const REMOVED_JWT_OPTION =
  /\balgorithms\s*[:=]\s*\[|\bWithValidMethods\s*\(|['"]verify_\w+['"]\s*:\s*True\b|\.require(?:Audience|Issuer)\s*\(|\bWith(?:Audience|Issuer)\s*\(|\bverify_(?:aud|iss|expiration)\s*:\s*true\b|\bignoreExpiration\s*:\s*false\b/;

// ---------------------------------------------------------------------------------------------

const JWT_WEAK_LABEL = "JWT verification weakened";

const RULES: Rule[] = [
  // Login and credentials
  { label: "login or credential check", languages: CODE, pattern: LOGIN },
  // Sessions and cookies
  { label: "session handling", languages: CODE, pattern: SESSION },
  { label: "session handling", languages: ["text"], pattern: /^\s*server\.servlet\.session\.\w/, unless: /\bcookie\.(?:secure|http-only)\s*=\s*false\b/ },
  { label: "cookie security flag turned off", languages: CODE, pattern: COOKIE_OFF },
  { label: "cookie security flag turned off", languages: ["text", "yaml"], pattern: /\bserver\.servlet\.session\.cookie\.(?:secure|http-only)\s*=\s*false\b|\bhttp-only\s*:\s*false\b/ },
  { label: "cookie security flags", languages: CODE, pattern: COOKIE_FLAGS, unless: COOKIE_OFF },
  // JWT
  { label: JWT_WEAK_LABEL, languages: CODE, pattern: JWT_WEAK },
  { label: `${JWT_WEAK_LABEL}: decoded without verifying`, languages: ["js"], pattern: JWT_DECODE_JS, unless: JWT_WEAK },
  { label: `${JWT_WEAK_LABEL}: decoded without verifying`, languages: ["java"], pattern: JWT_DECODE_JVM, unless: JWT_WEAK },
  { label: "JWT issued or verified", languages: ["js"], pattern: JWT_USE, unless: either(JWT_WEAK, JWT_DECODE_JS) },
  { label: "JWT issued or verified", languages: ["java"], pattern: JWT_USE, unless: either(JWT_WEAK, JWT_DECODE_JVM) },
  { label: "JWT issued or verified", languages: ["python", "go", "ruby", "csharp"], pattern: JWT_USE, unless: JWT_WEAK },
  // OAuth / OIDC and API keys
  { label: "OAuth/OIDC configuration", languages: [...CODE, "yaml"], pattern: OAUTH },
  { label: "API key or token checked in code", languages: CODE, pattern: API_KEY_CHECK, unless: FORWARDING },
  // Access control
  { label: "anonymous access allowed (permitAll/AllowAnonymous)", languages: CODE, pattern: ANONYMOUS },
  { label: "auth decorator or annotation", languages: CODE, pattern: DECORATOR, unless: ANONYMOUS },
  { label: "auth dependency (FastAPI)", languages: ["python"], pattern: AUTH_DEPENDS },
  {
    label: "auth middleware or guard",
    languages: ["js"],
    pattern: JS_ROUTE_GUARD,
    identity: routeGuardIdentity,
  },
  { label: "auth middleware or guard", languages: ["go"], pattern: GO_ROUTE_GUARD, identity: routeGuardIdentity },
  { label: "auth middleware or guard", languages: ["ruby"], pattern: RUBY_GUARD, identity: (m) => m[1] ?? null },
  { label: "auth middleware or guard", languages: CODE, pattern: OTHER_GUARD },
  { label: "role or permission check", languages: CODE, pattern: ROLE_CHECK, unless: ARIA },
  { label: "authentication check", languages: CODE, pattern: AUTHN_CHECK },
  { label: "policy engine (Casbin/CASL/Pundit/CanCanCan)", languages: CODE, pattern: POLICY_ENGINE },
  { label: "Spring Security configuration", languages: ["java"], pattern: SPRING_SECURITY, unless: /^\s*import\b|\.permitAll\s*\(/ },
  // CSRF
  { label: "CSRF protection disabled", languages: CODE, pattern: CSRF_OFF },
  { label: "CSRF protection configured", languages: CODE, pattern: CSRF_ON, unless: CSRF_OFF },

  // Removed protections: each names what it was, so a rewrite that keeps it stays quiet.
  {
    label: "removed: auth decorator or annotation",
    languages: CODE,
    on: "removed",
    pattern: DECORATOR,
    identity: decoratorName,
  },
  {
    label: "removed: auth dependency (FastAPI)",
    languages: ["python"],
    on: "removed",
    pattern: AUTH_DEPENDS,
    identity: (m) => m[1] ?? null,
  },
  { label: "removed: auth middleware or guard", languages: ["js"], on: "removed", pattern: JS_ROUTE_GUARD, identity: routeGuardIdentity },
  { label: "removed: auth middleware or guard", languages: ["go"], on: "removed", pattern: GO_ROUTE_GUARD, identity: routeGuardIdentity },
  { label: "removed: auth middleware or guard", languages: ["ruby"], on: "removed", pattern: RUBY_GUARD, identity: (m) => m[1] ?? null },
  {
    label: "removed: auth middleware or guard",
    languages: CODE,
    on: "removed",
    pattern: /^\s*['"]django\.contrib\.auth\.middleware\.\w+['"]|\.addFilter(?:Before|After|At)?\s*\(\s*\w{0,40}(?:[Aa]uth|[Jj]wt|JWT|[Tt]oken)|\bpassport\s*\.\s*(?:initialize|session)\s*\(|^\s*@?(?:UseGuards)\b/,
    identity: nameOf(/[A-Za-z_.]+/),
  },
  {
    label: "removed: authentication or permission check",
    languages: CODE,
    on: "removed",
    pattern: REMOVED_CHECK,
    unless: ARIA,
    identity: nameOf(CHECK_KEY),
  },
  {
    label: "removed: CSRF protection",
    languages: [...CODE, "html"],
    on: "removed",
    pattern: CSRF_KEPT,
    unless: /\bskip_before_action\b|\bskip_forgery_protection\b|csrf_exempt/,
    identity: nameOf(/[A-Za-z_]*(?:csrf|Csrf|CSRF|forgery|authenticity)[A-Za-z_]*/),
  },
  {
    label: "removed: cookie security flag (httpOnly/sameSite)",
    languages: CODE,
    on: "removed",
    pattern: COOKIE_FLAG_KEPT,
    identity: (m) => (/httponly/i.test(m[0]) ? "httponly" : "samesite"),
  },
  {
    label: "removed: JWT verification option",
    languages: CODE,
    on: "removed",
    pattern: REMOVED_JWT_OPTION,
    identity: nameOf(/[A-Za-z_]+/),
  },
];

export const auth: SignalDefinition = {
  id: "auth",
  title: "Authentication, session or authorisation change",
  stride: ["spoofing", "elevation-of-privilege", "repudiation", "information-disclosure"],
  severity: "high",
  question:
    "Which callers does this change let in or keep out, is every path to the protected action still checked, and are tokens, sessions and cookies verified, scoped and expired as before?",
  detects:
    "Login and credential checks (passport.authenticate, bcrypt.compare, check_password, Django authenticate/login, Spring AuthenticationManager, Devise, has_secure_password); sessions and cookie flags (express-session, Flask/Django SESSION_*, gorilla/sessions, HttpSession, Rails session, httpOnly/sameSite, flags turned off); JWT (jsonwebtoken, jose, PyJWT, golang-jwt, jjwt, java-jwt, ruby-jwt) with verification weakened labelled apart (ignoreExpiration, algorithm none, verify=False, verify_signature False, ParseUnverified, decode without verify); OAuth/OIDC (redirect_uri, PKCE, passport strategies, openid-client, x/oauth2, Authlib, OmniAuth, Spring oauth2Login); API keys and tokens read from requests or compared in constant time; auth decorators and annotations (@login_required, @permission_required, @PreAuthorize, @Secured, @RolesAllowed, @UseGuards, [Authorize]); auth middleware on routes (Express, Go routers, Rails before_action); role and permission checks (hasRole, has_perm, user.role ===, is_superuser, authorize!, can?), Casbin/CASL/Pundit/CanCanCan; Spring Security rules; anonymous access (permitAll, AllowAnonymous, AllowAny, skip_before_action :authenticate_user!); CSRF disabled or configured; CORS that allows credentials, apart when the origin is a wildcard or reflected. Removed decorators, middleware, permission checks, CSRF protection, cookie flags and JWT verification options fire as 'removed: ...'.",
  falsePositives:
    "A route or view deleted together with its decorator or guard fires as a removed protection; role checks that only hide UI; a project's own function named like a guard (auth, protect, requireUser) that does something else; test files are skipped. Not fired: the words author, authority or OAuth in prose, strings and i18n; an Authorization header set or forwarded by an HTTP client (outbound, not a check); database sessions (SQLAlchemy Session(), db.session.add); lexer tokens and CancellationToken; ARIA role attributes and DOM role comparisons; decorators or checks that were only moved or re-indented, and removed ones re-added with other arguments.",
  flows: "inbound",
  rules: RULES.map((r) => ({ skipPaths: TEST_PATH, ...r })),
  scan: corsScan,
};
