import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { outboundCall } from "./outbound-call.js";

signalCases(outboundCall, {
  fires: {
    "src/api/payments.ts": [
      'const res = await fetch("https://api.stripe.com/v1/charges", { method: "POST", body });',
      "const res = await fetch(`${PAYMENTS_URL}/refunds`, { method: 'POST' });",
      "const res = await window.fetch(endpoint);",
      'const { data } = await axios.post("https://hooks.slack.com/services/T000/B000/XXX", payload);',
      "const user = await axios.get<User>(`${config.usersApi}/users/${id}`);",
      "const req = https.request(options, (res) => {",
      "https.get(`https://${host}/health`, onResponse);",
      "const body = await got.post(webhookUrl, { json: event }).json();",
      "const items = await ky.get(`${baseUrl}/items`).json();",
      "superagent.post(callbackUrl).send(result).end(done);",
      "const { body } = await undici.request(upstream);",
      'const socket = new WebSocket("wss://stream.example.com/prices");',
      "const events = new EventSource(streamUrl);",
      'xhr.open("POST", reportUrl, true);',
      "navigator.sendBeacon(analyticsUrl, payload);",
      'const api = axios.create({ baseURL: "https://api.partner.com/v2", timeout: 5000 });',
      'const transporter = nodemailer.createTransport({ host: "smtp.mailgun.org", port: 587 });',
      "const conn = await amqp.connect(process.env.AMQP_URL);",
      'const client = new UsersServiceClient("users.internal:50051", credentials.createInsecure());',
      'await postJson("https://api.partner.com/orders", order);',
    ],
    "src/app/invoice.service.ts": ["    return this.http.get<Invoice[]>(`${environment.apiUrl}/invoices`);"],
    "app/services/billing.py": [
      'resp = requests.post("https://api.stripe.com/v1/refunds", data=payload, timeout=10)',
      'r = requests.get(f"{settings.GEO_API}/lookup", params={"ip": ip})',
      'async with httpx.AsyncClient(base_url="https://api.partner.com") as client:',
      "resp = httpx.get(url, timeout=5)",
      "async with aiohttp.ClientSession() as session:",
      "async with session.get(self.feed_url) as resp:",
      "with urllib.request.urlopen(req, timeout=10) as resp:",
      'conn = http.client.HTTPSConnection("api.example.com")',
      'channel = grpc.insecure_channel("inventory:50051")',
      'server = smtplib.SMTP("smtp.sendgrid.net", 587)',
      "producer = KafkaProducer(bootstrap_servers=settings.KAFKA_BROKERS)",
    ],
    "internal/client/partner.go": [
      '\tresp, err := http.Get("https://api.partner.com/v1/status")',
      '\treq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/orders", body)',
      "\tresp, err := c.httpClient.Do(req)",
      '\tconn, err := grpc.Dial("payments:9090", grpc.WithTransportCredentials(creds))',
      "\tconn, err := grpc.NewClient(target, opts...)",
      "\tconn, err := amqp.Dial(cfg.AMQPURL)",
      '\tresp, err := client.R().SetBody(order).Post("/orders")',
      "\trdb := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr})",
    ],
    "src/main/java/com/acme/PartnerClient.java": [
      '        ResponseEntity<Order> res = restTemplate.postForEntity(partnerUrl + "/orders", order, Order.class);',
      "        return restTemplate.exchange(url, HttpMethod.GET, entity, String.class);",
      '        WebClient client = WebClient.create("https://api.partner.com");',
      "        return webClient.post()",
      '        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.partner.com/v1/orders"))',
      "        Request request = new Request.Builder().url(endpoint).build();",
      '@FeignClient(name = "inventory", url = "${inventory.url}")',
      "        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();",
      "        HttpURLConnection conn = (HttpURLConnection) new URL(endpoint).openConnection();",
      '            .uri("/orders/{id}", id)',
    ],
    "src/main/kotlin/com/acme/Partner.kt": [
      '    val response: HttpResponse = client.get("https://api.partner.com/v1/items")',
      "    val request = Request.Builder().url(url).post(body).build()",
    ],
    "app/services/geo_client.rb": [
      '    response = Net::HTTP.get_response(URI("https://geo.example.com/lookup?ip=#{ip}"))',
      '    conn = Faraday.new(url: "https://api.partner.com") do |f|',
      '    HTTParty.post("#{base}/webhooks", body: payload.to_json)',
      '  base_uri "https://api.partner.com/v2"',
      "    RestClient.post(endpoint, payload, content_type: :json)",
      "    data = URI.open(feed_url).read",
    ],
    "app/Services/Partner.php": ["        $response = Http::withToken($token)->post($url, $payload);", "        $ch = curl_init($endpoint);"],
    "Services/PartnerClient.cs": ['        var response = await _httpClient.PostAsJsonAsync("orders", order);'],
  },
  silent: {
    "src/api/payments.ts": [
      'const DOCS_URL = "https://docs.stripe.com/api/charges";',
      'const users = await fetch("/api/users");',
      "const res = await axios.get(`/api/orders/${id}`);",
      "const cached = cache.fetch(key);",
      "  async fetch(request: Request, env: Env) {",
      "  fetch(id: string): Promise<User>;",
      'throw new Error("Request failed, see https://status.example.com");',
      'console.log("calling https://api.partner.com");',
      'res.redirect("https://accounts.example.com/login");',
      'window.open("https://example.com/help", "_blank");',
      'const u = new URL("https://api.partner.com/v1");',
      'if (url.startsWith("https://")) return url;',
      'const ok = isValidUrl("https://example.com");',
      '// await fetch("https://api.stripe.com/v1/charges");',
      'await fetch("https://api.stripe.com/v1/charges"); // threat-model: ignore',
      "const links = prefetch(routes);",
      "const { data } = useFetch(key);",
      'const xmlns = "http://www.w3.org/2000/svg";',
    ],
    "src/styles/theme.ts": ['  background: url("https://cdn.example.com/bg.png");'],
    "src/components/Footer.tsx": ['      <a href="https://github.com/acme/app">GitHub</a>', '  const links = { docs: "https://docs.acme.dev" };'],
    "package.json": ['  "$schema": "https://json.schemastore.org/package.json",', '  "homepage": "https://github.com/acme/app",'],
    "package-lock.json": ['      "resolved": "https://registry.npmjs.org/axios/-/axios-1.7.2.tgz",'],
    "pom.xml": ['<project xmlns="http://maven.apache.org/POM/4.0.0">'],
    "src/index.html": ['  <script src="https://cdn.example.com/lib.js"></script>', '  <link rel="stylesheet" href="https://fonts.googleapis.com/css">'],
    "docs/usage.md": ['const res = await fetch("https://api.example.com");'],
    "Dockerfile": ["RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -"],
    "app/services/billing.py": [
      'DOCS = "https://docs.python.org/3/library/urllib.html"',
      'user_id = session.get("user_id")',
      "user = session.get(User, user_id)",
      'value = settings.get("PARTNER_URL")',
      'logger.info("posting to https://api.partner.com")',
      'parsed = urlparse("https://api.partner.com/v1")',
      'return redirect("https://accounts.example.com/login")',
      '# requests.get("https://api.partner.com")',
    ],
    "internal/client/partner.go": [
      '\tconst docsURL = "https://pkg.go.dev/net/http"',
      '\tu, err := url.Parse("https://api.partner.com")',
      '\tfmt.Println("https://api.partner.com")',
      "\tv, err := c.Get(key)",
      "func (c *Client) Do(req *http.Request) (*http.Response, error) {",
    ],
    "src/main/java/com/acme/PartnerClient.java": [
      '    private static final String DOCS = "https://docs.spring.io/";',
      "    public Order exchange(Order order) {",
      '        log.info("calling https://api.partner.com");',
      "            .url(env.getProperty(\"spring.datasource.url\"))",
    ],
    "app/services/geo_client.rb": ["    value = params.fetch(:url)", '    redirect_to "https://accounts.example.com"'],
    "src/lib/license.ts": ["// Licensed under https://www.apache.org/licenses/LICENSE-2.0"],
  },
  moved: {
    "src/api/payments.ts": ['const res = await fetch("https://api.stripe.com/v1/charges", { method: "POST", body });'],
    "app/services/billing.py": ['resp = requests.post("https://api.stripe.com/v1/refunds", data=payload, timeout=10)'],
    "internal/client/partner.go": ['\tresp, err := http.Get("https://api.partner.com/v1/status")'],
    "src/main/java/com/acme/PartnerClient.java": ['        WebClient client = WebClient.create("https://api.partner.com");'],
    "app/services/geo_client.rb": ['    conn = Faraday.new(url: "https://api.partner.com") do |f|'],
  },
});

