import type { SignalDefinition } from "./types.js";

/** `GET /users` from a method word and a path literal, so a renamed handler is not a new route. */
const methodAndPath = (method: number, path: number) => (m: RegExpExecArray) =>
  `${(m[method] ?? "").toUpperCase()} ${m[path] ?? ""}`;

const HANDLER_MODULE = /(^|\/)(routes?|routers?|controllers?|handlers?|endpoints?|views?|api|resources?)(\/|\.[a-z]+$)/i;

export const httpRoute: SignalDefinition = {
  id: "http-route",
  title: "New HTTP route or handler",
  stride: ["spoofing", "tampering", "information-disclosure", "denial-of-service", "elevation-of-privilege"],
  severity: "high",
  question:
    "Who can call this new endpoint, how is the caller authenticated and authorised, and is its input validated and rate limited?",
  detects:
    "Route registrations (Express, Koa, Fastify, Hono, NestJS, Next.js, Flask, FastAPI, Django, aiohttp, net/http, gin, echo, chi, fiber, Spring, JAX-RS, Ktor, Rails, Sinatra, Laravel, ASP.NET, API Gateway) and handler functions added in routes, controllers or views modules, where the registration often lives elsewhere.",
  falsePositives:
    "A handler function added to a routes or controllers module that is a private helper; client calls written like routes on a receiver named app or router. Renamed handlers and re-indented route tables do not fire: a route whose method and path were already there is not new.",
  flows: "inbound",
  rules: [
    // JavaScript / TypeScript
    {
      label: "Express-style route",
      languages: ["js"],
      // Read from the `.` of the call, with the receiver checked behind it: the same matches, not tried at every word.
      pattern: /\.(?<=\b(?:app|router|server|fastify|hono|koa|routes?|\w+Router|\w+Routes)\s*\.)\s*(get|post|put|patch|delete|del|all|head|options|use|route)\s*\(\s*['"`]([/*][^'"`]*)/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "Fastify route",
      languages: ["js"],
      pattern: /\b(?:app|server|fastify)\s*\.\s*route\s*\(\s*\{/,
    },
    {
      label: "NestJS route decorator",
      languages: ["js"],
      pattern: /^\s*@(Get|Post|Put|Patch|Delete|All|Head|Options)\s*\(\s*(?:['"`]([^'"`]*)['"`])?\s*\)/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "NestJS controller",
      languages: ["js"],
      pattern: /^\s*@Controller\s*\(/,
    },
    {
      label: "Next.js route handler",
      languages: ["js"],
      paths: /(^|\/)app\/(.+\/)?route\.[cm]?[jt]s$/,
      pattern: /^\s*export\s+(?:async\s+)?(?:function\s+|const\s+)(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/,
      identity: (m) => m[1] ?? null,
    },
    {
      label: "Next.js API route",
      languages: ["js"],
      paths: /(^|\/)pages\/api\//,
      pattern: /^\s*export\s+default\s+(?:async\s+)?function\b/,
    },
    {
      label: "HTTP server",
      languages: ["js"],
      pattern: /\b(?:https?|http2)\s*\.\s*(createServer|createSecureServer)\s*\(/,
    },
    {
      label: "handler in a routes module",
      languages: ["js"],
      paths: HANDLER_MODULE,
      pattern: /^\s*export\s+(?:default\s+)?(?:async\s+)?(?:function\s*\w*\s*\(\s*(?:req|request|ctx|c)\b|const\s+\w+\s*=\s*(?:async\s*)?\(\s*(?:req|request|ctx|c)\b)/,
    },
    // Python
    {
      label: "Flask/FastAPI route",
      languages: ["python"],
      pattern: /^\s*@\w+(?:\.\w+)*\.(route|get|post|put|patch|delete|head|options|api_route|websocket)\s*\(\s*[rfbu]?['"]([^'"]*)/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "Django URL pattern",
      languages: ["python"],
      paths: /(^|\/)urls\.py$/,
      pattern: /\b(?:re_path|path|url)\s*\(\s*r?['"]([^'"]*)['"]/,
      identity: (m) => `URL ${m[1] ?? ""}`,
    },
    {
      label: "Django view",
      languages: ["python"],
      paths: /(^|\/)views?(\.py$|\/)/,
      pattern: /^\s*(?:async\s+)?def\s+\w+\s*\(\s*request\b|^\s*class\s+\w+\s*\([^)]*\b(?:View|APIView|ViewSet|GenericAPIView|\w+ViewSet|\w+View)\b/,
    },
    {
      label: "aiohttp route",
      languages: ["python"],
      pattern: /\.add_(get|post|put|patch|delete|route)\s*\(\s*['"]([^'"]*)/,
      identity: methodAndPath(1, 2),
    },
    // Go
    {
      label: "Go route registration",
      languages: ["go"],
      pattern: /\.(HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|Get|Post|Put|Patch|Delete|Group|Route|Mount|Method)\s*\(\s*"(\/[^"]*)"/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "Go HTTP handler",
      languages: ["go"],
      pattern: /^\s*func\s*(?:\([^)]*\)\s*)?\w+\s*\(\s*\w+\s+http\.ResponseWriter\s*,|^\s*func\s*(?:\([^)]*\)\s*)?\w+\s*\(\s*\w+\s+(?:\*gin\.Context|echo\.Context|\*fiber\.Ctx)\s*\)/,
    },
    // Java / Kotlin
    {
      label: "Spring mapping",
      languages: ["java"],
      pattern: /^\s*@(Get|Post|Put|Patch|Delete|Request)Mapping\b\s*(?:\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)")?/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "Spring controller",
      languages: ["java"],
      pattern: /^\s*@(RestController|Controller)\b/,
    },
    {
      label: "JAX-RS resource",
      languages: ["java"],
      pattern: /^\s*@Path\s*\(\s*"([^"]*)"/,
      identity: (m) => `PATH ${m[1] ?? ""}`,
    },
    {
      label: "Ktor route",
      languages: ["java"],
      paths: /\.kts?$/,
      pattern: /^\s*(get|post|put|patch|delete|route)\s*\(\s*"(\/[^"]*)"\s*\)\s*\{/,
      identity: methodAndPath(1, 2),
    },
    // Ruby
    {
      label: "Rails route",
      languages: ["ruby"],
      paths: /(^|\/)config\/routes(\.rb$|\/)/,
      pattern: /^\s*(get|post|put|patch|delete|match|resources?|namespace|scope|root|mount)\b\s*\(?\s*[:'"]?([\w/:.-]*)/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "Sinatra route",
      languages: ["ruby"],
      pattern: /^\s*(get|post|put|patch|delete)\s+['"](\/[^'"]*)['"]\s*(do\b|\{)/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "Rails controller action",
      languages: ["ruby"],
      paths: /(^|\/)app\/controllers\/.+_controller\.rb$/,
      pattern: /^\s{0,2}def\s+(?!self\.)(\w+[!?]?)\s*$/,
      identity: (m) => `ACTION ${m[1] ?? ""}`,
    },
    // PHP and C#
    {
      label: "Laravel route",
      languages: ["php"],
      pattern: /\bRoute::(get|post|put|patch|delete|any|match|resource|apiResource)\s*\(\s*['"]([^'"]*)/,
      identity: methodAndPath(1, 2),
    },
    {
      label: "ASP.NET route",
      languages: ["csharp"],
      pattern: /\[\s*Http(Get|Post|Put|Patch|Delete)\b(?:\s*\(\s*"([^"]*)")?|\.Map(Get|Post|Put|Patch|Delete)\s*\(\s*"([^"]*)"/,
    },
    // Infrastructure
    {
      label: "API Gateway route",
      languages: ["terraform"],
      pattern: /^\s*resource\s+"(aws_apigatewayv2_route|aws_api_gateway_method|aws_api_gateway_resource|google_api_gateway_api_config|azurerm_api_management_api_operation)"/,
    },
  ],
};
