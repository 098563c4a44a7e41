import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { sensitiveData, sensitiveName } from "./sensitive-data.js";

signalCases(sensitiveData, {
  fires: {
    "src/models/customer.ts": [
      "  cardNumber: string;",
      "  cvv?: string;",
      "  iban: string | null;",
      "  dateOfBirth: Date;",
      "  ssn!: string;",
      "  @Column() passwordHash: string;",
      "  email: z.string().email(),",
      "  phoneNumber: yup.string().required(),",
      "  homeAddress: AddressDto;",
      "  diagnosis: { type: String, required: true },",
      "  passport_number: DataTypes.STRING,",
      "  latitude: number;",
      '  taxId: text("tax_id"),',
      '  password: new FormControl("", [Validators.required, Validators.minLength(12)]),',
    ],
    "src/components/PaymentForm.tsx": [
      '<input type="password" name="password" autoComplete="new-password" />',
      '<input name="cardNumber" inputMode="numeric" />',
      '<TextField label="CVV" name="cvv" />',
      '<input {...register("iban")} />',
      '<input autocomplete="cc-number" id="cc" />',
    ],
    "templates/checkout.html": ['<input type="text" name="card_number" autocomplete="cc-number">', '<input type="password" id="pw">'],
    "app/views/users/_form.html.erb": ["<%= f.password_field :password %>", "<%= f.date_field :date_of_birth %>"],
    "app/models.py": [
      "    ssn = models.CharField(max_length=11)",
      "    email = models.EmailField(unique=True)",
      "    date_of_birth: date",
      "    card_number: str = Field(..., min_length=12)",
      "    password = serializers.CharField(write_only=True)",
      "    phone_number: Mapped[str] = mapped_column(String(20))",
      "    medical_history = fields.Str()",
      '    sa.Column("national_id", sa.String(32)),',
    ],
    "internal/model/customer.go": [
      '\tCardNumber string `json:"card_number"`',
      "\tEmail      string",
      '\tDateOfBirth time.Time `json:"dob"`',
      "\tPassportNo *string",
    ],
    "src/main/java/com/acme/Customer.java": [
      "    private String cardNumber;",
      '    @Column(name = "ssn") private String socialSecurityNumber;',
      "    private LocalDate dateOfBirth;",
      "public record PaymentRequest(String cardNumber, String cvv, long amount) {}",
    ],
    "src/main/kotlin/com/acme/Customer.kt": ["data class Customer(val email: String, val phone: String?)", "    val iban: String,"],
    "Models/Customer.cs": ["    public string PassportNumber { get; set; }"],
    "db/migrate/20240101000000_add_ssn.rb": ["      t.string :ssn", "    add_column :users, :date_of_birth, :date", "      t.string :password_digest"],
    "app/models/user.rb": ["  encrypts :national_id", "  attribute :blood_type, :string"],
    "app/controllers/users_controller.rb": ["    params.require(:user).permit(:name, :email, :password)"],
    "proto/payments.proto": ["  string card_number = 3;"],
    "prisma/schema.prisma": ["  email     String   @unique"],
    "schema.graphql": ["  dateOfBirth: Date"],
    "db/migrations/003_customers.sql": ["  email citext NOT NULL,", "ALTER TABLE users ADD COLUMN ssn text;", "  card_number VARCHAR(19),"],
    "internal/store/migrations.go": ["\t\tpassport_number TEXT NOT NULL,"],
    "api/openapi.yaml": ["        cardNumber:", "        email: { type: string, format: email }"],
    "src/db/migrations/20240101_users.ts": ['    table.string("phone_number");'],
  },
  silent: {
    "src/components/LoginForm.tsx": [
      '<label htmlFor="password">Password</label>',
      '<p className="password-hint">Use 12 characters or more</p>',
      'const [password, setPassword] = useState("");',
      "const showPassword = useToggle();",
      '{t("login.password.placeholder")}',
      '<input className="search" name="query" />',
      '<input type="email" name="email" />',
      '<Button type="submit">Pay with card</Button>',
      "  showPassword: boolean;",
      "  emailVerified: boolean;",
      "  supportEmail: string;",
      "  onPasswordChange: (value: string) => void;",
      "const password = form.password.value;",
      '  password: "hunter2",',
      "  // cardNumber: string;",
      "  cardNumber: string; // threat-model: ignore",
    ],
    "src/styles/form.css": [".card-number { letter-spacing: 2px; }"],
    "src/i18n/en.ts": ['  cardNumber: "Card number",'],
    "src/copy.ts": ['  email: "Email address",', "  EMAIL_PATTERN: EMAIL_REGEX,"],
    "src/mailer.ts": ["  to: user.email,", "await sendMail({ to: customer.email, subject });", 'logger.info("password reset for email=%s", email);'],
    "src/config.ts": ["  dbPassword: string;", "  smtpPassword?: string;"],
    "src/types.ts": ["  passwordMinLength: number;", "  ipAddress: string;", "  walletAddress: string;", "  bindAddress: string;", "  passwordResetToken: string;"],
    "app/models.py": [
      '    password = "hunter2"',
      'DB_PASSWORD = env("DB_PASSWORD")',
      '    email = request.POST["email"]',
      "def send_receipt(email: str, amount: int):",
      '        email = fields.get("email")',
      "    show_password: bool = False",
      '    password: str = "admin"',
    ],
    "internal/config/config.go": ['\tDBPassword string `env:"DB_PASSWORD"`', '\tpassword := r.FormValue("password")', "\treturn email, nil", "type Email string"],
    "src/main/java/com/acme/Config.java": [
      '    private static final String PASSWORD = "changeme";',
      '    String email = request.getParameter("email");',
      "    public void setEmail(String email) {",
    ],
    "locales/fr/messages.json": ['  "password": "Mot de passe",'],
    "src/locales/en.ts": ["  password: Password,"],
    "docs/api.md": ["- email: the customer's email"],
    "app/models/account.rb": ["  has_secure_password", "  validates :email, presence: true"],
    "config/app.yaml": ["  password: ${DB_PASSWORD}", "  email:"],
    "db/migrations/004.sql": ["-- email citext NOT NULL,", "CREATE INDEX users_email_idx ON users (email);"],
  },
  moved: {
    "src/models/customer.ts": ["  cardNumber: string;"],
    "app/models.py": ["    ssn = models.CharField(max_length=11)"],
    "internal/model/customer.go": ['\tCardNumber string `json:"card_number"`'],
    "src/main/java/com/acme/Customer.java": ["    private String cardNumber;"],
    "templates/checkout.html": ['<input type="text" name="card_number" autocomplete="cc-number">'],
  },
});

