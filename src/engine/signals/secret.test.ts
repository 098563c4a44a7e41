import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { isPlaceholder, looksSecret, redactSecrets, secret } from "./secret.js";

/**
 * Credential-shaped values are generated, never written out, so that this file holds no
 * literal a secret scanner (this one included) would take for a real credential.
 */
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DIGITS = "0123456789";
function fake(prefix: string, length: number, seed: number, alphabet = ALNUM): string {
  let x = seed;
  let out = prefix;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[(x >>> 8) % alphabet.length];
  }
  return out;
}

const AWS_ID = fake("AK" + "IA", 16, 11, UPPER_DIGITS);
const AWS_STS = fake("AS" + "IA", 16, 12, UPPER_DIGITS);
const GH_PAT = fake("gh" + "p_", 36, 13);
const GH_APP = fake("gh" + "s_", 36, 14);
const GH_FINE = fake("github" + "_pat_", 82, 15);
const GITLAB = fake("glp" + "at-", 20, 16);
const SLACK = `${fake("xo" + "xb-", 12, 17, DIGITS)}-${fake("", 13, 18, DIGITS)}-${fake("", 24, 19)}`;
const SLACK_HOOK = `https://hooks.slack.com/services/${fake("T", 10, 20, UPPER_DIGITS)}/${fake("B", 10, 21, UPPER_DIGITS)}/${fake("", 24, 22)}`;
const STRIPE = fake("sk" + "_live_", 24, 23);
const STRIPE_RK = fake("rk" + "_live_", 24, 24);
const GOOGLE = fake("AI" + "za", 35, 25);
const NPM = fake("np" + "m_", 36, 26);
const JWT = `${"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"}.${"eyJzdWIiOiJzdmMtYmlsbGluZyIsInJvbGUiOiJhZG1pbiJ9"}.${fake("", 43, 27)}`;
const PEM = (kind: string) => `-----BEGIN ${kind}PRIVATE KEY` + "-----";
const PGP = "-----BEGIN PGP PRIVATE KEY BLOCK" + "-----";
const b64 = (s: string) => btoa(s);

