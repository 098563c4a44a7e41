import { describe, expect, it } from "vitest";
import { hitsForAdded, hitsForRemoved, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { auth } from "./auth.js";

signalCases(auth, {
  fires: {
    "src/auth/login.ts": [
      "router.post('/login', passport.authenticate('local', { failureRedirect: '/login' }));",
      "const ok = await bcrypt.compare(password, user.passwordHash);",
      "app.use(session({ secret: config.sessionSecret, resave: false, saveUninitialized: false }));",
      "  cookie: { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 3600_000 },",
      "res.cookie('session_id', sid, { signed: true });",
      "  cookie: { secure: false, maxAge: 86400000 },",
      "const token = jwt.sign({ sub: user.id, role: user.role }, JWT_SECRET, { expiresIn: '1h' });",
      "const claims = jwt.verify(token, publicKey, { ignoreExpiration: true });",
      "const payload = jwt.decode(req.cookies.token);",
      "const { payload } = await jwtVerify(token, JWKS, { issuer: ISSUER });",
      "passport.use(new GoogleStrategy({ clientID, clientSecret, callbackURL: '/auth/google/callback' }, verify));",
      "  code_challenge_method: 'S256',",
      "if (req.headers['x-api-key'] !== process.env.INTERNAL_API_KEY) return res.sendStatus(401);",
      "const bearer = req.headers.authorization?.split(' ')[1];",
      "return crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));",
      "router.delete('/users/:id', requireAdmin, deleteUser);",
      "app.use('/admin', ensureAuthenticated);",
      "if (user.role === 'admin') {",
      "if (!req.user.roles.includes('billing')) throw new ForbiddenException();",
      "if (!req.isAuthenticated()) return res.redirect('/login');",
      "const ability = defineAbility((can) => { can('read', 'Article'); });",
      "app.use(csrf({ cookie: true }));",
      "app.use(cors({ origin: true, credentials: true }));",
    ],
    "src/users/users.controller.ts": ["  @UseGuards(AuthGuard('jwt'), RolesGuard)", "  @Roles('admin')", "  @Public()"],
    "app/views.py": [
      "@login_required",
      "@permission_required('billing.refund', raise_exception=True)",
      "@method_decorator(staff_member_required, name='dispatch')",
      "@csrf_exempt",
      "    permission_classes = [IsAuthenticated, IsOwner]",
      "    permission_classes = [AllowAny]",
      "    user = authenticate(request, username=username, password=password)",
      "    if not user.check_password(old_password):",
      "    login(request, user)",
      "    request.session['user_id'] = user.pk",
      "    if not request.user.has_perm('reports.export'):",
      "    if request.user.is_superuser:",
      "    claims = jwt.decode(token, options={'verify_signature': False})",
      "    data = jwt.decode(token, key, algorithms=['HS256', 'none'])",
      "    encoded = jwt.encode({'sub': user_id, 'exp': expires}, settings.SECRET_KEY, algorithm='HS256')",
      "    if not hmac.compare_digest(signature, expected):",
    ],
    "app/settings.py": [
      "SESSION_COOKIE_SECURE = True",
      "SESSION_COOKIE_HTTPONLY = False",
      "CORS_ALLOW_CREDENTIALS = True",
      "WTF_CSRF_ENABLED = False",
    ],
    "api/main.py": [
      "async def read_me(user: User = Depends(get_current_active_user)):",
      "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True, allow_methods=['*'])",
      "oauth.register(name='github', client_kwargs={'scope': 'user:email'})",
    ],
    "internal/auth/middleware.go": [
      "\tr.Use(AuthMiddleware)",
      "\tmux.Handle(\"/admin/\", requireAdmin(adminHandler))",
      "\ttoken, err := jwt.ParseWithClaims(raw, &Claims{}, keyFunc)",
      "\ttoken, _, err := new(jwt.Parser).ParseUnverified(raw, claims)",
      "\tif err := bcrypt.CompareHashAndPassword(u.Hash, []byte(pw)); err != nil {",
      "\tsession.Values[\"user_id\"] = u.ID",
      "\t\tHttpOnly: true,",
      "\tconf := &oauth2.Config{",
      "\tif apiKey := r.Header.Get(\"X-API-Key\"); subtle.ConstantTimeCompare([]byte(apiKey), want) != 1 {",
      "\tif user.Role == RoleAdmin {",
      "\tok, err := enforcer.Enforce(sub, obj, act)",
      "\tCSRF := csrf.Protect(authKey, csrf.Secure(false))",
      "\t\tAllowCredentials: true,",
    ],
    "src/main/java/com/acme/SecurityConfig.java": [
      "    @PreAuthorize(\"hasRole('ADMIN')\")",
      "    @Secured(\"ROLE_MANAGER\")",
      "    @RolesAllowed({\"admin\"})",
      "            .requestMatchers(\"/api/admin/**\").hasRole(\"ADMIN\")",
      "            .anyRequest().permitAll()",
      "        http.csrf().disable();",
      "        http.csrf(csrf -> csrf.disable());",
      "    public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {",
      "        Authentication auth = authenticationManager.authenticate(new UsernamePasswordAuthenticationToken(user, pass));",
      "        Claims claims = Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();",
      "        Claims claims = Jwts.parser().parseClaimsJwt(token).getBody();",
      "        DecodedJWT jwt = JWT.decode(token);",
      "        cookie.setHttpOnly(false);",
      "        config.setAllowCredentials(true);",
    ],
    "src/main/kotlin/com/acme/Security.kt": ["            authorize(anyRequest, permitAll)", "        csrf { disable() }"],
    "Controllers/AccountController.cs": ["    [AllowAnonymous]", "    [Authorize(Roles = \"Admin\")]"],
    "app/controllers/admin/reports_controller.rb": [
      "  before_action :authenticate_user!",
      "  before_action :require_admin, only: [:destroy]",
      "  skip_before_action :authenticate_user!, only: [:show]",
      "  skip_before_action :verify_authenticity_token",
      "  protect_from_forgery with: :null_session",
      "    authorize @report",
      "    if current_user.admin?",
      "    session[:user_id] = user.id",
      "    if user&.authenticate(params[:password])",
      "    decoded = JWT.decode(token, nil, false)",
      "    payload = JWT.decode(token, ENV['JWT_SECRET'], true, algorithm: 'HS256')",
    ],
    "app/models/user.rb": ["  devise :database_authenticatable, :recoverable, :rememberable", "  has_secure_password"],
    "app/models/ability.rb": ["    can :manage, Invoice, account_id: user.account_id"],
    "config/initializers/omniauth.rb": ["  provider :github, ENV['GITHUB_KEY'], ENV['GITHUB_SECRET'], scope: 'user:email'"],
    "config/initializers/cors.rb": ["    resource '/api/*', headers: :any, methods: [:get, :post], credentials: true"],
    "src/main/resources/application.properties": ["server.servlet.session.cookie.secure=false"],
  },
  silent: {
    "src/ui/BookList.tsx": [
      "<button role=\"button\" aria-pressed={pressed} onClick={toggle}>",
      "<div role='dialog' aria-modal='true'>",
      "if (el.role === 'button') el.focus();",
      "const authorName = book.author.firstName;",
      "router.get('/authors', authorsController.list);",
      "<p>{t('settings.oauthHint')}</p>",
      "const label = 'Sign in with OAuth to continue';",
      "const oauthEnabled = features.includes('oauth');",
    ],
    "src/lexer.ts": [
      "const token = this.nextToken();",
      "if (token.type === TokenType.Identifier) {",
      "await fetchAll(items, { signal: cancellationToken });",
      "const authority = new URL(base).host;",
    ],
    "src/clients/github.ts": [
      "const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });",
      "headers: { authorization: req.headers.authorization },",
      "axios.get(url, { headers: { 'x-api-key': this.apiKey } });",
      "// if (user.role === 'admin') {",
      "const session = await getDbSession();",
    ],
    "app/models.py": [
      "    db.session.add(user)",
      "    db.session.commit()",
      "    with Session(engine) as session:",
      "    session.query(User).filter_by(id=user_id).one()",
      "    session['cart'] = items",
      "    author = models.ForeignKey(User, on_delete=models.CASCADE)",
      "    # @login_required",
      "    tokens = tokenizer.tokenize(text)",
    ],
    "internal/lexer/lexer.go": ["\ttok := l.NextToken()", "\tresp, err := client.Do(req)", "\treq.Header.Set(\"Authorization\", r.Header.Get(\"Authorization\"))"],
    "src/main/java/com/acme/Parser.java": [
      "import org.springframework.security.authentication.AuthenticationManager;",
      "        Token token = lexer.nextToken();",
      "        String author = commit.getAuthorIdent().getName();",
    ],
    "app/controllers/books_controller.rb": ["    @books = Book.where(author: params[:author])", "  before_action :set_book, only: [:show]"],
    "src/server.ts": ["app.use(cors({ origin: 'https://app.example.com' }));", "const res = await fetch(url, { credentials: 'include' });"],
    "test/auth.test.ts": ["const token = jwt.sign({ sub: 'u1' }, 'test-secret');", "app.use(session({ secret: 'x' }));"],
    "spec/requests/admin_spec.rb": ["  before_action :authenticate_user!"],
    "docs/auth.md": ["@login_required"],
  },
  moved: {
    "src/auth/login.ts": [
      "const ok = await bcrypt.compare(password, user.passwordHash);",
      "router.delete('/users/:id', requireAdmin, deleteUser);",
      "const claims = jwt.verify(token, publicKey, { ignoreExpiration: true });",
    ],
    "app/views.py": ["@login_required", "@csrf_exempt"],
    "internal/auth/middleware.go": ["\tr.Use(AuthMiddleware)"],
    "src/main/java/com/acme/SecurityConfig.java": ["    @PreAuthorize(\"hasRole('ADMIN')\")", "        http.csrf().disable();"],
    "app/controllers/admin/reports_controller.rb": ["  before_action :authenticate_user!"],
  },
  firesWhenRemoved: {
    "app/views.py": [
      "@login_required",
      "@permission_required('billing.refund')",
      "    permission_classes = [IsAuthenticated]",
      "    if not request.user.is_authenticated:",
      "        raise PermissionDenied",
      "@csrf_protect",
      "    'django.middleware.csrf.CsrfViewMiddleware',",
      "    'django.contrib.auth.middleware.AuthenticationMiddleware',",
    ],
    "api/main.py": ["async def export(user: User = Depends(get_current_user)):"],
    "src/routes/admin.ts": [
      "router.delete('/users/:id', requireAdmin, deleteUser);",
      "app.use('/api', checkJwt);",
      "if (!req.user) return res.status(401).end();",
      "if (!user.roles.includes('admin')) return res.status(403).json({ error: 'forbidden' });",
      "app.use(csrf({ cookie: true }));",
      "  cookie: { httpOnly: true },",
      "  @UseGuards(AuthGuard('jwt'))",
      "  algorithms: ['RS256'],",
    ],
    "internal/server/routes.go": ["\tr.Use(jwtauth.Verifier(tokenAuth))", "\t\thttp.Error(w, \"forbidden\", http.StatusForbidden)"],
    "src/main/java/com/acme/SecurityConfig.java": [
      "    @PreAuthorize(\"hasAuthority('SCOPE_write')\")",
      "            .anyRequest().authenticated()",
      "        http.addFilterBefore(jwtAuthFilter, UsernamePasswordAuthenticationFilter.class);",
    ],
    "app/controllers/payments_controller.rb": [
      "  before_action :authenticate_user!",
      "  protect_from_forgery with: :exception",
      "    authorize! :refund, @payment",
    ],
    "app/views/layouts/application.html.erb": ["    <%= csrf_meta_tags %>"],
    "templates/transfer.html": ["  {% csrf_token %}"],
  },
});

const labelsOf = (path: string, line: string) => hitsForAdded(auth, path, line).map((h) => h.label);

describe("auth labels name the sub-case", () => {
  it("weakened JWT verification is labelled apart from plain JWT use", () => {
    expect(labelsOf("src/auth.ts", "jwt.verify(t, key, { ignoreExpiration: true })")).toEqual(["JWT verification weakened"]);
    expect(labelsOf("src/auth.ts", "jwt.decode(t)")).toEqual(["JWT verification weakened: decoded without verifying"]);
    expect(labelsOf("src/auth.ts", "jwt.verify(t, key, { algorithms: ['RS256'] })")).toEqual(["JWT issued or verified"]);
    expect(labelsOf("app/auth.py", "jwt.decode(t, verify=False)")).toEqual(["JWT verification weakened"]);
    expect(labelsOf("app/auth.py", "jwt.decode(t, key, algorithms=['RS256'])")).toEqual(["JWT issued or verified"]);
    expect(labelsOf("pkg/auth/jwt.go", "\tjwt.Parse(raw, keyFunc, jwt.WithValidMethods([]string{\"none\"}))")).toEqual(["JWT issued or verified"]);
    expect(labelsOf("pkg/auth/jwt.go", "\tt := jwt.NewWithClaims(jwt.SigningMethodNone, claims)")).toEqual(["JWT verification weakened"]);
  });
  it("cookie flags turned off are labelled apart from flags being set", () => {
    expect(labelsOf("src/app.ts", "cookie: { httpOnly: false }")).toEqual(["cookie security flag turned off"]);
    expect(labelsOf("src/app.ts", "cookie: { httpOnly: true }")).toEqual(["cookie security flags"]);
  });
  it("CSRF switched off is not reported as CSRF configured", () => {
    expect(labelsOf("app/controllers/api_controller.rb", "  protect_from_forgery with: :null_session")).toEqual(["CSRF protection disabled"]);
    expect(labelsOf("app/controllers/application_controller.rb", "  protect_from_forgery with: :exception")).toEqual(["CSRF protection configured"]);
  });
  it("anonymous access wins over the decorator family", () => {
    expect(labelsOf("app/views.py", "    permission_classes = [AllowAny]")).toEqual(["anonymous access allowed (permitAll/AllowAnonymous)"]);
    expect(labelsOf("src/main/java/A.java", "            .anyRequest().permitAll()")).toEqual(["anonymous access allowed (permitAll/AllowAnonymous)"]);
  });
  it("removed protections say 'removed:'", () => {
    const hits = hitsForRemoved(auth, "app/views.py", "@login_required");
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["removed: auth decorator or annotation", true]]);
  });
});

