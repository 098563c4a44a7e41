import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { deserialization } from "./deserialization.js";

signalCases(deserialization, {
  fires: {
    "app/tasks.py": [
      "obj = pickle.loads(request.data)",
      "        model = pickle.load(f)",
      "data = cPickle.loads(blob)",
      "state = dill.loads(payload)",
      "df = pd.read_pickle(upload_path)",
      "db = shelve.open(session_file)",
      "code = marshal.loads(data)",
      "config = yaml.load(request.body)",
      "cfg = yaml.load(f, Loader=yaml.FullLoader)",
      "docs = yaml.load_all(stream, Loader=yaml.Loader)",
      "docs = yaml.unsafe_load(text)",
      "obj = jsonpickle.decode(request.get_data())",
      'result = eval(request.args["expr"])',
      'exec(compile(source, "<plugin>", "exec"))',
      'exec(f"handler_{name}()")',
    ],
    "src/api/calc.ts": [
      "const result = eval(req.body.expression);",
      'const fn = new Function("row", userFormula);',
      "const out = vm.runInNewContext(code, sandbox);",
      "const script = new vm.Script(req.body.source);",
      'setTimeout("refresh(" + id + ")", 500);',
      "setInterval(`poll('${channel}')`, 1000);",
      "const profile = serialize.unserialize(req.cookies.profile);",
      "  return (0, eval)(source);",
      "window.eval(payload);",
    ],
    "src/main/java/com/acme/SessionCodec.java": [
      "        ObjectInputStream in = new ObjectInputStream(request.getInputStream());",
      "        Session s = (Session) in.readObject();",
      "        Object o = SerializationUtils.deserialize(bytes);",
      "        XMLDecoder decoder = new XMLDecoder(new ByteArrayInputStream(body));",
      "        Order order = (Order) xstream.fromXML(xml);",
      "        Yaml yaml = new Yaml();",
      "        mapper.enableDefaultTyping();",
      "        mapper.activateDefaultTyping(ptv, ObjectMapper.DefaultTyping.NON_FINAL);",
      "    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)",
      '        Object r = engine.eval(request.getParameter("script"));',
    ],
    "src/main/kotlin/com/acme/Import.kt": ["    val input = ObjectInputStream(socket.getInputStream())", "    val yaml = Yaml()"],
    "Services/Cache.cs": ["        var formatter = new BinaryFormatter();", "    TypeNameHandling = TypeNameHandling.All,"],
    "app/Http/Cart.php": ["$cart = unserialize($_COOKIE['cart']);", "eval('$total = ' . $expr . ';');", "$fn = create_function('$a', $body);"],
    "app/services/importer.rb": [
      "data = Marshal.load(Base64.decode64(params[:state]))",
      "config = YAML.load(request.body.read)",
      "obj = YAML.unsafe_load(payload)",
      "doc = Oj.load(json, mode: :object)",
      "result = eval(params[:expr])",
      "record.instance_eval(code)",
    ],
    "internal/rpc/server.go": ["\tdec := gob.NewDecoder(conn)", "\tif err := gob.NewDecoder(r.Body).Decode(&msg); err != nil {"],
  },
  silent: {
    "src/api/calc.ts": [
      "const body = JSON.parse(raw);",
      "const score = evaluate(board);",
      "const evaluation = runEvaluation(model);",
      "const m = re.exec(line);",
      "while ((match = pattern.exec(text)) !== null) {",
      "setTimeout(() => refresh(id), 500);",
      'setTimeout("refresh()", 1000);',
      'const total = await page.$eval("#total", (el) => el.textContent);',
      "const title = await page.evaluate(() => document.title);",
      "const cb: Function = handler;",
      "// const result = eval(req.body.expression);",
      "const doc = yaml.load(text);",
      "const fallback = new Function('return this')();",
    ],
    "app/tasks.py": [
      "body = json.loads(raw)",
      "cfg = yaml.safe_load(f)",
      "cfg = yaml.load(f, Loader=yaml.SafeLoader)",
      "cfg = yaml.load(f, Loader=yaml.CSafeLoader)",
      "model.eval()",
      "value = ast.literal_eval(raw)",
      'df.eval("total = price * qty", inplace=True)',
      "result = session.execute(select(User).where(User.id == uid))",
      "cursor.execute(sql, params)",
      "spec.loader.exec_module(module)",
      "clone = pickle.loads(pickle.dumps(obj))",
      "pickle.dump(obj, f)",
      "blob = pickle.dumps(obj)",
      "# obj = pickle.loads(data)",
      "    def eval(self, expr):",
      "orders = Order.objects.filter(user=request.user)",
    ],
    "tests/test_codec.py": ["obj = pickle.loads(blob)", "assert eval(repr(x)) == x"],
    "src/main/java/com/acme/SessionCodec.java": [
      "        ObjectMapper mapper = new ObjectMapper();",
      "        Config c = mapper.readValue(json, Config.class);",
      "        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));",
      "    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {",
      "        in.defaultReadObject();",
      "        ObjectInputStream in = new ValidatingObjectInputStream(stream);",
      "        double v = evaluator.evaluate(expr);",
      "import org.yaml.snakeyaml.Yaml;",
    ],
    "app/Http/Cart.php": [
      "$data = json_decode($body, true);",
      "$cart = unserialize($raw, ['allowed_classes' => false]);",
      "$count = $pdo->exec($sql);",
    ],
    "app/services/importer.rb": [
      "data = YAML.safe_load(body)",
      'settings = YAML.load_file(Rails.root.join("config/app.yml"))',
      "data = YAML.load(text, permitted_classes: [Symbol, Date])",
      "copy = Marshal.load(Marshal.dump(obj))",
      "payload = JSON.parse(body)",
      "doc = Oj.load(json)",
      "  class_eval do",
      "  instance_eval(&block)",
      "  class_eval <<~RUBY, __FILE__, __LINE__ + 1",
      "ActiveRecord::Base.connection.execute(sql)",
      '  eval "1 + 1"',
    ],
    "internal/rpc/server.go": [
      "\tdec := gob.NewDecoder(bytes.NewReader(data))",
      "\tif err := json.NewDecoder(r.Body).Decode(&req); err != nil {",
      "\tres, err := db.Exec(query, id)",
    ],
    "Services/Cache.cs": ["        var order = JsonSerializer.Deserialize<Order>(json);"],
  },
  moved: {
    "app/tasks.py": ["obj = pickle.loads(request.data)", "config = yaml.load(request.body)"],
    "src/api/calc.ts": ["const result = eval(req.body.expression);"],
    "src/main/java/com/acme/SessionCodec.java": ["        ObjectInputStream in = new ObjectInputStream(request.getInputStream());"],
    "app/services/importer.rb": ["data = Marshal.load(Base64.decode64(params[:state]))"],
  },
});