signalCases(secret, {
  fires: {
    "src/config/aws.ts": [`const accessKeyId = "${AWS_ID}";`, `  sessionKeyId: '${AWS_STS}',`],
    "src/github.ts": [`const octokit = new Octokit({ auth: "${GH_PAT}" });`, `const appToken = '${GH_APP}';`],
    "scripts/release.sh": [`export GH_TOKEN=${GH_FINE}`],
    ".gitlab/ci.env": [`GITLAB_TOKEN=${GITLAB}`],
    "src/notify.ts": [`const slack = new WebClient("${SLACK}");`],
    ".env": [`SLACK_WEBHOOK_URL=${SLACK_HOOK}`, "DATABASE_PASSWORD=Qw8#Er5tYu"],
    "config/initializers/stripe.rb": [`Stripe.api_key = "${STRIPE}"`, `RESTRICTED = '${STRIPE_RK}'`],
    "src/firebase.ts": [`  apiKey: "${GOOGLE}",`],
    ".npmrc": [`//registry.npmjs.org/:_authToken=${NPM}`],
    "config/keys.py": [`PRIVATE_KEY = """${PEM("RSA ")}`],
    "deploy/id_ed25519": [PEM("OPENSSH ")],
    "src/sign.ts": [`const pem = "${PEM("")}\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";`],
    "keys/release.asc": [PGP],
    "infra/tls.tf": [`    ${PEM("EC ")}`],
    "src/api/client.ts": [`const SERVICE_TOKEN = "${JWT}";`, `  headers: { Authorization: "Bearer ${JWT}" },`],
    "src/db.ts": [
      'const dbPassword = "Xk9#mP2vLq";',
      "  password: 'Tr0ub4dor&3',",
      'export const JWT_SECRET = "f3b1c9e07a2d4e5b8c6a9d0e1f2a3b4c";',
      'const apiKey: string = "k7Fq2Rz9Lm4Wx8Vb";',
      'const url = "postgres://app:S3cretPg9@db.internal:5432/app";',
      'if (req.headers["x-admin-token"] === "a8F2kQ9zLm3Wx7Rb") {',
    ],
    "app/settings.py": [
      "SECRET_KEY = 'django-insecure-9x$k2m@p7q!w3e8r'",
      'conn = psycopg2.connect(host=host, password="Pg5ecure!2024")',
      'headers = {"X-Api-Key": "b8e2f94c1d7a4f3e"}',
      'REDIS_URL = "redis://:r3disPa55@cache.prod.internal:6379/0"',
    ],
    "internal/client/client.go": [
      '\tconst apiToken = "tk_9f8e7d6c5b4a3210"',
      '\t\tPassword: "Gh7!kLm2pQ",',
      '\tbroker := "amqp://svc:Rb7tMqPass@rabbit.prod:5672/"',
    ],
    "src/main/java/com/acme/Billing.java": ['    private static final String CLIENT_SECRET = "a9F3kL2mQ8zX5vB1";'],
    "src/main/kotlin/com/acme/Signer.kt": ['    val signingKey: String = "Zq4Wm8Xr2Tn6Yp0L"'],
    "config/initializers/secrets.rb": ['config.secret_key_base = "5c1e2f8a9b7d6c4e3f2a1b0c9d8e7f6a"', '  password: "R3dis!Pass9",'],
    "app/config.php": ["$dbPassword = 'M7s#qL2wZ9';", "    'api_key' => 'pk9Xw2Lm7Qr4Tz8B',"],
    "config/application.yml": ["  password: Sup3rS3cretDb!", "  url: mongodb+srv://svc:Mng0Pass9@cluster0.ab1cd.mongodb.net/prod"],
    "docker-compose.yml": ["      - POSTGRES_PASSWORD=Pg9Prod!Secret"],
    ".github/workflows/deploy.yml": ["          API_TOKEN: 7f3e9a1c5b2d8f4e6a0c"],
    "src/main/resources/application.properties": [
      "spring.datasource.password=Db9Pass#Prod",
      "spring.datasource.url=jdbc:postgresql://db.prod:5432/app?user=app&password=Jd8cPass!",
    ],
    "infra/rds.tf": ['  master_password = "Tf8#RdsProd2x"'],
    "infra/prod.tfvars": ['db_password = "Rx7!mN3qPz"'],
    Dockerfile: ["ENV API_KEY=3f9a7c1e5b2d8f4a", "ARG NPM_TOKEN=4e8b2f6a1c9d3e7b", "ENV DB_PASSWORD Pr0d#Passw0rd"],
    "config/production.json": ['  "clientSecret": "Vq7Lm2Xz9Rk4Wp1N",'],
  },
  silent: {
    "src/db.ts": [
      'const password = "changeme";',
      '  apiKey: "<your-api-key>",',
      "const token = process.env.GITHUB_TOKEN;",
      "  password: string;",
      '  password: "",',
      'const password = "password";',
      '  token: "xxxxxxxxxxxxxxxx",',
      '  password: "***",',
      '  secret: "${JWT_SECRET}",',
      "  headers: { Authorization: `Bearer ${token}` },",
      'const token = localStorage.getItem("token");',
      'const TOKEN_STORAGE_KEY = "auth_token_v2";',
      'const ACCESS_TOKEN = "access_token";',
      '  tokenType: "Bearer",',
      '  password: "test1234",',
      'const apiKey = "example-key-123";',
      'const password = "dummy-pass-1";',
      'const SECRET = "JWT_SIGNING_SECRET";',
      'const resetPassword = "/account/reset-password";',
      'if (pem.startsWith("' + PEM("RSA ") + '")) {',
      'const PEM_HEADER = "' + PEM("") + '";',
      'const url = "postgres://postgres:postgres@localhost:5432/dev";',
      "const url = `postgres://app:${process.env.DB_PASSWORD}@db:5432/app`;",
      "// const dbPassword = \"Xk9#mP2vLq\";",
      "const passwordHash = await bcrypt.hash(password, 12);",
    ],
    "src/locales/de.ts": ['  password: "Passwort",', '  forgotPassword: "Passwort vergessen?",', '  password: "Mot de passe",'],
    "app/settings.py": [
      'password = os.environ["DB_PASSWORD"]',
      'SECRET_KEY = os.getenv("SECRET_KEY")',
      'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
      "response = client.chat(messages, max_tokens=1024)",
      'password = getpass.getpass("Password: ")',
      '# password = "Xk9#mP2vLq"',
      'secret = "projects/acme/secrets/db-password/versions/latest"',
      'token_url = "https://oauth2.googleapis.com/token"',
      'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"',
    ],
    "internal/client/client.go": ['\tpassword := os.Getenv("DB_PASSWORD")', "\tif _, err := db.Exec(query, token); err != nil {"],
    "src/main/java/com/acme/Billing.java": [
      '    String password = System.getenv("DB_PASSWORD");',
      '    private static final String TOKEN_PREFIX = "Bearer ";',
      '    @Value("${jwt.secret}")',
    ],
    "config/initializers/secrets.rb": ['password = ENV["DB_PASSWORD"]', 'api_key = ENV.fetch("API_KEY")'],
    "app/config.php": ["$password = getenv('DB_PASSWORD');"],
    "config/application.yml": [
      "  password: ${DB_PASSWORD}",
      '  password: "{{ .Values.db.password }}"',
      "  password: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
      "  password: ENC[AES256_GCM,data:Zm9vYmFy,iv:abc123==,tag:def456==,type:str]",
      "  password: !vault |",
      "  integrity: sha512-3fa9b1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
      "          secretKeyRef:",
      "  password:",
    ],
    ".github/workflows/deploy.yml": [
      "          token: ${{ secrets.GITHUB_TOKEN }}",
      "          password: ${{ secrets.REGISTRY_PASSWORD }}",
      "          github-token: ${{ github.token }}",
    ],
    Dockerfile: [
      "FROM node:20-alpine@sha256:5f4dcc3b5aa765d61d8327deb882cf995f4dcc3b5aa765d61d8327deb882cf99",
      "ARG NPM_TOKEN",
      "ENV API_KEY=$API_KEY",
      "RUN --mount=type=secret,id=npm_token npm ci",
    ],
    "infra/rds.tf": ["  password = var.db_password", "  master_password = random_password.db.result", '  default = ""'],
    ".env": ["DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev", "REDIS_URL=redis://:password@redis:6379"],
    ".env.example": ["DB_PASSWORD=Xk9#mP2vLq"],
    "docs/setup.md": [PEM("RSA "), "export API_TOKEN=7f3e9a1c5b2d8f4e6a0c"],
    "test/fixtures/users.ts": ['  password: "Xk9#mP2vLq",'],
    "src/auth/auth.test.ts": [`const token = "${JWT}";`],
    "go.sum": ["github.com/acme/tokens v1.4.2 h1:9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8="],
    "config/messages.yml": ["  help: Paste the token: it starts with tk9Lm2Qx7Wv4"],
    "src/keys/public.ts": ['const key = "-----BEGIN PUBLIC KEY-----";'],
    "templates/login.html": ['<input type="password" name="password" value="">'],
  },
  moved: {
    "src/db.ts": ['const dbPassword = "Xk9#mP2vLq";', 'const url = "postgres://app:S3cretPg9@db.internal:5432/app";'],
    "src/github.ts": [`const appToken = '${GH_APP}';`],
    "config/keys.py": [`PRIVATE_KEY = """${PEM("RSA ")}`],
    "config/application.yml": ["  password: Sup3rS3cretDb!"],
    Dockerfile: ["ENV API_KEY=3f9a7c1e5b2d8f4a"],
  },
});

