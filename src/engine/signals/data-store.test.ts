import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { dataStore } from "./data-store.js";

signalCases(dataStore, {
  fires: {
    "db/migrations/20240101_create_payments.sql": [
      "CREATE TABLE payments (",
      "create table if not exists audit_log (",
      "ALTER TABLE users ADD COLUMN national_id text;",
      "INSERT INTO roles (name) VALUES ('admin');",
      "  ADD COLUMN phone text,",
      "CREATE OR REPLACE VIEW active_customers AS",
      "UPDATE accounts SET plan = 'free' WHERE plan IS NULL;",
    ],
    "src/repo/users.ts": [
      'const rows = await db.query("SELECT id, email FROM users WHERE org_id = $1", [orgId]);',
      "const rows = await pool.query(`SELECT * FROM orders WHERE status = '${status}'`);",
      'await knex.raw("UPDATE accounts SET balance = balance - ? WHERE id = ?", [amount, id]);',
      'const result = await sequelize.query("SELECT * FROM invoices", { type: QueryTypes.SELECT });',
      "const users = await prisma.$queryRawUnsafe(`SELECT * FROM users WHERE email = '${email}'`);",
      "const rows = await prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`;",
      'const sql = "DELETE FROM sessions WHERE user_id = " + userId;',
      'await queryRunner.query(`ALTER TABLE "user" ADD "ssn" character varying`);',
      '@Entity("payments")',
      "const UserSchema = new Schema({",
      'export const User = mongoose.model("User", UserSchema);',
      'await db.collection("audit_events").insertOne(event);',
      "await redis.set(`session:${sessionId}`, JSON.stringify(session), 'EX', 3600);",
      'await s3.send(new PutObjectCommand({ Bucket: "customer-exports", Key: key, Body: csv }));',
      'await ddb.send(new PutCommand({ TableName: "orders", Item: order }));',
      'export const payments = pgTable("payments", {',
      'await knex.schema.createTable("refunds", (t) => {',
      'new s3.Bucket(this, "UploadsBucket", { encryption: s3.BucketEncryption.S3_MANAGED });',
    ],
    "app/models.py": [
      "class Payment(models.Model):",
      '    __tablename__ = "payment_methods"',
      'cursor.execute("SELECT * FROM accounts WHERE id = %s" % account_id)',
      'cursor.execute(f"DELETE FROM carts WHERE user_id = {user_id}")',
      'cursor.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))',
      'users = User.objects.raw("SELECT * FROM auth_user WHERE email = %s", [email])',
      'result = session.execute(text("SELECT * FROM ledger WHERE day = :day"), {"day": day})',
      'db.users.insert_one({"email": email, "created": now})',
      's3.upload_file(path, "reports-bucket", key)',
      'op.create_table("webhooks",',
      "table.put_item(Item=item)",
    ],
    "internal/store/orders.go": [
      '\trows, err := db.QueryContext(ctx, "SELECT id, total FROM orders WHERE customer_id = $1", customerID)',
      '\t_, err := s.db.ExecContext(ctx, "UPDATE orders SET status = $1 WHERE id = $2", status, id)',
      "\tquery := fmt.Sprintf(\"SELECT * FROM orders WHERE region = '%s'\", region)",
      "\tdb.Where(\"name = '\" + name + \"'\").Find(&users)",
      "\tdb.AutoMigrate(&Invoice{})",
      '\terr := rdb.Set(ctx, "rate:"+ip, count, time.Minute).Err()',
      '\t_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("exports"), Key: aws.String(key)})',
      "\tres, err := coll.InsertOne(ctx, doc)",
    ],
    "src/main/java/com/acme/OrderRepository.java": [
      '    @Query(value = "SELECT * FROM orders WHERE customer_id = :id", nativeQuery = true)',
      '    PreparedStatement ps = conn.prepareStatement("UPDATE accounts SET balance = ? WHERE id = ?");',
      "    ResultSet rs = stmt.executeQuery(\"SELECT * FROM users WHERE name = '\" + name + \"'\");",
      "    List<Order> orders = jdbcTemplate.query(sql, rowMapper);",
      "@Entity",
      '@Table(name = "payment_cards")',
      "public interface PaymentRepository extends JpaRepository<Payment, Long> {",
      '        Query q = em.createNativeQuery("DELETE FROM tokens WHERE expires_at < now()");',
      "        redisTemplate.opsForValue().set(key, value, Duration.ofMinutes(5));",
    ],
    "src/main/kotlin/com/acme/Tables.kt": ['object Payments : IntIdTable("payments") {'],
    "db/migrate/20240101000000_create_payments.rb": [
      "    create_table :payments do |t|",
      "    add_column :users, :date_of_birth, :date",
      "    execute <<~SQL",
    ],
    "app/models/payment.rb": ["class Payment < ApplicationRecord"],
    "app/controllers/search_controller.rb": [
      "    @users = User.where(\"name LIKE '%#{params[:q]}%'\")",
      '    rows = ActiveRecord::Base.connection.execute("SELECT * FROM reports")',
    ],
    "prisma/schema.prisma": ["model Payment {"],
    "infra/storage.tf": [
      'resource "aws_s3_bucket" "exports" {',
      'resource "google_sql_database_instance" "main" {',
      'resource "azurerm_storage_account" "logs" {',
      '  source = "terraform-aws-modules/rds/aws"',
    ],
    "infra/stack.yaml": ["    Type: AWS::DynamoDB::Table"],
    "app/Repositories/UserRepo.php": [
      '        $rows = DB::select("SELECT * FROM users WHERE id = ?", [$id]);',
      "        $result = $pdo->query(\"SELECT * FROM users WHERE name = '$name'\");",
    ],
    "Data/AppDbContext.cs": [
      "    public DbSet<Payment> Payments { get; set; }",
      "        var users = db.Users.FromSqlRaw(\"SELECT * FROM Users WHERE Name = '\" + name + \"'\").ToList();",
    ],
  },
  silent: {
    "src/repo/users.ts": [
      'const config = readFileSync("config.json", "utf8");',
      "cache.set(userId, profile);",
      "seen.set(key, 1);",
      'localStorage.setItem("theme", theme);',
      'logger.info("SELECT took too long FROM the replica");',
      "console.log(`DELETE FROM sessions done in ${ms}ms`);",
      'throw new Error("UPDATE users SET failed");',
      'const label = "Select a plan from the list";',
      'const action = { type: "SELECT_PLAN", from: "pricing" };',
      'const q = useQuery(["users"], fetchUsers);',
      "const { data } = await client.query({ query: GET_USERS });",
      '// db.query("SELECT * FROM users")',
      "const rows = users.filter((u) => u.active);",
      'map.set("orders", orders);',
      'await db.query("SELECT * FROM users"); // threat-model: ignore',
    ],
    "src/ui/PlanPicker.tsx": ["<Select value={plan} onChange={setPlan} />", '<option value="DELETE">Delete from list</option>'],
    "app/models.py": [
      "class PaymentIn(BaseModel):",
      'user_id = session.get("user_id")',
      'logging.debug("INSERT INTO audit failed: %s", err)',
      'name = settings.DATABASES["default"]["NAME"]',
      'print("DELETE FROM carts")',
      "# cursor.execute(\"SELECT * FROM accounts\")",
    ],
    "internal/store/orders.go": [
      '\tlog.Printf("UPDATE orders SET status failed: %v", err)',
      "\tv, ok := cache.Get(key)",
      '\tm["orders"] = orders',
      '\treturn fmt.Errorf("SELECT failed FROM replica: %w", err)',
      '\tdb.Where("name = ?", name).Find(&users)',
    ],
    "src/main/java/com/acme/OrderService.java": [
      '        log.debug("SELECT * FROM orders took {} ms", ms);',
      "        executor.execute(task);",
      '        map.put("orders", orders);',
    ],
    "app/controllers/search_controller.rb": ["    @users = User.where(name: params[:q])", '    @users = User.where("name LIKE ?", "%#{q}%")'],
    "infra/storage.tf": ['resource "aws_s3_bucket_policy" "exports" {', 'resource "aws_security_group" "db" {', "  bucket = aws_s3_bucket.exports.id"],
    "db/migrations/20240102_indexes.sql": [
      "CREATE INDEX idx_users_email ON users (email);",
      "-- SELECT * FROM users WHERE id = 1;",
      "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
      "SELECT 1;",
    ],
    "docs/queries.md": ["SELECT * FROM users WHERE id = 1;"],
  },
  moved: {
    "db/migrations/20240101_create_payments.sql": ["CREATE TABLE payments ("],
    "src/repo/users.ts": ['const rows = await db.query("SELECT id, email FROM users WHERE org_id = $1", [orgId]);'],
    "app/models.py": ["class Payment(models.Model):"],
    "internal/store/orders.go": ["\tdb.AutoMigrate(&Invoice{})"],
    "src/main/java/com/acme/OrderRepository.java": ['@Table(name = "payment_cards")'],
    "infra/storage.tf": ['resource "aws_s3_bucket" "exports" {'],
  },
});