const file = (path: string, added: string[], removed: string[] = [], context: string[] = []) => ({
  path,
  status: "modified" as const,
  patch: patchOf(added, removed, context),
});

describe("sensitive-data names", () => {
  it("reads the name's ending, not any word in it", () => {
    expect(sensitiveName("billingAddress")?.kind).toBe("contact");
    expect(sensitiveName("customer_ssn")?.kind).toBe("government-id");
    expect(sensitiveName("creditCardNumber")?.id).toBe("creditcardnumber");
    expect(sensitiveName("CARD_NUMBER")?.id).toBe("cardnumber");
    expect(sensitiveName("address")?.kind).toBe("contact");
    expect(sensitiveName("ipAddress")).toBeNull();
    expect(sensitiveName("microphone")).toBeNull();
    expect(sensitiveName("emailTemplate")).toBeNull();
    expect(sensitiveName("isEmailVerified")).toBeNull();
    expect(sensitiveName("noreplyEmail")).toBeNull();
    expect(sensitiveName("redisPassword")).toBeNull();
  });
});

describe("sensitive-data identity", () => {
  it("a field whose type changes is re-listed, not introduced", () => {
    const hits = scan(sensitiveData, [file("src/models/customer.ts", ["  email?: string | null;"], ["  email: string;"])]);
    expect(hits).toEqual([]);
  });
  it("a field moved from a DTO into a zod schema in another file is not new", () => {
    const hits = scan(sensitiveData, [
      file("src/dto/customer.dto.ts", [], ["  dateOfBirth: Date;"]),
      file("src/schemas/customer.ts", ["  dateOfBirth: z.coerce.date(),"]),
    ]);
    expect(hits).toEqual([]);
  });
  it("a new field beside a re-listed one fires once, on the new field", () => {
    const hits = scan(sensitiveData, [
      file("src/models/customer.ts", ["  email?: string | null;", "  ssn?: string;"], ["  email: string;"]),
    ]);
    expect(hits.map((h) => [h.line, h.label])).toEqual([[2, "government identifier in a data model"]]);
  });
  it("the same field in the model, the migration and the form of one change prompts once", () => {
    const hits = scan(sensitiveData, [
      file("db/migrate/20240101000000_add_dob.rb", ["    add_column :users, :date_of_birth, :date"]),
      file("app/models/user.rb", ["  attribute :date_of_birth, :date"]),
      file("app/views/users/_form.html.erb", ["<%= f.date_field :date_of_birth %>"]),
    ]);
    expect(hits.map((h) => h.file)).toEqual(["db/migrate/20240101000000_add_dob.rb"]);
  });
  it("a Java record naming two sensitive fields fires when either is new", () => {
    const hits = scan(sensitiveData, [
      file(
        "src/main/java/com/acme/PaymentRequest.java",
        ["public record PaymentRequest(String cardNumber, String cvv, long amount) {}"],
        ["public record PaymentRequest(String cardNumber, long amount) {}"],
      ),
    ]);
    expect(hits.length).toBe(1);
  });
});