describe("secret identity", () => {
  it("changing the value of an already hard-coded name is a rewrite, not a new secret", () => {
    const hits = scan(secret, [
      { path: "src/db.ts", status: "modified", patch: patchOf(['const dbPassword = "Zr4!tW8nBv";'], ['const dbPassword = "Xk9#mP2vLq";']) },
    ]);
    expect(hits).toEqual([]);
  });
  it("a token replaced by another under the same name is a rewrite", () => {
    const other = fake("gh" + "p_", 36, 99);
    const hits = scan(secret, [
      { path: ".env", status: "modified", patch: patchOf([`GITHUB_TOKEN=${other}`], [`GITHUB_TOKEN=${GH_PAT}`]) },
    ]);
    expect(hits).toEqual([]);
  });
  it("a new credential next to an existing one fires once, on the new line", () => {
    const hits = scan(secret, [
      {
        path: "src/db.ts",
        status: "modified",
        patch: patchOf(['const dbPassword = "Zr4!tW8nBv";', 'const cacheSecret = "Lp3#vN8qWx";'], ['const dbPassword = "Xk9#mP2vLq";']),
      },
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[2, "hard-coded credential assigned in code or config"]]);
  });
  it("replacing a literal with an environment lookup does not fire", () => {
    const hits = scan(secret, [
      { path: "src/db.ts", status: "modified", patch: patchOf(["const dbPassword = process.env.DB_PASSWORD;"], ['const dbPassword = "Xk9#mP2vLq";']) },
    ]);
    expect(hits).toEqual([]);
  });
});

