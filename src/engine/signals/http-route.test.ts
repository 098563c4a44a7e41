import { signalCases } from "../../../test/helpers/signal-cases.js";
import { httpRoute } from "./http-route.js";

signalCases(httpRoute, {
  fires: {
    "src/server.ts": [
      "router.post('/login', login);",
      "app.get(\"/admin/users/:id\", requireAdmin, getUser);",
      "adminRouter.delete(`/sessions/${id}`, revoke);",
      "fastify.route({ method: 'POST', url: '/webhook', handler })",
      "const server = https.createServer(options, app);",
    ],
    "src/users/users.controller.ts": ["  @Post('reset-password')", "@Controller('users')"],
    "app/api/payments/route.ts": ["export async function POST(req: Request) {"],
    "pages/api/refund.ts": ["export default async function handler(req, res) {"],
    "src/routes/export.ts": ["export async function exportCsv(req, res) {"],
    "app.py": ["@app.route('/transfer', methods=['POST'])", "@router.get(\"/items/{item_id}\")", "@bp.post('/upload')"],
    "shop/urls.py": ["    path('checkout/', views.checkout, name='checkout'),", "    re_path(r'^api/v1/', include(api_urls)),"],
    "shop/views.py": ["def checkout(request):", "class RefundView(APIView):"],
    "cmd/api/main.go": [
      "\tmux.HandleFunc(\"/v1/transfer\", transferHandler)",
      "\tr.POST(\"/login\", h.Login)",
      "\tr.Get(\"/healthz/details\", details)",
    ],
    "internal/handlers/export.go": ["func ExportAll(w http.ResponseWriter, r *http.Request) {", "func Login(c *gin.Context) {"],
    "src/main/java/com/acme/PayController.java": [
      "    @PostMapping(\"/refunds\")",
      "    @GetMapping(value = \"/cards/{id}\")",
      "@RestController",
      "@Path(\"/admin\")",
    ],
    "src/main/kotlin/com/acme/Routes.kt": ["        post(\"/transfer\") {"],
    "config/routes.rb": ["  post 'payments/refund', to: 'payments#refund'", "  resources :invoices"],
    "app.rb": ["post '/upload' do"],
    "app/controllers/payments_controller.rb": ["  def refund"],
    "routes/web.php": ["Route::post('/admin/export', [ExportController::class, 'run']);"],
    "Controllers/PayController.cs": ["    [HttpPost(\"refund\")]", "app.MapPost(\"/transfer\", Transfer);"],
    "infra/api.tf": ["resource \"aws_apigatewayv2_route\" \"refund\" {"],
  },
  silent: {
    "src/server.ts": [
      "app.get('port')",
      "const value = cache.get('/users')",
      "const users = await api.get('/users')",
      "axios.post('/login', creds)",
      "http.get('http://example.com')",
      "// router.post('/login', login);",
      "router.post('/login', login); // threat-model: ignore",
      "const routes = ['home', 'about'];",
      "app.use(helmet());",
    ],
    "src/ui/Button.tsx": ["export function Button(props: Props) {", "const className = 'btn btn-primary';"],
    "app.py": ["def helper(data):", "return render_template('index.html')", "# @app.route('/old')"],
    "shop/models.py": ["def checkout(request):"],
    "cmd/api/main.go": ["\tresp, err := http.Get(\"https://api.stripe.com\")", "\tfmt.Println(\"/v1/transfer\")"],
    "src/main/java/com/acme/PayService.java": ["    public Refund refund(String id) {", "    // @PostMapping(\"/refunds\")"],
    "config/routes.rb": ["  # get 'old/path'"],
    "app/controllers/payments_controller.rb": ["    def helper_inside_block"],
    "README.md.txt": ["app.get('/x', handler)"],
  },
  moved: {
    "src/server.ts": ["router.post('/login', login);"],
    "app.py": ["@app.route('/transfer', methods=['POST'])"],
    "cmd/api/main.go": ["\tmux.HandleFunc(\"/v1/transfer\", transferHandler)"],
    "src/main/java/com/acme/PayController.java": ["    @PostMapping(\"/refunds\")"],
  },
});

import { describe, expect, it } from "vitest";
import { patchOf, scan } from "../../../test/helpers/signal-cases.js";

describe("http-route identity", () => {
  it("a renamed handler on an existing route is not a new route", () => {
    const hits = scan(httpRoute, [
      { path: "src/server.ts", status: "modified", patch: patchOf(["router.post('/login', doLogin);"], ["router.post('/login', login);"]) },
    ]);
    expect(hits).toEqual([]);
  });
  it("a new path next to an existing one fires once, on the new line", () => {
    const hits = scan(httpRoute, [
      {
        path: "src/server.ts",
        status: "modified",
        patch: patchOf(["router.post('/login', doLogin);", "router.post('/logout', logout);"], ["router.post('/login', login);"]),
      },
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[2, "Express-style route"]]);
  });
  it("a route inside a block comment opened above the hunk does not fire", () => {
    const patch = ["@@ -10,2 +10,3 @@", "  * router.post('/x', y)", "+ * router.post('/login', login)", "  */"].join("\n");
    expect(scan(httpRoute, [{ path: "src/server.ts", status: "modified", patch }])).toEqual([]);
  });
  it("with the whole file, a line inside a block comment is known to be comment", () => {
    const content = ["/*", "old routes:", "router.post('/login', login)", "*/", "export {}"].join("\n");
    const patch = ["@@ -2,1 +2,2 @@", " old routes:", "+router.post('/login', login)"].join("\n");
    expect(scan(httpRoute, [{ path: "src/server.ts", status: "modified", patch, content }])).toEqual([]);
    expect(scan(httpRoute, [{ path: "src/server.ts", status: "modified", patch }]).length).toBe(1);
  });
});