const file = (path: string, added: string[], removed: string[] = [], context: string[] = []) => ({
  path,
  status: "modified" as const,
  patch: patchOf(added, removed, context),
});

describe("data-store identity", () => {
  it("a table re-declared with different wording is not new", () => {
    const hits = scan(dataStore, [
      file("db/migrations/001_init.sql", ["CREATE TABLE IF NOT EXISTS public.payments ("], ["create table payments ("]),
    ]);
    expect(hits).toEqual([]);
  });
  it("an edited WHERE clause on an existing query is not a new query", () => {
    const hits = scan(dataStore, [
      file(
        "src/repo/users.ts",
        ['const rows = await db.query("SELECT id, email FROM users WHERE org_id = $1 AND deleted_at IS NULL", [orgId]);'],
        ['const rows = await db.query("SELECT id, email FROM users WHERE org_id = $1", [orgId]);'],
      ),
    ]);
    expect(hits).toEqual([]);
  });
  it("a parameterised query rewritten to build its string fires, as built from strings", () => {
    const hits = scan(dataStore, [
      file(
        "src/repo/users.ts",
        ["const rows = await db.query(`SELECT id, email FROM users WHERE org_id = ${orgId}`);"],
        ['const rows = await db.query("SELECT id, email FROM users WHERE org_id = $1", [orgId]);'],
      ),
    ]);
    expect(hits.map((h) => h.label)).toEqual(["query built from strings"]);
  });
  it("one table declared in SQL and in a Rails migration of the same change prompts once", () => {
    const hits = scan(dataStore, [
      file("db/structure.sql", ["CREATE TABLE payments ("]),
      file("db/migrate/20240101000000_create_payments.rb", ["    create_table :payments do |t|"]),
    ]);
    expect(hits.map((h) => h.file)).toEqual(["db/structure.sql"]);
  });
  it("a Rails model renamed in place is not a new model", () => {
    const hits = scan(dataStore, [file("app/models/payment.rb", ["class Payment < ApplicationRecord"], ["class Payment < ActiveRecord::Base"])]);
    expect(hits).toEqual([]);
  });
});