describe("auth removed protections", () => {
  it("commenting out @login_required fires as a removed decorator", () => {
    const hits = scan(auth, [
      {
        path: "shop/views.py",
        status: "modified",
        patch: patchOf(["# @login_required"], ["@login_required"], ["def refund(request, order_id):"]),
      },
    ]);
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["removed: auth decorator or annotation", true]]);
  });
  it("a decorator moved to another view (same change) does not fire", () => {
    const patch = ["@@ -1,4 +1,4 @@", "-@login_required", " def a(request):", "     pass", "+@login_required", " def b(request):"].join("\n");
    expect(scan(auth, [{ path: "shop/views.py", status: "modified", patch }])).toEqual([]);
  });
  it("a decorator whose arguments change is a rewrite for the removed side", () => {
    const hits = scan(auth, [
      {
        path: "shop/views.py",
        status: "modified",
        patch: patchOf(["@permission_required('shop.change_order')"], ["@permission_required('shop.view_order')"]),
      },
    ]);
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["auth decorator or annotation", false]]);
  });
  it("a guard dropped from a route fires on the removed line only", () => {
    const hits = scan(auth, [
      {
        path: "src/routes/admin.ts",
        status: "modified",
        patch: patchOf(["router.delete('/users/:id', deleteUser);"], ["router.delete('/users/:id', requireAdmin, deleteUser);"]),
      },
    ]);
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["removed: auth middleware or guard", true]]);
  });
  it("a route keeping its guard with a renamed handler does not fire", () => {
    const hits = scan(auth, [
      {
        path: "src/routes/admin.ts",
        status: "modified",
        patch: patchOf(["router.delete('/users/:id', requireAdmin, removeUser);"], ["router.delete('/users/:id', requireAdmin, deleteUser);"]),
      },
    ]);
    expect(hits).toEqual([]);
  });
  it("an authentication check moved into another file does not fire", () => {
    const line = "    if not request.user.is_authenticated:";
    const hits = scan(auth, [
      { path: "shop/views.py", status: "modified", patch: patchOf([], [line]) },
      { path: "shop/guards.py", status: "added", patch: patchOf([line]) },
    ]);
    expect(hits).toEqual([]);
  });
});

