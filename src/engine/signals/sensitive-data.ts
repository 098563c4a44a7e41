import type { Language } from "../changes/languages.js";
import { excerpt } from "./run.js";
import type { ChangeView, FileScan, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { identifierWords, visibleIndexes } from "./source-text.js";

/**
 * Personal and payment data fields newly introduced: a model, schema or struct field, a DTO
 * property, a database column, a Protobuf or GraphQL field, a form input. A field name alone
 * is not enough (labels, CSS classes, i18n keys and locals all carry the same words): each
 * extractor below reads one place where a field is *declared*, and the field's normalised
 * name is its identity, shared by all of them, so that a field re-listed anywhere in the
 * change (renamed type, moved between files, model and migration) is not new.
 */

type Hit = Omit<SignalHit, "signal" | "file">;

type Kind = "payment" | "government-id" | "birth-date" | "password" | "contact" | "health" | "location";

const KIND_LABEL: Record<Kind, string> = {
  payment: "payment card or bank data",
  "government-id": "government identifier",
  "birth-date": "date of birth",
  password: "password",
  contact: "contact details",
  health: "health data",
  location: "precise location",
};

/** Name endings (words joined, lower case) and what they hold. */
const TAILS: Record<string, Kind> = {};
const tails = (kind: Kind, names: string) => {
  for (const n of names.split(/\s+/)) if (n !== "") TAILS[n] = kind;
};
tails(
  "payment",
  `cardnumber cardnum cardno creditcard debitcard ccnumber ccnum ccno cardholder cardholdername cvv cvv2 cvc cvc2
   securitycode cardsecuritycode cardverificationcode cardpan maskedpan pannumber primaryaccountnumber iban
   accountnumber accountno bankaccount routingnumber sortcode cardexpiry cardexpiration`,
);
tails(
  "government-id",
  `ssn socialsecuritynumber socialsecurityno nationalid nationalidnumber nationalidentitynumber nationalinsurancenumber
   ninumber passport passportnumber passportno passportid taxid taxidnumber taxnumber taxpayerid driverslicense
   driverlicense driverslicence driverlicence`,
);
tails("birth-date", "dob dateofbirth birthdate birthday birthdt");
tails("password", "password passwd passphrase passwordhash passworddigest passwordconfirmation passwordconfirm");
tails(
  "contact",
  `email emailaddress phone phonenumber phoneno mobilenumber mobilephone telephone telephonenumber cellphone
   homeaddress streetaddress billingaddress shippingaddress mailingaddress postaladdress residentialaddress
   deliveryaddress physicaladdress addressline addressline1 addressline2 street postcode postalcode zipcode`,
);
tails(
  "health",
  `diagnosis diagnoses medicalrecord medicalrecords medicalrecordnumber medicalhistory medicalcondition
   medicalconditions healthrecord healthrecords healthcondition healthconditions healthdata bloodtype bloodgroup
   allergy allergies medication medications prescription prescriptions healthinsurancenumber disability
   disabilities symptoms`,
);
tails("location", "latitude longitude geolocation gpslocation gpscoordinates geocoordinates geopoint");
/** Only as the whole name: `address` alone is an address, `ipAddress` and `bindAddress` are not. */
const WHOLE_NAME: Record<string, Kind> = { address: "contact", tin: "government-id" };

/** A first word that makes the name a flag, a handler or a UI state about the data, not the data. */
const NOT_DATA_FIRST = new Set(
  `is has show hide toggle forgot can should use allow require required enable enabled valid invalid validate on handle
   set get default min max placeholder label needs must was did no`.split(/\s+/),
);
/** Addresses the application sends from or to itself, not a person's. */
const NOT_PERSONAL_CONTACT = new Set(
  `from sender reply replyto support noreply admin system notification notifications sales help team company smtp mail
   sending bounce fallback`.split(/\s+/),
);
/** Credentials of a system (a database, a broker, a keystore): the `secret` signal's ground, not a person's password. */
const SYSTEM_CREDENTIAL = new Set(
  `db database smtp redis mysql postgres pg mongo amqp rabbit rabbitmq kafka ldap admin root proxy keystore truststore
   key ssh ftp sftp mail api bind master service app client registry docker git jwt sql elastic es cache broker vault`.split(/\s+/),
);

/** What a field name holds, if it is sensitive, and the name normalised (its identity). */
export function sensitiveName(name: string): { kind: Kind; id: string } | null {
  const words = identifierWords(name);
  if (words.length === 0 || words.length > 6) return null;
  const id = words.join("");
  if (WHOLE_NAME[id]) return { kind: WHOLE_NAME[id], id };
  if (NOT_DATA_FIRST.has(words[0]!)) return null;
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    const kind = TAILS[words.slice(-n).join("")];
    if (!kind) continue;
    if (kind === "contact" && NOT_PERSONAL_CONTACT.has(words[0]!)) return null;
    if (kind === "password" && SYSTEM_CREDENTIAL.has(words[0]!)) return null;
    return { kind, id };
  }
  return null;
}