describe("data-store: one prompt per statement", () => {
  it("a query spread over a template literal prompts once, and says it is built from strings", () => {
    const hits = hitsForAdded(dataStore, "src/repo/users.ts", [
      "const rows = await db.query(`",
      "  SELECT id, email",
      "  FROM users",
      "  WHERE name = '${name}'",
      "`);",
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[1, "query built from strings"]]);
  });
  it("a tagged sql`...` template binds its values: not built from strings", () => {
    const hits = hitsForAdded(dataStore, "src/repo/users.ts", ["const rows = await sql`", "  SELECT id FROM users WHERE id = ${id}", "`;"]);
    expect(hits.map((h) => h.label)).toEqual(["SQL query"]);
  });
  it("Python: execute with a triple-quoted query prompts once and names the table", () => {
    const hits = hitsForAdded(dataStore, "app/reports.py", [
      "cursor.execute(",
      '    """',
      "    SELECT id, total",
      "    FROM invoices",
      "    WHERE customer_id = %s",
      '    """,',
      "    (customer_id,),",
      ")",
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[1, "SQL execute"]]);
  });
  it("Python: an f-string query over several lines is built from strings", () => {
    const hits = hitsForAdded(dataStore, "app/reports.py", ['cursor.execute(f"""', "    SELECT * FROM invoices WHERE region = '{region}'", '""")']);
    expect(hits.map((h) => h.label)).toEqual(["query built from strings"]);
  });
  it("Go: Prepare and the stmt.Exec that runs it are one statement", () => {
    const hits = hitsForAdded(dataStore, "internal/store/orders.go", [
      '\tstmt, err := db.Prepare("INSERT INTO audit_log (actor, action) VALUES ($1, $2)")',
      "\tif err != nil {",
      "\t\treturn err",
      "\t}",
      "\t_, err = stmt.Exec(actor, action)",
    ]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
  it("JPA: @Entity and @Table on one class prompt once", () => {
    const hits = hitsForAdded(dataStore, "src/main/java/com/acme/Payment.java", ["@Entity", '@Table(name = "payments")', "public class Payment {"]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
  it("SQL: one ALTER TABLE adding several columns prompts once", () => {
    const hits = hitsForAdded(dataStore, "db/migrations/002.sql", ["ALTER TABLE users", "  ADD COLUMN phone text,", "  ADD COLUMN ssn text;"]);
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
});

describe("data-store on hostile input", () => {
  const hostile = [
    "a".repeat(2000),
    "SELECT ".repeat(285),
    `SELECT ${"a ".repeat(995)}`,
    "UPDATE ".repeat(285),
    "`".repeat(2000),
    '"'.repeat(2000),
    "redis".repeat(400),
    "(".repeat(2000),
    "collection(".repeat(180),
    "ALTER TABLE x ".repeat(140),
  ];
  const paths = ["src/a.ts", "app/a.py", "cmd/a.go", "src/A.java", "src/A.kt", "app/a.rb", "app/A.php", "src/A.cs", "db/a.sql", "infra/a.tf", "infra/a.yaml", "prisma/schema.prisma"];
  it("runs its patterns on 2,000-character lines without firing", () => {
    for (const line of hostile) {
      for (const path of paths) expect(hitsForAdded(dataStore, path, line), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
});

describe("data-store: how the query is built", () => {
  it("Ruby: a heredoc with interpolation is built from strings", () => {
    const hits = hitsForAdded(dataStore, "db/migrate/20240101000000_backfill.rb", [
      "    execute <<~SQL",
      "      UPDATE users SET plan = '#{plan}' WHERE plan IS NULL",
      "    SQL",
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[1, "query built from strings"]]);
  });
  it("PHP: a bound parameter after the query string is not string building", () => {
    const hits = hitsForAdded(dataStore, "app/Repositories/UserRepo.php", ['        $rows = DB::select("SELECT * FROM users WHERE id = ?", [$id]);']);
    expect(hits.map((h) => h.label)).toEqual(["raw SQL (PHP)"]);
  });
  it("Python: SQLAlchemy ORM statements through session.execute are not raw SQL", () => {
    expect(hitsForAdded(dataStore, "app/repo.py", ["    result = session.execute(select(User).where(User.id == user_id))"])).toEqual([]);
  });
  it("C#: only an interpolated $\"...\" string is built", () => {
    expect(hitsForAdded(dataStore, "Data/Repo.cs", ['        var rows = db.Users.FromSqlRaw($"SELECT * FROM Users WHERE Name = \'{name}\'");']).map((h) => h.label)).toEqual([
      "query built from strings",
    ]);
    expect(hitsForAdded(dataStore, "Data/Repo.cs", ['        var rows = db.Users.FromSqlRaw("SELECT * FROM Users WHERE Name = {0}", name);']).map((h) => h.label)).toEqual([
      "raw SQL (.NET)",
    ]);
  });
});

describe("data-store: each table rule's hint lets its lines through", () => {
  const cases: [string, string, string][] = [
    ["app/models.py", 'payments = sa.Table("payments", metadata_obj,', "new table"],
    ["app/models.py", 'invoices = Table("invoices", meta,', "new table"],
    ["alembic/versions/001.py", '    op.add_column("users", sa.Column("ssn", sa.String()))', "new column"],
    ["app/migrations/0002.py", '    migrations.CreateModel(name="Invoice",', "new model"],
    ["db/migrate/001_roles.rb", "    create_join_table :users, :roles do |t|", "new table"],
    ["src/migrations/001.ts", '  await queryInterface.addColumn("users", "ssn", { type: Sequelize.STRING });', "new column"],
    ["src/audit.ts", 'await firestore.collection("audit").doc(id).set(entry);', "NoSQL write"],
  ];
  for (const [path, line, label] of cases) {
    it(`${path}: ${line.trim()}`, () => {
      expect(hitsForAdded(dataStore, path, line).map((h) => h.label)).toEqual([label]);
    });
  }
});
