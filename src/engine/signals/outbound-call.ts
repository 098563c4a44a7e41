import type { Language } from "../changes/languages.js";
import { excerpt } from "./run.js";
import type { ChangeView, FileScan, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { identifierWords, lookBack, visibleIndexes } from "./source-text.js";

/**
 * New outbound network calls. The table below names the calls; `scan` runs it because a
 * call's identity (its URL, or failing that its first argument) must be shared by every rule
 * and may sit on the line after the call when a formatter wraps it: `fetch(` on one line and
 * its URL on the next is the same call as `fetch("https://...")` on one line.
 */

type Hit = Omit<SignalHit, "signal" | "file">;

interface CallRule {
  label: string;
  languages: readonly Language[] | "any";
  /**
   * What every line the pattern matches contains: a call of one of `calls` (a `.`, spaces and
   * a name starting so), or text `text` finds. A line that holds none of the hints of its
   * language's rules cannot match the table, so its patterns are not run.
   */
  hint: Hint;
  /** Matches the call; for calls with parentheses it ends just after the opening one. */
  pattern: RegExp;
  unless?: RegExp;
  /** Sends a request built earlier (Go `client.Do(req)`): silent when a request builder is in view above. */
  sender?: boolean;
  /** A first argument that is a same-origin path (`'/api/users'`) is the frontend calling its own backend. */
  relativeIsLocal?: boolean;
}

interface Hint {
  calls?: readonly string[];
  text?: RegExp;
}

const CODE: readonly Language[] = ["js", "python", "go", "java", "ruby", "php", "csharp", "rust"];
/** `<T>` type arguments between a method name and its parenthesis, bounded. */
const TYPE_ARGS = String.raw`(?:<[^()]{0,200}>\s*)?`;

const FETCH_DEFINITION =
  /(?:\bfunction\s*\*?\s*|^\s*(?:async\s+)?|\basync\s+)fetch\s*\([^)'"`]*\)\s*(?::[^{}=;]*)?\{\s*$|\bfetch\s*\(\s*\w+\??\s*:\s*\w|\bfetch\s*\(\s*\)/;

const CALLS: readonly CallRule[] = [
  // JavaScript / TypeScript
  {
    label: "fetch",
    languages: ["js"],
    hint: { text: /fetch/ },
    pattern: /(?:^|[^\w$.]|\b(?:window|globalThis|self)\s*\.\s*)(?:\$|o)?fetch\s*\(/,
    unless: FETCH_DEFINITION,
    relativeIsLocal: true,
  },
  {
    label: "axios",
    languages: ["js"],
    hint: { text: /axios/ },
    pattern: new RegExp(String.raw`\baxios\s*(?:\.\s*(?:get|post|put|patch|delete|head|options|request|postForm|putForm|patchForm)\s*)?${TYPE_ARGS}\(`),
    relativeIsLocal: true,
  },
  {
    label: "Node or Angular HTTP client",
    languages: ["js"],
    hint: { text: /ttp(?:s|2|Client)?\s*\./ },
    pattern: new RegExp(String.raw`\b(?:https?|http2|httpClient|HttpClient)\s*\.\s*(?:get|post|put|patch|delete|head|options|request|connect|jsonp)\s*${TYPE_ARGS}\(`),
    relativeIsLocal: true,
  },
  {
    label: "HTTP client library",
    languages: ["js"],
    hint: { text: /\b(?:got|ky|superagent|needle|undici|phin|wretch)\b/ },
    pattern: new RegExp(String.raw`\b(?:got|ky|superagent|needle|undici|phin|wretch)\s*(?:\.\s*(?:get|post|put|patch|delete|del|head|request|stream|fetch|paginate)\s*)?${TYPE_ARGS}\(`),
    relativeIsLocal: true,
  },
  {
    label: "request",
    languages: ["js"],
    hint: { text: /\/\// },
    pattern: /\brequest\s*(?:\.\s*(?:get|post|put|patch|delete|head)\s*)?\(\s*['"`](?:https?:)?\/\//,
  },
  {
    label: "WebSocket or event stream",
    languages: ["js"],
    hint: { text: /WebSocket|EventSource|\/\// },
    pattern: /\bnew\s+(?:WebSocket|EventSource|ReconnectingWebSocket|W3CWebSocket)\s*\(|\bio\s*\(\s*['"`](?:https?|wss?):\/\//,
  },
  {
    label: "XMLHttpRequest",
    languages: ["js"],
    hint: { calls: ["open", "sendBeacon"] },
    pattern: /\.open\s*\(\s*['"`](?:GET|POST|PUT|PATCH|DELETE|HEAD)['"`]\s*,|\bnavigator\s*\.\s*sendBeacon\s*\(/,
  },
  {
    label: "HTTP client base URL",
    languages: ["js"],
    hint: { text: /\/\// },
    pattern: /\b(?:baseURL|baseUrl|prefixUrl)\s*:\s*['"`](?:https?|wss?):\/\//,
  },
  {
    label: "message broker or mail connection",
    languages: ["js"],
    hint: { calls: ["connect", "createTransport"], text: /Kafka|Redis|createClient/ },
    pattern:
      /\b(?:amqp|amqplib|mqtt|nats)\s*\.\s*connect(?:Async)?\s*\(|\bnodemailer\s*\.\s*createTransport\s*\(|\bnew\s+(?:Kafka|Redis|IORedis)\s*\(\s*['"`{]|\bcreateClient\s*\(\s*\{\s*url\s*:/,
  },
  {
    label: "service client",
    languages: ["js", "java", "csharp"],
    hint: { text: /Client/ },
    pattern: /\bnew\s+\w{0,60}Client\s*\(\s*['"`](?:[\w.-]+:\d{2,5}['"`]|[a-z][\w+.-]*:\/\/)/,
  },
  // Python
  {
    label: "requests",
    languages: ["python"],
    hint: { text: /requests/ },
    pattern: /\brequests\s*\.\s*(?:get|post|put|patch|delete|head|options|request)\s*\(/,
  },
  {
    label: "httpx",
    languages: ["python"],
    hint: { text: /httpx/ },
    pattern: /\bhttpx\s*\.\s*(?:get|post|put|patch|delete|head|options|request|stream|Client|AsyncClient)\s*\(/,
  },
  {
    label: "aiohttp",
    languages: ["python"],
    hint: { text: /ClientSession|aiohttp/ },
    pattern: /\b(?:aiohttp\s*\.\s*)?ClientSession\s*\(|\baiohttp\s*\.\s*request\s*\(/,
  },
  {
    // Flask's session.get("user_id") and SQLAlchemy's session.get(User, 1) are not calls: the argument must be a URL.
    label: "HTTP session call",
    languages: ["python"],
    hint: { text: /[sS][eE][sS][sS]|[cC][lL][iI][eE][nN][tT]|[hH][tT][tT][pP]/ },
    pattern:
      /\b(?:session|sess|http_session|client|http_client|async_client|http)\s*\.\s*(?:get|post|put|patch|delete|head|request|stream)\s*\(\s*(?:[fr]?['"](?:https?|wss?):\/\/|(?:self\.)?\w{0,40}(?:url|uri|endpoint)\b)/i,
  },
  {
    label: "urllib or http.client",
    languages: ["python"],
    hint: { text: /url|PoolManager|Connection/ },
    pattern:
      /\b(?:urlopen|urlretrieve)\s*\(|\burllib\d?\s*\.\s*request\s*\.\s*Request\s*\(|\b(?:urllib3\s*\.\s*)?PoolManager\s*\(|\bHTTPS?Connection\s*\(/,
  },
  {
    label: "gRPC channel",
    languages: ["python"],
    hint: { text: /grpc/ },
    pattern: /\bgrpc\s*\.\s*(?:aio\s*\.\s*)?(?:insecure_channel|secure_channel)\s*\(/,
  },
  {
    label: "message broker or mail connection",
    languages: ["python"],
    hint: { text: /smtplib|pika|Kafka|redis|websockets/ },
    pattern:
      /\bsmtplib\s*\.\s*SMTP(?:_SSL)?\s*\(|\bpika\s*\.\s*(?:BlockingConnection|SelectConnection|URLParameters)\s*\(|\bKafka(?:Producer|Consumer|AdminClient)\s*\(|\bredis\s*\.\s*(?:Redis|StrictRedis)\s*\(\s*host\s*=|\bredis\s*\.\s*from_url\s*\(|\bwebsockets\s*\.\s*connect\s*\(/,
  },
  // Go
  {
    label: "net/http request",
    languages: ["go"],
    hint: { text: /http/ },
    pattern: /\bhttp\s*\.\s*(?:Get|Post|PostForm|Head|NewRequest|NewRequestWithContext)\s*\(/,
  },
  {
    label: "HTTP client Do",
    languages: ["go"],
    hint: { calls: ["Do"] },
    pattern: /\b(?:http\s*\.\s*DefaultClient|\w{0,40}[cC]lient|httpc)\s*\.\s*Do\s*\(/,
    sender: true,
  },
  {
    label: "gRPC dial",
    languages: ["go"],
    hint: { text: /grpc/ },
    pattern: /\bgrpc\s*\.\s*(?:Dial|DialContext|NewClient)\s*\(/,
  },
  {
    label: "network or broker dial",
    languages: ["go"],
    hint: { calls: ["Dial", "DefaultDialer", "SendMail", "Connect", "New"] },
    pattern:
      /\b(?:net|tls)\s*\.\s*Dial(?:Timeout)?\s*\(|\bwebsocket\s*\.\s*(?:Dial|DefaultDialer\s*\.\s*Dial(?:Context)?)\s*\(|\b(?:amqp|smtp|nats|mqtt)\s*\.\s*(?:Dial|DialTLS|DialConfig|SendMail|Connect)\s*\(|\bredis\s*\.\s*New(?:Cluster|Failover)?Client\s*\(|\bkafka\s*\.\s*(?:Dial|DialLeader|DialContext)\s*\(/,
  },
  {
    label: "resty request",
    languages: ["go"],
    hint: { text: /\.R\(\)/ },
    pattern: /\.R\(\)[^;]{0,300}?\.(?:Get|Post|Put|Patch|Delete|Head|Execute)\s*\(/,
  },
  // Java / Kotlin
  {
    label: "RestTemplate",
    languages: ["java"],
    hint: { calls: ["getForObject", "getForEntity", "postForObject", "postForEntity", "postForLocation", "patchForObject", "headForHeaders", "optionsForAllow", "exchange", "execute", "put", "delete"] },
    pattern:
      /\.\s*(?:getForObject|getForEntity|postForObject|postForEntity|postForLocation|patchForObject|headForHeaders|optionsForAllow)\s*\(|\b(?:rest[tT]emplate|restOperations|\w{1,40}RestTemplate)\s*\.\s*(?:exchange|execute|put|delete)\s*\(/,
  },
  {
    label: "WebClient or RestClient",
    languages: ["java"],
    hint: { text: /lient/ },
    pattern:
      /\b(?:WebClient|RestClient)\s*\.\s*(?:create|builder)\s*\(|\b(?:webClient|restClient|\w{1,40}WebClient|\w{1,40}RestClient)\s*\.\s*(?:get|post|put|patch|delete|head|method)\s*\(/,
  },
  {
    label: "request URL in a client builder",
    languages: ["java"],
    hint: { text: /^\s*\./ },
    pattern: /^\s*\.\s*(?:uri|baseUrl|url)\s*\(/,
    // DataSourceBuilder.create().url(...) configures a database, not an HTTP request.
    unless: /\bjdbc|[dD]ata[sS]ource|[dD][bB]_?[uU]rl/,
  },
  {
    label: "java.net.http client",
    languages: ["java"],
    hint: { text: /Http(?:Client|Request)/ },
    pattern: /\bHttpClient\s*\.\s*new(?:HttpClient|Builder)\s*\(|\bHttpRequest\s*\.\s*newBuilder\s*\(/,
  },
  {
    label: "HTTP client send",
    languages: ["java"],
    hint: { calls: ["send", "newCall"] },
    pattern: /\b\w{0,40}[cC]lient\s*\.\s*(?:send(?:Async)?\s*\(\s*\w+\s*,|newCall\s*\()/,
    sender: true,
  },
  {
    label: "OkHttp, Retrofit or Apache HttpClient",
    languages: ["java"],
    hint: { calls: ["openConnection", "openStream"], text: /Builder|Http/ },
    pattern:
      /\b(?:new\s+)?Request\s*\.\s*Builder\s*\(\s*\)|\bRetrofit\s*\.\s*Builder\s*\(\s*\)|\bnew\s+Http(?:Get|Post|Put|Patch|Delete|Head)\s*\(|\.\s*(?:openConnection|openStream)\s*\(\s*\)|\bHttpClient\s*\(\s*(?:CIO|OkHttp|Apache|Java|Android|Darwin|Js|Curl)\b/,
  },
  {
    label: "Feign client",
    languages: ["java"],
    hint: { text: /@FeignClient/ },
    pattern: /^\s*@FeignClient\b/,
  },
  {
    label: "gRPC channel",
    languages: ["java"],
    hint: { calls: ["forAddress", "forTarget", "newChannelBuilder"] },
    pattern: /\b(?:ManagedChannelBuilder|NettyChannelBuilder|OkHttpChannelBuilder|Grpc)\s*\.\s*(?:forAddress|forTarget|newChannelBuilder)\s*\(/,
  },
  {
    label: "SMTP send",
    languages: ["java"],
    hint: { text: /Transport/ },
    pattern: /\bTransport\s*\.\s*send\s*\(/,
  },
  // Ruby
  {
    label: "Net::HTTP",
    languages: ["ruby"],
    hint: { text: /Net::HTTP/ },
    pattern: /\bNet::HTTP(?:::(?:Get|Post|Put|Patch|Delete|Head))?\s*\.\s*(?:get|get_response|post|post_form|start|new|put|patch|delete|head)\b\s*\(?/,
  },
  {
    label: "Ruby HTTP client",
    languages: ["ruby"],
    hint: { text: /Faraday|HTTP|RestClient|Typhoeus|Excon|base_uri/ },
    pattern:
      /\b(?:Faraday\s*\.\s*(?:new|get|post|put|patch|delete|head)|HTTParty\s*\.\s*(?:get|post|put|patch|delete|head)|RestClient(?:::Request)?\s*\.\s*(?:get|post|put|patch|delete|head|execute)|(?:Typhoeus|Excon|HTTPX)(?:::Request)?\s*\.\s*(?:get|post|put|patch|delete|head|new|run)|HTTP\s*\.\s*(?:get|post|put|patch|delete|head|headers|auth|basic_auth|timeout|follow))\b\s*\(?|^\s*base_uri\s+['"]/,
  },
  {
    label: "open-uri",
    languages: ["ruby"],
    hint: { text: /URI|\/\// },
    pattern: /\bURI\s*\.\s*open\b\s*\(?|\bURI\s*\(\s*['"]https?:[^)]*\)\s*\.\s*(?:read|open)\b|(?:^|[^\w.])open\s*\(?\s*['"]https?:\/\//,
  },
  {
    label: "message broker or mail connection",
    languages: ["ruby"],
    hint: { text: /Net::SMTP|Bunny|Redis|Kafka/ },
    pattern: /\bNet::SMTP\s*\.\s*start\b\s*\(?|\bBunny\s*\.\s*new\b\s*\(?|\bRedis\s*\.\s*new\s*\(\s*url\s*:|\bKafka\s*\.\s*new\b\s*\(?/,
  },
  // PHP and C#
  {
    label: "PHP HTTP call",
    languages: ["php"],
    hint: { text: /curl_init|file_get_contents|Http::|Client|->\s*request/ },
    pattern:
      /\bcurl_init\s*\(|\bfile_get_contents\s*\(\s*['"]https?:\/\/|\bHttp::(?:get|post|put|patch|delete|withToken|withHeaders|baseUrl|acceptJson)\s*\(|\bnew\s+(?:\\?GuzzleHttp\\)?Client\s*\(\s*\[[^\]]*base_uri|->\s*request\s*\(\s*['"](?:GET|POST|PUT|PATCH|DELETE)['"]/,
  },
  {
    label: ".NET HttpClient",
    languages: ["csharp"],
    hint: { calls: ["Get", "Post", "Put", "Patch", "Delete", "Send"], text: /BaseAddress/ },
    pattern:
      /\b\w{0,40}(?:[cC]lient|[hH]ttp)\s*\.\s*(?:Get|Post|Put|Patch|Delete|Send)(?:Async|StringAsync|StreamAsync|ByteArrayAsync|FromJsonAsync|AsJsonAsync)\s*\(|\bBaseAddress\s*=\s*new\s+Uri\s*\(/,
  },
];

/** Any call given a URL literal as its first argument; the callee's name decides (see below). */
const URL_ARGUMENT = new RegExp(String.raw`(?:^|[^\w$])([A-Za-z_$][\w$]{0,60})\s*${TYPE_ARGS}\(\s*[fFrRbB]?['"\`](?:https?|wss?|grpcs?):\/\/[\w-]`, "g");
/** Words in a callee's name that make it a network call... */
const NETWORK_WORDS = new Set([
  "get", "post", "put", "patch", "delete", "del", "head", "request", "requests", "fetch", "call", "send", "download",
  "upload", "connect", "dial", "invoke", "http", "https", "api", "client", "webhook", "ping", "poll", "urlopen", "curl",
  "wget", "subscribe", "proxy", "url", "uri", "endpoint", "rpc", "grpc", "socket", "websocket", "notify",
]);
/** ...unless another word says it formats, logs, checks or navigates to the URL instead. */
const NOT_CALL_WORDS = new Set([
  "redirect", "log", "logger", "print", "println", "printf", "format", "sprintf", "assert", "expect", "equal", "equals",
  "match", "matches", "test", "compile", "parse", "starts", "ends", "startswith", "endswith", "includes", "contains",
  "replace", "split", "join", "escape", "encode", "decode", "quote", "link", "href", "navigate", "open", "render",
  "translate", "is", "valid", "validate", "check", "normalize", "sanitize", "build", "make", "to", "from", "error", "warn",
  "info", "debug", "mock", "stub",
]);
/** Constructors of URL values, and CSS `url(...)`: a URL, not a call. */
const URL_VALUE_CALLEES = /^(?:url|uri|URL|URI|Uri|URLSearchParams|urlparse|urljoin|urlsplit|parse_url)$/;

const URL_LITERAL = /\b(?:https?|wss?|grpcs?):\/\/[^\s'"`<>()[\],;\\]+/g;

export const outboundCall: SignalDefinition = {
  id: "outbound-call",
  title: "New outbound network call",
  stride: ["information-disclosure", "tampering", "spoofing", "denial-of-service"],
  severity: "medium",
  flows: "outbound",
  question:
    "Which service does this new call reach, what data does it send, is the destination fixed or can a caller influence it (SSRF), and is TLS verified with a timeout set?",
  detects:
    "Outbound calls and the URLs passed to them: fetch, axios, got, ky, superagent, undici, Node http/https, Angular HttpClient, WebSocket and EventSource; Python requests, httpx, aiohttp, urllib, http.client, gRPC channels; Go net/http, http.Client Do, gRPC dial, resty, net.Dial; Java/Kotlin RestTemplate, WebClient, RestClient, java.net.http, OkHttp, Retrofit, Apache HttpClient, Ktor, Feign, gRPC channels; Ruby Net::HTTP, Faraday, HTTParty, RestClient, http.rb, open-uri; PHP curl, Guzzle, Laravel Http; .NET HttpClient; SMTP, AMQP, Kafka, NATS, MQTT and Redis connections where the client is named; and any call whose name says it talks to the network (post, send, download, webhook...) given a URL literal.",
  falsePositives:
    "A wrapper named like a network call (sendToQueue(...), getClient(...)) given a URL literal; a local variable named client or http that is not an HTTP client. Silent on URLs that are not passed to a call (constants, XML namespaces, JSON-schema $schema, licence headers, links in templates and markdown, lockfiles), on same-origin relative paths from JavaScript (fetch('/api/users'): the app calling its own backend), and on a call whose URL, or whose first argument, the change also removes (a re-wrapped, re-indented or reworded call is not new). A changed URL constant is not seen; shell and Dockerfile curl are left to other signals.",
  rules: [],
  scan: scanOutbound,
};

interface Found {
  label: string;
  sender: boolean;
  /** Where the call's arguments start on the line. */
  argStart: number;
}

function appliesTo(languages: CallRule["languages"], language: Language): boolean {
  return languages === "any" || languages.includes(language);
}

/** One regex for several hints: the calls share their leading `.` (cheaper than an alternation of hints). */
function hintRegex(hints: readonly Hint[]): RegExp {
  const calls = [...new Set(hints.flatMap((h) => h.calls ?? []))];
  const texts = [...new Set(hints.flatMap((h) => (h.text ? [h.text.source] : [])))];
  const parts = [...(calls.length > 0 ? [String.raw`\.\s*(?:${calls.join("|")})`] : []), ...texts.map((t) => `(?:${t})`)];
  return new RegExp(parts.join("|"));
}

/** A language's rules, the regex of their hints, and whether URL arguments are read there. */
interface LanguageCalls {
  rules: readonly CallRule[];
  hint: RegExp | null;
  urls: boolean;
}
const byLanguage = new Map<Language, LanguageCalls>();

function callsIn(language: Language): LanguageCalls {
  let known = byLanguage.get(language);
  if (known === undefined) {
    const rules = CALLS.filter((r) => appliesTo(r.languages, language));
    known = { rules, hint: rules.length === 0 ? null : hintRegex(rules.map((r) => r.hint)), urls: CODE.includes(language) };
    byLanguage.set(language, known);
  }
  return known;
}

const RELATIVE_PATH = /^\s*['"`]\.?\/(?!\/)/;

/** The outbound call on one line of code, if any; `local` when it is a same-origin path. */
function findCall(language: Language, code: string): Found | "local" | null {
  const calls = callsIn(language);
  if (calls.hint?.test(code)) {
    for (const rule of calls.rules) {
      const m = rule.pattern.exec(code);
      if (!m) continue;
      if (rule.unless?.test(code)) continue;
      const argStart = m.index + m[0].length;
      if (rule.relativeIsLocal && RELATIVE_PATH.test(code.slice(argStart))) return "local";
      return { label: rule.label, sender: rule.sender === true, argStart };
    }
  }
  // URL_ARGUMENT needs a URL literal.
  if (!calls.urls || !code.includes("://")) return null;
  for (const m of code.matchAll(URL_ARGUMENT)) {
    const callee = m[1]!;
    if (URL_VALUE_CALLEES.test(callee)) continue;
    const words = identifierWords(callee);
    if (words.some((w) => NOT_CALL_WORDS.has(w)) || !words.some((w) => NETWORK_WORDS.has(w))) continue;
    return { label: "URL passed to a call", sender: false, argStart: code.indexOf("(", m.index + m[0].indexOf(callee)) + 1 };
  }
  return null;
}

/** The top-level arguments of a call whose arguments start at `from`, and whether it closes on this line. */
function argumentsOf(code: string, from: number): { args: string[]; closed: boolean } {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = from;
  for (let i = from; i < code.length; i++) {
    const ch = code[i]!;
    if (quote !== null) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      if (depth === 0) {
        args.push(code.slice(start, i).trim());
        return { args, closed: true };
      }
      depth--;
    } else if (ch === "," && depth === 0) {
      args.push(code.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(code.slice(start).trim());
  return { args, closed: false };
}

/** Leading arguments that say how, not where: a context, an HTTP method. */
const NOT_A_TARGET = /^(?:ctx|context\.\w+\(\)|\w+\.Context\(\)|["'`](?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)["'`]|http\.Method\w+|HttpMethod\.\w+)$/;

/** The argument that names what a call reaches: the first one that is not a context or a method. */
function target(args: readonly string[]): string {
  return args.find((a) => !NOT_A_TARGET.test(a)) ?? "";
}

function normaliseArg(s: string): string {
  return s.replace(/\s+/g, "").replace(/['`]/g, '"');
}

function normaliseUrl(url: string): string {
  const placeholders = url.replace(/\$\{[^}]*\}|#\{[^}]*\}|\{[^}]*\}|%[sdv]/g, "{}");
  const bare = placeholders.replace(/[?#].*$/, "").replace(/[/$.]+$/, "");
  const m = /^([a-z]+:\/\/)([^/]*)(.*)$/i.exec(bare);
  return m ? `${m[1]!.toLowerCase()}${m[2]!.toLowerCase()}${m[3]!}` : bare;
}

function urlsIn(code: string): string[] {
  if (!code.includes("://")) return [];
  return [...code.matchAll(URL_LITERAL)].map((m) => normaliseUrl(m[0]));
}

/**
 * What a call on `lines[i]` is about: the URLs it is given (on its line, or on the next lines
 * when the call is wrapped) and its first argument.
 */
function identities(found: Found, lines: readonly ScanLine[], i: number): { urls: string[]; args: string[] } {
  const code = lines[i]!.code;
  const { args: given, closed } = argumentsOf(code, found.argStart);
  const first = target(given);
  const urls = urlsIn(code);
  const args: string[] = [];
  if (first !== "") args.push(`${found.label}|${normaliseArg(first)}`);
  if (!closed && first === "") {
    // Wrapped: the target is on the next line.
    args.push(`${found.label}|(`);
    const next = lines[i + 1]?.code;
    if (next !== undefined) {
      if (urls.length === 0) urls.push(...urlsIn(next));
      const nextFirst = target(argumentsOf(next, 0).args);
      if (nextFirst !== "") args.push(`${found.label}|${normaliseArg(nextFirst)}`);
    }
  }
  return { urls, args };
}

/** Everything the change removes that a rewritten call could still carry: its URLs and first arguments. */
function removedIdentities(files: readonly FileScan[]): Set<string> {
  const ids = new Set<string>();
  for (const file of files) {
    file.removed.forEach((l, i) => {
      for (const u of urlsIn(l.code)) ids.add(u);
      const found = findCall(file.language, l.code);
      if (found === null || found === "local") return;
      const { urls, args } = identities(found, file.removed, i);
      for (const id of [...urls, ...args]) ids.add(id);
    });
  }
  return ids;
}

const CHAINED = /^\s*\./;
const SENDER_REACH = 15;
const CHAIN_REACH = 4;

/** The whole change at once, so that a URL called from several files prompts once; cached per change. */
const analyses = new WeakMap<readonly FileScan[], Map<FileScan, Hit[]>>();

function analyse(files: readonly FileScan[]): Map<FileScan, Hit[]> {
  const cached = analyses.get(files);
  if (cached) return cached;
  const removed = removedIdentities(files);
  const firedUrls = new Set<string>();
  const out = new Map<FileScan, Hit[]>();
  for (const file of files) {
    const visible = file.visible;
    const hits: Hit[] = [];
    out.set(file, hits);
    if (file.added.length === 0) continue;
    const calls: (Found | "local" | null | undefined)[] = new Array(visible.length);
    const callAt = (i: number) => {
      let c = calls[i];
      if (c === undefined) {
        c = findCall(file.language, visible[i]!.code);
        calls[i] = c;
      }
      return c;
    };
    const indexes = visibleIndexes(file);
    for (let a = 0; a < file.added.length; a++) {
      const added = file.added[a]!;
      const i = indexes[a];
      if (i === undefined) continue;
      const found = callAt(i);
      if (found === null || found === "local") continue;
      // A request built just above (NewRequest, HttpRequest.newBuilder) is the call; its send is not another.
      if (found.sender && lookBack(visible, i, SENDER_REACH, (k) => isCall(callAt(k), false))) continue;
      // One call chained over several lines prompts once.
      if (CHAINED.test(added.code) && lookBack(visible, i, CHAIN_REACH, (k) => isCall(callAt(k), null))) continue;
      const { urls, args } = identities(found, visible, i);
      if ([...urls, ...args].some((id) => removed.has(id))) continue;
      if (urls.length > 0 && urls.every((u) => firedUrls.has(u))) continue;
      for (const u of urls) firedUrls.add(u);
      hits.push({ line: added.line, label: found.label, removed: false, excerpt: excerpt(added.text) });
    }
  }
  analyses.set(files, out);
  return out;
}

function scanOutbound(file: FileScan, change: ChangeView): Hit[] {
  if (file.added.length === 0) return [];
  return analyse(change.files).get(file) ?? [];
}

function isCall(found: Found | "local" | null, sender: boolean | null): boolean {
  return found !== null && found !== "local" && (sender === null || found.sender === sender);
}