describe("secret excerpts", () => {
  it("the finding from scan() never shows the value", () => {
    const [hit] = hitsForAdded(secret, "src/db.ts", 'const dbPassword = "Xk9#mP2vLq";');
    expect(hit?.excerpt).toBe('const dbPassword = "****";');
    const [conn] = hitsForAdded(secret, "src/db.ts", 'const url = "postgres://app:S3cretPg9@db.internal:5432/app";');
    expect(conn?.excerpt).not.toContain("S3cretPg9");
  });
  it("redactSecrets masks token shapes, assigned values and URL passwords (proposed for every excerpt)", () => {
    expect(redactSecrets(`const t = "${GH_PAT}";`, "js")).toBe('const t = "ghp_****";');
    expect(redactSecrets("DB_PASSWORD=Qw8#Er5tYu", "text")).toBe("DB_PASSWORD=****");
    expect(redactSecrets("url: redis://:r3disPa55@cache.prod:6379", "yaml")).not.toContain("r3disPa55");
  });
});

describe("secret values", () => {
  it("tells placeholders and prose from credentials", () => {
    for (const v of ["changeme", "<your-key>", "${VAR}", "{{ .Values.x }}", "${{ secrets.X }}", "xxx", "***", "example", "dummy", "test", "password", ""]) {
      expect(isPlaceholder(v), v).toBe(true);
    }
    for (const v of ["Passwort", "session_token_v2", "Bearer", "aaaaaaaaaaaa", "Forgot password?"]) expect(looksSecret(v), v).toBe(false);
    for (const v of ["Xk9#mP2vLq", "f3b1c9e07a2d4e5b8c6a9d0e1f2a3b4c", "wJalrXUtnFEMIK7MDENGbPxRfiCYzQ"]) expect(looksSecret(v), v).toBe(true);
  });
});