// Where fields are declared --------------------------------------------------------------------

type Where = "data model" | "database column" | "form" | "API schema";

interface Context {
  file: FileScan;
  lines: readonly ScanLine[];
  i: number;
  /** Whether `lines[k]` is changed by the change (added, or removed when reading removed lines). */
  changed: (k: number) => boolean;
}

interface Extractor {
  where: Where;
  languages: readonly Language[] | "any";
  paths?: RegExp;
  /** Field names declared on `lines[i]`. */
  fields: (code: string, ctx: Context) => string[];
}

const one = (m: RegExpExecArray | null, group = 1): string[] => (m && m[group] ? [m[group]] : []);
const all = (code: string, re: RegExp, group = 1): string[] => [...code.matchAll(re)].map((m) => m[group]!).filter(Boolean);

/** A non-empty string literal given as the value: a hard-coded value (the `secret` signal's), not a field. */
const LITERAL_VALUE = /^\s*=\s*[rbfu]?(?:"[^"]+"|'[^']+')/i;

/** The bracket that encloses `lines[i]`, looking back over the lines above: `(` means a parameter list. */
function enclosing(lines: readonly ScanLine[], i: number): string | null {
  const open: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const depth: Record<string, number> = { "(": 0, "[": 0, "{": 0 };
  for (let k = i - 1; k >= Math.max(0, i - 30); k--) {
    const code = lines[k]!.code;
    for (let c = code.length - 1; c >= 0; c--) {
      const ch = code[c]!;
      if (ch in open) depth[open[ch]!]!++;
      else if (ch in depth) {
        if (depth[ch]! > 0) depth[ch]!--;
        else return ch;
      }
    }
  }
  return null;
}

const ANNOTATION = /^\s*@[\w.]+(?:\s*\([^()]*\))?\s*/;

function stripAnnotations(code: string): string {
  if (!code.includes("@")) return code;
  let rest = code;
  for (let n = 0; n < 6; n++) {
    const m = ANNOTATION.exec(rest);
    if (!m || m[0].length === 0) break;
    rest = rest.slice(m[0].length);
  }
  return rest;
}