describe("sensitive-data in forms and schemas", () => {
  it("a password input written over several lines prompts once", () => {
    const hits = hitsForAdded(sensitiveData, "src/components/SignupForm.tsx", [
      "      <input",
      '        type="password"',
      '        name="newPassword"',
      '        autoComplete="new-password"',
      "      />",
    ]);
    expect(hits.map((h) => h.label)).toEqual(["password in a form"]);
  });
  it("an attribute added to an existing card input is not a new field", () => {
    const hits = hitsForAdded(sensitiveData, "templates/checkout.html", ['  autocomplete="cc-number"'], ["<input", '  name="card_number"']);
    expect(hits).toEqual([]);
  });
  it("function parameters are not model fields", () => {
    expect(hitsForAdded(sensitiveData, "src/services/mailer.ts", ["  email: string,"], ["export async function sendReceipt("])).toEqual([]);
    expect(hitsForAdded(sensitiveData, "app/services.py", ["    date_of_birth: date"], ["def register(", "    name: str,"])).toEqual([]);
    expect(hitsForAdded(sensitiveData, "internal/svc/users.go", ["\tpassword string"], ["func Register("])).toEqual([]);
  });
  it("the same line inside an interface is a field", () => {
    expect(hitsForAdded(sensitiveData, "src/services/mailer.ts", ["  email: string;"], ["export interface Customer {"]).length).toBe(1);
  });
  it("an OAuth password flow in OpenAPI is not a password field", () => {
    const hits = hitsForAdded(sensitiveData, "api/openapi.yaml", ["        password:", "          tokenUrl: https://auth.example.com/token"]);
    expect(hits).toEqual([]);
  });
  it("an OpenAPI property with a type is a schema field", () => {
    const hits = hitsForAdded(sensitiveData, "api/openapi.yaml", ["        dateOfBirth:", "          type: string", "          format: date"]);
    expect(hits.map((h) => h.label)).toEqual(["date of birth in an API schema"]);
  });
});

describe("sensitive-data on hostile input", () => {
  const hostile = [
    "a".repeat(2000),
    "@a".repeat(1000),
    "password".repeat(250),
    `cardNumber: ${"A<".repeat(990)}`,
    `<input ${"name=\"x\" ".repeat(220)}`,
    "<".repeat(2000),
    "(".repeat(2000),
    `x ${"VARCHAR ".repeat(240)}`,
    ":".repeat(2000),
    "va".repeat(1000),
  ];
  const paths = ["src/a.ts", "app/a.py", "cmd/a.go", "src/A.java", "src/A.kt", "src/A.cs", "app/a.rb", "t/a.html", "db/a.sql", "p/a.proto", "s.prisma", "s.graphql", "api/openapi.yaml"];
  it("runs its patterns on 2,000-character lines without firing", () => {
    for (const line of hostile) {
      for (const path of paths) expect(hitsForAdded(sensitiveData, path, line), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
});