describe("secret in Kubernetes manifests", () => {
  const header = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: db-credentials", "type: Opaque"];
  it("a Secret's data values are committed credentials, placeholders and short values are not", () => {
    const lines = [...header, "data:", `  username: ${b64("admin")}`, `  password: ${b64("Pr0dDbPass!9")}`, `  fallback: ${b64("changeme")}`];
    const hits = scan(secret, [{ path: "k8s/db-secret.yaml", status: "added", patch: patchOf(lines) }]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[8, "Kubernetes Secret value committed in the manifest"]]);
    expect(hits[0]!.excerpt).not.toContain(b64("Pr0dDbPass!9"));
  });
  it("stringData values and private keys in data fire; certificates do not", () => {
    const lines = [
      ...header,
      "stringData:",
      "  DATABASE_URL: postgresql://app:Lq8!mZ3wPx@db.prod:5432/app",
      "  api-key: 9f8e7d6c5b4a3f2e1d0c",
      "data:",
      `  tls.crt: ${b64("-----BEGIN CERTIFICATE-----\nMIIB")}`,
      `  tls.key: ${b64(PEM("") + "\nMIIE")}`,
    ];
    const hits = scan(secret, [{ path: "k8s/app-secret.yaml", status: "added", patch: patchOf(lines) }]);
    expect(hits.map((h) => h.line)).toEqual([7, 8, 11]);
  });
  it("a value added inside an existing Secret is read with the whole file", () => {
    const content = [...header, "data:", `  username: ${b64("svc-billing")}`, `  token: ${b64("tk9Lm2Qx7Wv4")}`].join("\n");
    const patch = ["@@ -7,1 +7,2 @@", `   username: ${b64("svc-billing")}`, `+  token: ${b64("tk9Lm2Qx7Wv4")}`].join("\n");
    const hits = scan(secret, [{ path: "k8s/db-secret.yaml", status: "modified", patch, content }]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[8, "Kubernetes Secret value committed in the manifest"]]);
  });
  it("ConfigMaps, sealed secrets and Helm templates do not fire", () => {
    const configMap = ["apiVersion: v1", "kind: ConfigMap", "data:", `  LOG_LEVEL: ${b64("debug-verbose-9")}`];
    const sealed = ["kind: SealedSecret", "spec:", "  encryptedData:", `    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq${fake("", 60, 41)}`];
    const helm = [...header, "data:", "  password: {{ .Values.db.password | b64enc | quote }}"];
    for (const [path, lines] of [["k8s/cm.yaml", configMap], ["k8s/sealed.yaml", sealed], ["charts/app/templates/secret.yaml", helm]] as const) {
      expect(scan(secret, [{ path, status: "added", patch: patchOf(lines) }]), path).toEqual([]);
    }
  });
  it("a credential-named env entry takes its value from the next line", () => {
    const fires = hitsForAdded(secret, "k8s/deploy.yaml", '          value: "Pg9Prod!Secret"', ["        - name: DB_PASSWORD"]);
    expect(fires.map((h) => h.line)).toEqual([2]);
    expect(hitsForAdded(secret, "k8s/deploy.yaml", '          value: "$(DB_PASSWORD)"', ["        - name: DB_PASSWORD"])).toEqual([]);
    expect(hitsForAdded(secret, "k8s/deploy.yaml", '          value: "Pg9Prod!Secret"', ["        - name: LOG_FORMAT"])).toEqual([]);
  });
});

describe("secret on hostile input", () => {
  it("runs its rules and scan on 2,000-character lines without firing", () => {
    const lines = [
      "a".repeat(2000),
      "=".repeat(2000),
      "a:".repeat(1000),
      `password${" ".repeat(1990)}`,
      "-----BEGIN ".repeat(180),
      "AKIA".repeat(500),
      "eyJ".repeat(666),
      "x:y@".repeat(500),
      `value: ${" ".repeat(1990)}x`,
    ];
    for (const path of ["src/a.ts", "config/a.yml", ".env", "Dockerfile"]) {
      for (const line of lines) expect(hitsForAdded(secret, path, line), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
});

describe("secret: the per-line prefilters let every credential through", () => {
  it("reads credential names with separators anywhere inside the word", () => {
    for (const line of [
      'const P_A_S_S_W_O_R_D = "Zx81kQm2Lp0vRt7w";',
      'const apiK_e_y = "Zx81kQm2Lp0vRt7w";',
      'const db_pass_word = "Zx81kQm2Lp0vRt7w";',
      'const authorization = "Zx81kQm2Lp0vRt7w";',
    ]) {
      expect(hitsForAdded(secret, "config/app.ts", line).map((h) => h.label), line).toEqual(["hard-coded credential assigned in code or config"]);
    }
    expect(hitsForAdded(secret, "config/app.yaml", "signing.key: Zx81kQm2Lp0vRt7w").length).toBe(1);
  });
  it("reads passwords in URLs and in connection-string parameters of any case", () => {
    for (const line of [
      'const url = "postgres://app:Zx81kQm2Lp0v@db.internal:5432/app";',
      'const dsn = "Server=db;Database=app;User Id=app;PASSWORD=Zx81kQm2Lp0v";',
      'const dsn = "host=db;Pwd=Zx81kQm2Lp0v";',
    ]) {
      expect(hitsForAdded(secret, "src/db.ts", line).map((h) => h.label), line).toEqual(["password inside a connection string"]);
    }
  });
});