describe("auth CORS across lines", () => {
  it("credentials with a wildcard origin a few lines away names the combination", () => {
    const lines = ["app.use(", "  cors({", "    origin: '*',", "    methods: ['GET', 'POST'],", "    credentials: true,", "  }),", ");"];
    const hits = hitsForAdded(auth, "src/server.ts", lines);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[5, "CORS credentials with wildcard or reflected origin"]]);
  });
  it("credentials with an allow-list origin says only that credentials are allowed", () => {
    const lines = ["const corsOptions = {", "  origin: ['https://app.example.com'],", "  credentials: true,", "};"];
    expect(hitsForAdded(auth, "src/server.ts", lines).map((h) => h.label)).toEqual(["CORS allows credentials"]);
  });
  it("a wildcard added next to existing credentials fires on the origin line", () => {
    const context = ["CORS(app,", "     supports_credentials=True,"];
    const hits = hitsForAdded(auth, "app/__init__.py", ["     origins='*')"], context);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[3, "CORS credentials with wildcard or reflected origin"]]);
  });
  it("a reflected Origin header with credentials is the combination", () => {
    const lines = [
      "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);",
      "res.setHeader('Access-Control-Allow-Credentials', 'true');",
    ];
    const hits = hitsForAdded(auth, "src/middleware/cors.ts", lines);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[2, "CORS credentials with wildcard or reflected origin"]]);
  });
  it("credentials: true outside any CORS context does not fire", () => {
    expect(hitsForAdded(auth, "src/mailer.ts", ["const transport = createTransport({", "  credentials: true,", "});"])).toEqual([]);
  });
});

describe("auth patterns stay linear", () => {
  it("a 2,000-character hostile line completes and does not fire", () => {
    const lines = [
      "a".repeat(2000),
      `router.get('/x', ${"a".repeat(1980)}`,
      `if (!${".".repeat(1990)}`,
      `{ ignoreExpiration:${" ".repeat(1980)}`,
      `{ algorithm: [${"'x', ".repeat(330)}`,
      `verify_exp${" ".repeat(600)}${"a,".repeat(600)}`,
      `@${"login_required".repeat(130)}`,
      `session['${"user".repeat(495)}`,
      `r.Use(${"Auth".repeat(495)}`,
      `${" ".repeat(1000)}${"!(".repeat(500)}`,
      `req.headers${" ".repeat(1980)}`,
      `origin: ${"(".repeat(1990)}`,
    ];
    for (const path of ["src/x.ts", "app/x.py", "pkg/x.go", "src/main/java/X.java", "app/x.rb"]) {
      for (const line of lines) {
        expect(hitsForAdded(auth, path, line)).toEqual([]);
        expect(hitsForRemoved(auth, path, line)).toEqual([]);
      }
    }
  });
});