const TS_PROPERTY = /^\s*(?:(?:readonly|public|private|protected|declare|static|override|abstract)\s+){0,4}["']?([A-Za-z_$][\w$]*)["']?\s*[?!]?\s*:\s*(.*)$/;
const TS_FIELD_VALUE = new RegExp(
  [
    String.raw`(?:string|number|bigint|boolean|Date|unknown|any|Buffer|Uint8Array|String|Number|Boolean)\b(?![.(])`,
    String.raw`(?![A-Z0-9]*_)[A-Z]\w*(?:<[^()=]{0,100}>)?(?:\[\])?!?\s*(?:[;,|=)]|\/\/|$)`,
    String.raw`\[[A-Z]\w*!?\]!?`,
    String.raw`(?:z|yup|Yup|Joi|joi|v|t|s|Type|T|DataTypes|Sequelize|types|fields|vine|Schema\s*\.\s*Types|mongoose\s*\.\s*Schema\s*\.\s*Types)\s*\.\s*\w+`,
    String.raw`(?:text|varchar|char|integer|int|bigint|date|timestamp|uuid|jsonb?|citext|varbinary|bytea)\s*\(\s*['"\x60]`,
    String.raw`new\s+FormControl\b`,
    String.raw`\[[^\]]{0,200}\bValidators\b`,
    String.raw`\{\s*type\s*:`,
  ]
    .map((alt) => `(?:${alt})`)
    .join("|")
    .replace(/^/, "^(?:")
    .concat(")"),
);

const PY_ASSIGNED = /^\s*([A-Za-z_]\w*)\s*(?::\s*[^=]{1,200})?=\s*(.*)$/;
const PY_FIELD_CALL =
  /^(?:(?:models|forms|serializers|fields|db|sa|sqlalchemy|orm|me|mongoengine|ma|pw|peewee|wtforms)\s*\.\s*(?!(?:get|pop|items|setdefault|update)\b)\w+|\w*Field|Column|mapped_column)\s*\(/;
const PY_ANNOTATED = /^\s*([A-Za-z_]\w*)\s*:\s*(.+)$/;
/** A whole annotation: `str`, `EmailStr`, `Optional[str]`, `Mapped[date]`, `str | None`. */
const PY_TYPE =
  /^(?:(?:Optional|Annotated|Mapped|List|list|ClassVar)\[\s*)?(?:str|int|bytes|date|datetime|EmailStr|SecretStr|SecretBytes|PaymentCardNumber|NameEmail|constr\s*\([^()]*\)|UUID|Decimal|[A-Z]\w*)(?:\[[^[\]=]*\])?(?:\s*\|\s*None)?\s*\]?$/;
const PY_DEFAULT = /^(?:None|""|''|0|\[\]|\w*Field\s*\(|field\s*\(|mapped_column\s*\(|Column\s*\()/;

const GO_FIELD = /^\s*([A-Za-z_]\w*)\s+(\*?(?:\[\])?\*?[\w.]+)\s*(`[^`]*`)?\s*$/;
const GO_TYPE = /^\*?(?:\[\])?\*?(?:string|u?int(?:8|16|32|64)?|bool|float(?:32|64)|byte|rune|[A-Z]\w*|\w+\.[A-Z]\w*)$/;
const GO_NOT_FIELD = new Set(
  "var const return go defer case type func package import else if for range select chan map break continue goto fallthrough struct interface".split(" "),
);

const JAVA_FIELD =
  /^\s*(?:(?:private|protected|public|final|static|transient|volatile)\s+){1,5}[\w.]+(?:<[^<>;=]{0,100}>)?(?:\[\])?\s+([A-Za-z_]\w*)\s*(=[^;]*)?;/;
const KOTLIN_PROPERTY = /\bva[lr]\s+([A-Za-z_]\w*)\s*:\s*[\w.<>?]+(\s*=\s*"[^"]+")?/g;
const CSHARP_PROPERTY = /^\s*(?:public|private|protected|internal)\s+(?:(?:required|virtual|override|static|readonly)\s+){0,3}[\w.<>?[\]]{1,80}\s+([A-Za-z_]\w*)\s*\{\s*(?:get|set|init)\b/;

const SQL_TYPES = String.raw`(?:VARCHAR|CHARACTER\s+VARYING|CHAR|TEXT|CITEXT|NVARCHAR|NCHAR|VARBINARY|BYTEA|BLOB|INT|INTEGER|BIGINT|SMALLINT|NUMERIC|DECIMAL|DATE|TIMESTAMPTZ|TIMESTAMP|DATETIME|BOOLEAN|BOOL|UUID|JSONB|JSON|GEOGRAPHY|GEOMETRY|POINT|REAL|DOUBLE)\b`;
const SQL_COLUMN = { any: new RegExp(String.raw`(?:^|[(,])\s*["\x60[]?(\w+)["\x60\]]?\s+${SQL_TYPES}`, "gi"), exact: new RegExp(String.raw`(?:^|[(,])\s*["\x60[]?(\w+)["\x60\]]?\s+${SQL_TYPES}`, "g") };
const UPPER_CASE_WORD = /[A-Z]{3}/;
const SQL_ADD = { any: /\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?["`[]?(\w+)["`\]]?\s+[A-Za-z]/gi, exact: /\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?["`[]?(\w+)["`\]]?\s+[A-Za-z]/g };

const FORM_CONTROL =
  /<(?:input|Input|select|textarea|TextField|TextInput|PasswordInput|Field|FormField|FormControl|FormItem|Form\.Item|Form\.Control|el-input|v-text-field|b-form-input|q-input|ion-input)\b/;
const FIELD_ATTRIBUTE_SOURCE = String.raw`\b(?:name|id|formControlName|v-model|ng-model|th:field|asp-for|x-model|wire:model|bind:value)\s*=\s*\{?\s*["'\x60]([^"'\x60]{1,80})["'\x60]|\[\(ngModel\)\]\s*=\s*["']([^"']{1,80})["']`;
const FIELD_ATTRIBUTE = new RegExp(FIELD_ATTRIBUTE_SOURCE);
const FIELD_ATTRIBUTES = new RegExp(FIELD_ATTRIBUTE_SOURCE, "g");
const PASSWORD_TYPE = /\btype\s*[:=]\s*\{?\s*["'`]password["'`]/;
const AUTOCOMPLETE = /\bautocomplete\s*[:=]\s*\{?\s*["'`](cc-(?:number|csc|exp|exp-month|exp-year|name|given-name|family-name)|new-password|current-password|bday(?:-day|-month|-year)?)\b/i;
const AUTOCOMPLETE_FIELD: Record<string, string> = { "cc-csc": "cvc", "new-password": "password", "current-password": "password" };
/** `f.password_field :x`: read from the dot (with the receiver's word behind it), not tried at every word. */
const RAILS_FORM_HELPER =
  /\.(?<=\w\s*\.)\s*(password_field|text_field|email_field|telephone_field|phone_field|date_field|number_field|text_area|hidden_field|date_select)\s*\(?\s*:(\w+)/;
/**
 * What any line PASSWORD_TYPE, AUTOCOMPLETE or FIELD_ATTRIBUTE finds contains (their key and its
 * `:` or `=`), read from the operator back: one cheap regex to rule the three out.
 */
const DECLARES = new RegExp(
  String.raw`[:=](?<=\btype\s*[:=]|\b[aA][uU][tT][oO][cC][oO][mM][pP][lL][eE][tT][eE]\s*[:=]|\b(?:name|id|formControlName|v-model|ng-model|th:field|asp-for|x-model|wire:model|bind:value)\s*=|\[\(ngModel\)\]\s*=)`,
);
/** A form collects contact details on every sign-up page: only payment, identity, birth date, password and health inputs count. */
const FORM_KINDS: ReadonlySet<Kind> = new Set(["payment", "government-id", "birth-date", "password", "health"]);

/** react-hook-form's `register("name")`. */
const REGISTER = /\bregister\s*\(\s*['"`]([\w.]+)['"`]/;
/** The last path segment of a bound field: `form.card.number` -> `number`, `*{cardNumber}` -> `cardNumber`. */
function fieldOf(value: string): string {
  const v = value.replace(/[*{}$@\s]/g, "");
  const segments = v.split(/[.[\]'"]+/).filter(Boolean);
  return segments.pop() ?? v;
}

/** The form-control tag `lines[i]` belongs to: its text and the index of the line it opens on. */
function tagAround(lines: readonly ScanLine[], i: number): { text: string; start: number } | null {
  let start = -1;
  for (let k = i; k >= Math.max(0, i - 8); k--) {
    const code = lines[k]!.code;
    const at = code.search(FORM_CONTROL);
    if (at >= 0) {
      // The tag must still be open on line i.
      const closedBefore = k < i && code.slice(at).includes(">");
      if (!closedBefore) {
        let closedBetween = false;
        for (let j = k + 1; j < i; j++) if (lines[j]!.code.includes(">")) closedBetween = true;
        if (!closedBetween) start = k;
      }
      break;
    }
    if (k < i && code.includes(">")) break;
  }
  if (start < 0) return null;
  let text = lines[start]!.code.slice(lines[start]!.code.search(FORM_CONTROL));
  for (let k = start + 1; !text.includes(">") && k < Math.min(lines.length, start + 10); k++) text += ` ${lines[k]!.code}`;
  return { text, start };
}

function formFields(code: string, ctx: Context): string[] {
  const names: string[] = [];
  // Every Rails helper name has an underscore.
  const rails = code.includes("_") ? RAILS_FORM_HELPER.exec(code) : null;
  if (rails) {
    const n = sensitiveName(rails[2]!);
    if (rails[1] === "password_field" || (n && FORM_KINDS.has(n.kind))) names.push(rails[2]!);
  }
  const register = REGISTER.exec(code);
  if (register) names.push(fieldOf(register[1]!));
  // The line must say something about the field (its name, type or autocomplete)...
  const declaresHere = DECLARES.test(code) && (PASSWORD_TYPE.test(code) || AUTOCOMPLETE.test(code) || code.search(FIELD_ATTRIBUTE) >= 0);
  if (!declaresHere) return names;
  // ...on a control the change adds: an attribute edited on an existing control is not a new field.
  const tag = tagAround(ctx.lines, ctx.i);
  if (!tag || !ctx.changed(tag.start)) return names;
  const bound = [...tag.text.matchAll(FIELD_ATTRIBUTES)].map((m) => fieldOf((m[1] ?? m[2])!));
  const sensitive = bound.filter((b) => {
    const n = sensitiveName(b);
    return n !== null && FORM_KINDS.has(n.kind);
  });
  if (PASSWORD_TYPE.test(tag.text)) names.push(sensitive[0] ?? bound[0] ?? "password");
  else {
    const auto = AUTOCOMPLETE.exec(tag.text);
    if (auto) names.push(sensitive[0] ?? AUTOCOMPLETE_FIELD[auto[1]!.toLowerCase()] ?? auto[1]!);
    else names.push(...sensitive);
  }
  return names;
}

/** Per-line patterns of the extractors below, made once. */
const KNEX_COLUMN = /\b(?:table|t|\$table)\s*(?:\.|->)\s*(?:string|text|date|dateTime|datetime|integer|bigInteger|uuid|binary|json|jsonb|timestamp|char|varchar|specificType|encrypted\w*)\s*\(\s*['"](\w+)['"]/;
const PY_COLUMN = /\bColumn\s*\(\s*['"](\w+)['"]/;
const RAILS_COLUMN = /\bt\s*\.\s*(?:string|text|date|datetime|integer|bigint|binary|citext|jsonb?|column|decimal|numeric|boolean|uuid)\s*\(?\s*:?["']?(\w+)/;
const RAILS_ADD_COLUMN = /\badd_column\s*\(?\s*:?["']?\w+["']?\s*,\s*:?["']?(\w+)/;
const RUBY_ATTRIBUTE = /^\s*(?:attribute|field)\s+:(\w+)/;
const RUBY_ATTRIBUTE_LIST = /\b(?:attr_accessor|attr_reader|attr_writer|attr_encrypted|encrypts|store_accessor|permit)\b\s*\(?(.*)$/;

const EXTRACTORS: readonly Extractor[] = [
  // TypeScript / JavaScript properties, interfaces, classes, zod/yup/Joi/Mongoose/Sequelize/Drizzle schemas, Angular forms
  {
    where: "data model",
    languages: ["js"],
    fields: (code, ctx) => {
      const m = TS_PROPERTY.exec(stripAnnotations(code));
      if (!m) return [];
      const value = m[2]!.trim();
      if (!TS_FIELD_VALUE.test(value)) return [];
      if (/^\{\s*$/.test(value) && !/^\s*type\s*:/.test(ctx.lines[ctx.i + 1]?.code ?? "type:")) return [];
      return enclosing(ctx.lines, ctx.i) === "(" ? [] : [m[1]!];
    },
  },
  { where: "data model", languages: "any", paths: /\.(?:graphql|gql)$/, fields: (code) => one(/^\s*(\w+)\s*(?:\([^)]*\))?\s*:\s*\[?[A-Z]\w*!?\]?!?(?:\s+@[^@]*)?\s*$/.exec(code)) },
  // Python: Django, SQLAlchemy, marshmallow, WTForms, DRF fields; pydantic, dataclass and TypedDict annotations
  {
    where: "data model",
    languages: ["python"],
    fields: (code, ctx) => {
      const assigned = PY_ASSIGNED.exec(code);
      if (assigned && PY_FIELD_CALL.test(assigned[2]!.trim())) return [assigned[1]!];
      const annotated = PY_ANNOTATED.exec(code);
      if (!annotated || annotated[2]!.trimEnd().endsWith(",")) return [];
      const [type, value] = annotated[2]!.split(/=(.*)/s, 2) as [string, string | undefined];
      if (!PY_TYPE.test(type.trim())) return [];
      if (value !== undefined && !PY_DEFAULT.test(value.trim())) return [];
      return enclosing(ctx.lines, ctx.i) === "(" ? [] : [annotated[1]!];
    },
  },
  { where: "database column", languages: ["python"], fields: (code) => one(PY_COLUMN.exec(code)) },
  // Go struct fields
  {
    where: "data model",
    languages: ["go"],
    fields: (code, ctx) => {
      const m = GO_FIELD.exec(code);
      if (!m || GO_NOT_FIELD.has(m[1]!) || !GO_TYPE.test(m[2]!)) return [];
      if (m[3] && /\b(?:env|envconfig|default):"/.test(m[3])) return [];
      return enclosing(ctx.lines, ctx.i) === "(" ? [] : [m[1]!];
    },
  },
  // Java fields and records, Kotlin properties, C# properties
  {
    where: "data model",
    languages: ["java"],
    fields: (code, ctx) => {
      if (/\.kts?$/.test(ctx.file.path)) return [...code.matchAll(KOTLIN_PROPERTY)].filter((m) => !m[2]).map((m) => m[1]!);
      const record = /\brecord\s+\w+\s*\(([^)]{0,500})\)/.exec(code);
      if (record) return record[1]!.split(",").map((p) => /(\w+)\s*$/.exec(p.trim())?.[1] ?? "").filter(Boolean);
      const m = JAVA_FIELD.exec(stripAnnotations(code));
      return m && !(m[2] && LITERAL_VALUE.test(m[2])) ? [m[1]!] : [];
    },
  },
  { where: "data model", languages: ["csharp"], fields: (code) => one(CSHARP_PROPERTY.exec(code)) },
  // Ruby: migrations, attributes, strong parameters (has_secure_password is the auth signal's; its password_digest column is ours)
  {
    where: "database column",
    languages: ["ruby"],
    fields: (code) => [
      ...one(RAILS_COLUMN.exec(code)),
      ...one(RAILS_ADD_COLUMN.exec(code)),
    ],
  },
  {
    where: "data model",
    languages: ["ruby"],
    fields: (code) => {
      const attr = one(RUBY_ATTRIBUTE.exec(code));
      if (attr.length > 0) return attr;
      const list = RUBY_ATTRIBUTE_LIST.exec(code);
      return list ? all(list[1]!, /:(\w+)/g) : [];
    },
  },
  // Schema files
  { where: "data model", languages: "any", paths: /\.proto$/, fields: (code) => one(/^\s*(?:optional\s+|repeated\s+|required\s+)?[\w.]+\s+(\w+)\s*=\s*\d+/.exec(code)) },
  {
    where: "data model",
    languages: "any",
    paths: /\.prisma$/,
    fields: (code) => one(/^\s*(\w+)\s+(?:String|Int|BigInt|DateTime|Bytes|Json|Decimal|Float|Boolean|[A-Z]\w*)(?:\?|\[\])?(?:\s|$)/.exec(code)),
  },
  // SQL columns, in .sql files and in SQL strings in code
  {
    where: "database column",
    languages: ["sql"],
    fields: (code) => [...all(code, SQL_COLUMN.any), ...all(code, SQL_ADD.any)],
  },
  {
    where: "database column",
    languages: ["js", "python", "go", "java", "ruby", "php", "csharp"],
    // Both need three upper-case letters in a row (a column type, or ADD): most lines have none.
    fields: (code) => (UPPER_CASE_WORD.test(code) ? [...all(code, SQL_COLUMN.exact), ...all(code, SQL_ADD.exact)] : []),
  },
  {
    where: "database column",
    languages: ["js", "php"],
    fields: (code) =>
      one(KNEX_COLUMN.exec(code)),
  },
  // Forms: HTML templates, JSX/Vue/Svelte, Rails form builders, react-hook-form
  { where: "form", languages: ["html", "js", "ruby"], fields: formFields },
  // API schemas: OpenAPI, AsyncAPI, JSON Schema
  {
    where: "API schema",
    languages: ["yaml", "json"],
    paths: /(?:^|\/)(?:openapi|swagger|asyncapi)[\w.-]*\.(?:ya?ml|json)$|\.schema\.json$|(?:^|\/)schemas?\/[\w.-]+\.(?:ya?ml|json)$/i,
    fields: (code, ctx) => {
      const m = /^\s*["']?([A-Za-z_][\w-]*)["']?\s*:\s*(\{\s*["']?type\b.*|\{\s*)?$/.exec(code);
      if (!m) return [];
      const next = ctx.lines[ctx.i + 1]?.code;
      if (!m[2]?.includes("type") && next !== undefined && !/^\s*["']?(?:type|\$ref|format|description|example|enum|pattern|items|allOf|oneOf|anyOf|nullable|readOnly|writeOnly|minLength|maxLength)["']?\s*:/.test(next)) return [];
      return [m[1]!];
    },
  },
];

/** Translations and message catalogues name every field in their keys. */
const SKIP_PATHS = /(?:^|\/)(?:locales?|i18n|lang|langs|translations?)\/|\.(?:po|pot)$/i;

interface Found {
  where: Where;
  kind: Kind;
  ids: string[];
}

function appliesTo(x: Extractor, file: FileScan): boolean {
  if (x.languages !== "any" && !x.languages.includes(file.language)) return false;
  return !x.paths || x.paths.test(file.path);
}

function classify(
  file: FileScan,
  extractors: readonly Extractor[],
  lines: readonly ScanLine[],
  i: number,
  changed: (k: number) => boolean,
): Found | null {
  const code = lines[i]!.code;
  const ctx: Context = { file, lines, i, changed };
  for (const x of extractors) {
    const names = x.fields(code, ctx);
    if (names.length === 0) continue;
    const found = names.map(sensitiveName).filter((n): n is { kind: Kind; id: string } => n !== null);
    if (x.where === "form" && names.length > 0 && found.length === 0) {
      // A password input named `pw` or `secret` is still a password input.
      if (PASSWORD_TYPE.test(tagAround(lines, i)?.text ?? code)) found.push({ kind: "password", id: identifierWords(names[0]!).join("") || "password" });
    }
    if (found.length > 0) return { where: x.where, kind: found[0]!.kind, ids: [...new Set(found.map((f) => f.id))] };
  }
  return null;
}

const analyses = new WeakMap<readonly FileScan[], Map<FileScan, Hit[]>>();

function analyse(files: readonly FileScan[]): Map<FileScan, Hit[]> {
  const cached = analyses.get(files);
  if (cached) return cached;
  const removed = new Set<string>();
  for (const file of files) {
    if (file.removed.length === 0 || SKIP_PATHS.test(file.path)) continue;
    const extractors = EXTRACTORS.filter((x) => appliesTo(x, file));
    file.removed.forEach((_l, i) => {
      for (const id of classify(file, extractors, file.removed, i, () => true)?.ids ?? []) removed.add(id);
    });
  }
  const fired = new Set<string>();
  const out = new Map<FileScan, Hit[]>();
  for (const file of files) {
    const hits: Hit[] = [];
    out.set(file, hits);
    if (file.added.length === 0 || SKIP_PATHS.test(file.path)) continue;
    const extractors = EXTRACTORS.filter((x) => appliesTo(x, file));
    if (extractors.length === 0) continue;
    const indexes = visibleIndexes(file);
    let addedLines: Set<number> | undefined;
    const changed = (k: number) => (addedLines ??= new Set(file.added.map((l) => l.line))).has(file.visible[k]!.line);
    for (let a = 0; a < file.added.length; a++) {
      const added = file.added[a]!;
      const i = indexes[a];
      if (i === undefined) continue;
      const f = classify(file, extractors, file.visible, i, changed);
      if (!f) continue;
      // New when at least one field on the line was neither removed elsewhere in the change nor already reported.
      const fresh = f.ids.filter((id) => !removed.has(id) && !fired.has(id));
      if (fresh.length === 0) continue;
      for (const id of f.ids) fired.add(id);
      hits.push({ line: added.line, label: `${KIND_LABEL[f.kind]} in ${f.where === "API schema" ? "an" : "a"} ${f.where}`, removed: false, excerpt: excerpt(added.text) });
    }
  }
  analyses.set(files, out);
  return out;
}

function scanSensitive(file: FileScan, change: ChangeView): Hit[] {
  if (file.added.length === 0) return [];
  return analyse(change.files).get(file) ?? [];
}

export const sensitiveData: SignalDefinition = {
  id: "sensitive-data",
  title: "New personal or payment data field",
  stride: ["information-disclosure", "tampering", "repudiation"],
  severity: "medium",
  question:
    "Do we need to hold this personal or payment data, and how is it protected at rest and in transit, kept out of logs and responses, limited to the people who need it, and deleted when no longer needed?",
  detects:
    "Sensitive fields introduced in data models and schemas (TypeScript interfaces and classes, zod/yup/Joi, Mongoose, Sequelize, Drizzle, Django, SQLAlchemy, pydantic, marshmallow, Go structs, Java/Kotlin/C# fields, Ruby attributes and strong parameters, Prisma, Protobuf, GraphQL, OpenAPI and JSON Schema), database columns (SQL DDL, Rails, Alembic, knex and Laravel migrations) and form inputs (password inputs, card/CVV/IBAN/SSN/date-of-birth fields, cc-* autocomplete, Rails form builders, react-hook-form): card numbers, CVV, IBAN, bank account numbers, SSN, national id, passport, tax id, driving licence, date of birth, passwords and passphrases, email, phone and postal address (models and schemas only), health data and precise geolocation.",
  falsePositives:
    "A field named like personal data that holds something else (a store's latitude, a company's phone); a model property read as an object-literal key with a capitalised value. A field already reported elsewhere in the change, or removed elsewhere in it (renamed type, moved, re-listed), does not fire again. Silent on UI copy and labels, CSS classes, i18n keys and locale files, local variables, function parameters, flags about the data (showPassword, emailVerified), addresses the app sends mail from (supportEmail, fromEmail), system credentials (dbPassword: left to the secret signal, as are hard-coded password values), email/phone/address inputs on forms, and log format strings.",
  flows: "all",
  rules: [],
  scan: scanSensitive,
};