describe("deserialization labels", () => {
  it("names code injection and unsafe deserialization apart", () => {
    const [evalHit] = hitsForAdded(deserialization, "src/api/calc.ts", "const result = eval(req.body.expression);");
    expect(evalHit?.label).toBe("eval of input (code injection)");
    const [pickleHit] = hitsForAdded(deserialization, "app/tasks.py", "obj = pickle.loads(request.data)");
    expect(pickleHit?.label).toBe("pickle load (unsafe deserialization)");
  });
});

describe("deserialization yaml.load over several lines", () => {
  it("a SafeLoader on a later line of the same call is safe", () => {
    const lines = ["config = yaml.load(", "    stream,", "    Loader=yaml.SafeLoader,", ")"];
    expect(scan(deserialization, [{ path: "app/config.py", status: "modified", patch: patchOf(lines) }])).toEqual([]);
  });
  it("an unsafe Loader on a later line fires on the call", () => {
    const lines = ["config = yaml.load(", "    stream,", "    Loader=yaml.FullLoader,", ")", "safe = yaml.load(x, Loader=SafeLoader)"];
    const hits = scan(deserialization, [{ path: "app/config.py", status: "modified", patch: patchOf(lines) }]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[1, "yaml.load without SafeLoader (unsafe deserialization)"]]);
  });
  it("the closing lines may be unchanged context", () => {
    const patch = ["@@ -1,3 +1,3 @@", "-config = yaml.load(stream_old,", "+config = yaml.load(stream,", "     Loader=yaml.SafeLoader)"].join("\n");
    expect(scan(deserialization, [{ path: "app/config.py", status: "modified", patch }])).toEqual([]);
  });
});

describe("deserialization identity", () => {
  it("renaming the result of an existing unsafe load is a rewrite", () => {
    const hits = scan(deserialization, [
      { path: "app/tasks.py", status: "modified", patch: patchOf(["payload = pickle.loads(request.data)"], ["obj = pickle.loads(request.data)"]) },
      { path: "app/config.py", status: "modified", patch: patchOf(["settings = yaml.load(stream)"], ["config = yaml.load(stream)"]) },
    ]);
    expect(hits).toEqual([]);
  });
  it("feeding the call something new fires", () => {
    const hits = scan(deserialization, [
      { path: "app/tasks.py", status: "modified", patch: patchOf(["obj = pickle.loads(request.get_data())"], ["obj = pickle.loads(cache_blob)"]) },
    ]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
  it("switching a safe loader to an unsafe one fires", () => {
    const hits = scan(deserialization, [
      {
        path: "app/config.py",
        status: "modified",
        patch: patchOf(["cfg = yaml.load(f, Loader=yaml.FullLoader)"], ["cfg = yaml.load(f, Loader=yaml.SafeLoader)"]),
      },
    ]);
    expect(hits.map((h) => h.label)).toEqual(["yaml.load without SafeLoader (unsafe deserialization)"]);
  });
});

describe("deserialization on hostile input", () => {
  it("runs its rules on 2,000-character lines without firing", () => {
    const lines = [
      "a".repeat(2000),
      "(".repeat(2000),
      "eval".repeat(500),
      "Oj.load ".repeat(250),
      "yaml.load(x, Loader=yaml.SafeLoader)".repeat(54),
      `yaml.load(${"(".repeat(1960)}Loader=SafeLoader`,
      `setTimeout(${" ".repeat(1985)}x)`,
      `eval("${"a".repeat(1990)}")`,
      "'".repeat(2000),
      "evaluate  ".repeat(200),
      `eval ${" ".repeat(1990)}"x"`,
    ];
    for (const path of ["src/a.ts", "app/a.py", "app/a.rb", "src/main/java/A.java", "app/a.php", "cmd/a.go"]) {
      for (const line of lines) expect(hitsForAdded(deserialization, path, line), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
});