const file = (path: string, added: string[], removed: string[] = [], context: string[] = []) => ({
  path,
  status: "modified" as const,
  patch: patchOf(added, removed, context),
});

describe("outbound-call identity", () => {
  it("a call re-wrapped by a formatter, its URL moved to the next line, is not new", () => {
    const hits = scan(outboundCall, [
      file(
        "src/api/payments.ts",
        ["const res = await fetch(", '  "https://api.stripe.com/v1/charges",', "  { method: 'POST', body },", ");"],
        ['const res = await fetch("https://api.stripe.com/v1/charges", { method: "POST", body });'],
      ),
    ]);
    expect(hits).toEqual([]);
  });
  it("a wrapped call joined onto one line is not new either", () => {
    const hits = scan(outboundCall, [
      file(
        "app/services/billing.py",
        ['resp = requests.post("https://api.stripe.com/v1/refunds", data=payload, timeout=10)'],
        ["resp = requests.post(", '    "https://api.stripe.com/v1/refunds",', "    data=payload,", ")"],
      ),
    ]);
    expect(hits).toEqual([]);
  });
  it("new options on a call to the same URL, or the same target variable, are not a new call", () => {
    expect(
      scan(outboundCall, [
        file(
          "app/services/billing.py",
          ['resp = requests.post("https://api.stripe.com/v1/refunds?expand=charge", json=body, timeout=5)'],
          ['resp = requests.post("https://api.stripe.com/v1/refunds", data=payload)'],
        ),
      ]),
    ).toEqual([]);
    expect(
      scan(outboundCall, [file("src/api/feed.ts", ["const res = await fetch(feedUrl, { signal });"], ["const res = await fetch(feedUrl);"])]),
    ).toEqual([]);
  });
  it("a call that now goes to a different host fires", () => {
    const hits = scan(outboundCall, [
      file(
        "src/api/payments.ts",
        ['const res = await fetch("https://payments.partner.io/v1/charges", { method: "POST", body });'],
        ['const res = await fetch("https://api.stripe.com/v1/charges", { method: "POST", body });'],
      ),
    ]);
    expect(hits.map((h) => h.label)).toEqual(["fetch"]);
  });
  it("a URL moved from a removed constant into the call is not a new destination", () => {
    const hits = scan(outboundCall, [
      file("src/api/geo.ts", ['const res = await fetch("https://geo.example.com/lookup");'], ['const GEO_URL = "https://geo.example.com/lookup";']),
    ]);
    expect(hits).toEqual([]);
  });
  it("the same URL called twice in one file prompts once", () => {
    const hits = hitsForAdded(outboundCall, "src/api/geo.ts", [
      'const a = await fetch("https://geo.example.com/lookup");',
      'const b = await fetch("https://geo.example.com/lookup", { cache: "no-store" });',
    ]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
});

describe("outbound-call: one prompt per request", () => {
  it("Go: NewRequest and the client.Do that sends it are one call", () => {
    const hits = hitsForAdded(outboundCall, "internal/client/partner.go", [
      '\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/status", nil)',
      "\tif err != nil {",
      "\t\treturn err",
      "\t}",
      "\tresp, err := c.httpClient.Do(req)",
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[1, "net/http request"]]);
  });
  it("Go: a Do added under an existing request builder is not a new destination", () => {
    const hits = hitsForAdded(outboundCall, "internal/client/partner.go", ["\tresp, err := c.retrying.Do(req)"], [
      '\treq, err := http.NewRequest("GET", c.baseURL+"/status", nil)',
    ]);
    expect(hits).toEqual([]);
  });
  it("Java: a WebClient chain over several lines prompts once", () => {
    const hits = hitsForAdded(outboundCall, "src/main/java/com/acme/PartnerClient.java", [
      "        return webClient.get()",
      '            .uri("/orders/{id}", id)',
      "            .retrieve()",
      "            .bodyToMono(Order.class);",
    ]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
  it("Java: HttpRequest.newBuilder and client.send are one call", () => {
    const hits = hitsForAdded(outboundCall, "src/main/java/com/acme/PartnerClient.java", [
      '        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.partner.com/v1/orders")).build();',
      "        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());",
    ]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
});

describe("outbound-call on hostile input", () => {
  const hostile = [
    "a".repeat(2000),
    "/".repeat(2000),
    "(".repeat(2000),
    "fetch ".repeat(333),
    "http://".repeat(285),
    "a.".repeat(1000),
    "<".repeat(2000),
    `x${" ".repeat(1998)}y`,
    "client.".repeat(285),
    "'".repeat(2000),
  ];
  const paths = ["src/a.ts", "app/a.py", "cmd/a.go", "src/A.java", "app/a.rb", "app/A.php", "src/A.cs", "infra/a.tf"];
  it("runs its patterns on 2,000-character lines without firing", () => {
    for (const line of hostile) {
      for (const path of paths) expect(hitsForAdded(outboundCall, path, line)).toEqual([]);
    }
  });
});

describe("outbound-call: each call rule's hint lets its calls through", () => {
  const cases: [string, string, string][] = [
    ["src/a.ts", 'request.post("https://api.example.com/hooks", cb);', "request"],
    ["src/a.ts", 'request("//cdn.example.com/x.js", cb);', "request"],
    ["src/main/java/Mail.java", "        Transport.send(message);", "SMTP send"],
    ["app/jobs/a.rb", 'conn = Bunny.new(ENV["AMQP_URL"])', "message broker or mail connection"],
    ["app/jobs/a.rb", 'redis = Redis.new(url: ENV["REDIS_URL"])', "message broker or mail connection"],
  ];
  for (const [path, line, label] of cases) {
    it(`${path}: ${line.trim()}`, () => {
      expect(hitsForAdded(outboundCall, path, line).map((h) => h.label)).toEqual([label]);
    });
  }
});
