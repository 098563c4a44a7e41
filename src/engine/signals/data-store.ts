import type { Language } from "../changes/languages.js";
import { excerpt } from "./run.js";
import type { ChangeView, FileScan, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { callArguments, lookBack, visibleIndexes } from "./source-text.js";

/**
 * New queries, tables, buckets and persistence calls. The table below names them; `scan` runs
 * it because a hit's identity (the table, model or bucket) is shared by every rule (`CREATE
 * TABLE users` in SQL and `create_table :users` in a Rails migration are one table), SQL is
 * often spread over several lines of a string, and a query is "built from strings" when the
 * interpolation sits on the lines after the call.
 */

type Hit = Omit<SignalHit, "signal" | "file">;

interface StoreRule {
  label: string;
  languages: readonly Language[] | "any";
  /**
   * What every line the pattern matches contains: a call of one of `calls` (a `.`, spaces and
   * a name starting so), or text `text` finds. A line that holds none of the hints of a file's
   * rules cannot match the table, so its patterns are not run.
   */
  hint: Hint;
  pattern: RegExp;
  unless?: RegExp;
  paths?: RegExp;
  /** What the hit creates or touches: `create:users`, `model:user`, `bucket:uploads`... */
  name?: (m: RegExpExecArray, lines: readonly ScanLine[], i: number) => string | null;
  /** The call takes SQL text: read it (on this line or the string it opens) for a table and for string building. */
  sql?: boolean;
  /** Runs a statement prepared just above (JDBC executeQuery(), Go stmt.Exec): silent when it is in view. */
  sender?: boolean;
  /** Every hit of the rule is a query built from strings. */
  built?: boolean;
}

interface Hint {
  calls?: readonly string[];
  text?: RegExp;
}

const CODE: readonly Language[] = ["js", "python", "go", "java", "ruby", "php", "csharp", "rust"];
const TYPE_ARGS = String.raw`(?:<[^()]{0,200}>\s*)?`;
const BUILT_LABEL = "query built from strings";

/** A table or model name as written (quoted, bracketed, schema-qualified) to its bare lower-case name. */
function bare(name: string | undefined): string | null {
  if (name === undefined) return null;
  const last = name.replace(/["`[\]]/g, "").split(".").pop() ?? "";
  return /[A-Za-z]/.test(last) ? last.toLowerCase() : "?";
}
const named = (kind: string, group = 1) => (m: RegExpExecArray) => {
  const n = bare(m[group]);
  return n === null ? null : `${kind}:${n}`;
};
const modelName = (group: number) => (m: RegExpExecArray) => {
  const n = bare(m[group]);
  return n === null ? null : `model:${n.replace(/_?schema$/, "")}`;
};
/** `@Entity` names its table, or the class declared on the next lines. */
const entityName = (m: RegExpExecArray, lines: readonly ScanLine[], i: number) => {
  if (m[1] !== undefined) return `create:${bare(m[1])}`;
  for (let k = i; k < Math.min(lines.length, i + 5); k++) {
    const c = /\bclass\s+(\w+)/.exec(lines[k]!.code);
    if (c) return `model:${c[1]!.toLowerCase()}`;
  }
  return null;
};
const bucketName = (_m: RegExpExecArray, lines: readonly ScanLine[], i: number) => {
  const b = /\b[bB]ucket(?:Name)?\s*[:=(]\s*(?:aws\.String\(\s*)?['"`]([\w.-]{3,63})['"`]/.exec(lines[i]!.code);
  return b ? `bucket:${b[1]!.toLowerCase()}` : null;
};
const collectionName = (m: RegExpExecArray, lines: readonly ScanLine[], i: number) => {
  const code = lines[i]!.code;
  const c = /\b[cC]ollection\s*\(\s*['"`]([\w.-]+)['"`]|\[\s*['"]([\w.-]+)['"]\s*\]\s*\.\s*\w+\s*\(/.exec(code);
  if (c) return `collection:${(c[1] ?? c[2])!.toLowerCase()}`;
  const receiver = m[1]?.toLowerCase();
  return receiver && !/^(?:collection|coll|col|c|db|this|self|model|repo|repository|client|mongo)$/.test(receiver)
    ? `collection:${receiver}`
    : null;
};
const redisKey = (m: RegExpExecArray, lines: readonly ScanLine[], i: number) => {
  const rest = lines[i]!.code.slice(m.index + m[0].length);
  const k = /^\s*(?:ctx\s*,\s*)?[fr]?['"`]([\w.-]+)/.exec(rest);
  return k ? `redis:${k[1]!.toLowerCase()}` : null;
};
const dynamoTable = (_m: RegExpExecArray, lines: readonly ScanLine[], i: number) => {
  const t = /\bTableName\s*[:=]\s*(?:aws\.String\(\s*)?['"`]([\w.-]+)/.exec(lines[i]!.code);
  return t ? `dynamo:${t[1]!.toLowerCase()}` : null;
};

const STORES: readonly StoreRule[] = [
  // Query builders fed with interpolated strings: always an injection question.
  {
    label: BUILT_LABEL,
    languages: ["go", "ruby", "php"],
    hint: { text: /#\{|"\s*[+.]|Sprintf/ },
    pattern:
      /(?:\.|->)\s*(?:Where|Or|Not|Having|Order|Group|Joins|Select|where|order|group|having|joins|pluck|from|find_by|select|reorder|rewhere|whereRaw|orderByRaw|selectRaw|havingRaw)\s*\(?\s*(?:"[^"]*(?:#\{|"\s*[+.]\s*\$?\w)|fmt\.Sprintf\s*\()/,
    built: true,
  },
  // Raw SQL through a driver or an ORM
  {
    label: "raw SQL (knex)",
    languages: ["js", "php"],
    hint: { calls: ["raw"], text: /Raw/ },
    pattern: /\bknex\s*\.\s*raw\s*\(|(?:\.|->)\s*(?:whereRaw|andWhereRaw|orWhereRaw|havingRaw|orderByRaw|joinRaw|selectRaw|fromRaw|groupByRaw)\s*\(/,
    sql: true,
  },
  { label: "raw SQL (Sequelize)", languages: ["js"], hint: { calls: ["query"] }, pattern: /\bsequelize\s*\.\s*query\s*\(/, sql: true },
  { label: "raw SQL (Prisma)", languages: ["js"], hint: { text: /Raw/ }, pattern: /\$(?:queryRaw|executeRaw)(?:Unsafe)?\b\s*[(`]?/, sql: true },
  {
    label: "SQL query",
    languages: ["js"],
    hint: { calls: ["query", "exec", "raw", "prepare", "unsafe"] },
    pattern: new RegExp(
      String.raw`\b(?:db|pool|pg|mysql|sqlite|database|conn|connection|dataSource|manager|entityManager|queryRunner|trx|tx|knex|\w{1,40}Repository|\w{1,40}Pool|\w{1,40}Db|\w{1,40}DB)\s*\.\s*(?:query|execute|raw|exec|prepare)\s*${TYPE_ARGS}\(|\bclient\s*\.\s*query\s*${TYPE_ARGS}\(\s*(?:['"\`]|\w{0,40}(?:sql|SQL|Sql|query|Query|text|Text)\b)|\bsql\s*\.\s*unsafe\s*\(`,
    ),
    sql: true,
  },
  {
    label: "raw SQL (Django)",
    languages: ["python"],
    hint: { calls: ["raw", "extra", "RunSQL"], text: /RawSQL/ },
    pattern: /\bobjects\s*\.\s*(?:raw|extra)\s*\(|\bRawSQL\s*\(|\.\s*extra\s*\(\s*(?:where|select|tables)\s*=|\bmigrations\s*\.\s*RunSQL\s*\(/,
    sql: true,
  },
  {
    label: "SQL execute",
    languages: ["python"],
    hint: { calls: ["exec"] },
    pattern:
      /\b(?:cursor|cur|c|conn|connection|con|db|session|engine|op|\w{1,30}_(?:cursor|conn|session|db|engine))\s*\.\s*(?:execute|executemany|executescript|exec_driver_sql)\s*\(/,
    // SQLAlchemy 2.0 runs every ORM statement through execute(select(...)): bound, not raw.
    unless: /\.\s*execute\s*\(\s*(?:sa\s*\.\s*)?(?:select|update|delete|insert)\s*\(/,
    sql: true,
  },
  {
    label: "raw SQL (SQLAlchemy text)",
    languages: ["python"],
    hint: { text: /[tT][eE][xX][tT]\s*\(/ },
    pattern: /\b(?:sa|sqlalchemy)\s*\.\s*text\s*\(|\btext\s*\(\s*[fFrRbBuU]{0,2}(?:"""|'''|['"])\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|MERGE)\b/i,
    sql: true,
  },
  {
    label: "SQL query (database/sql, GORM, sqlx, pgx)",
    languages: ["go"],
    hint: { calls: ["Query", "Exec", "Raw", "Prepare", "NamedExec", "NamedQuery", "MustExec", "Select", "Get"] },
    pattern:
      /\b(?:db|tx|conn|pool|sqlDB|gormDB|\w{1,30}DB|\w{1,30}Db)\s*\.\s*(?:Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Raw|Prepare|PrepareContext|NamedExec|NamedExecContext|NamedQuery|MustExec|(?:Select|Get)(?=\s*\(\s*(?:ctx\s*,\s*)?&\w+\s*,\s*["`]))\s*\(/,
    sql: true,
  },
  {
    label: "prepared statement run",
    languages: ["go"],
    hint: { calls: ["Query", "Exec"] },
    pattern: /\bstmt\s*\.\s*(?:Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext)\s*\(/,
    sender: true,
  },
  {
    label: "JDBC statement",
    languages: ["java"],
    hint: { calls: ["prepareStatement", "prepareCall", "createStatement"] },
    pattern: /\.\s*(?:prepareStatement|prepareCall|createStatement)\s*\(/,
    sql: true,
  },
  {
    label: "JDBC statement run",
    languages: ["java"],
    hint: { calls: ["execute", "addBatch"] },
    pattern: /\.\s*(?:executeQuery|executeUpdate|executeLargeUpdate)\s*\(|\b(?:stmt|statement|ps|pstmt|preparedStatement)\s*\.\s*(?:execute|addBatch)\s*\(/,
    sql: true,
    sender: true,
  },
  {
    label: "JdbcTemplate query",
    languages: ["java"],
    hint: { calls: ["query", "update", "batchUpdate", "execute"] },
    pattern:
      /\b(?:jdbcTemplate|namedParameterJdbcTemplate|jdbc|\w{1,30}JdbcTemplate)\s*\.\s*(?:query|queryForObject|queryForList|queryForMap|queryForRowSet|queryForStream|update|batchUpdate|execute)\s*\(/,
    sql: true,
  },
  { label: "JPA query", languages: ["java"], hint: { calls: ["create"], text: /@/ }, pattern: /^\s*@(?:Query|NativeQuery)\s*\(|\.\s*(?:createNativeQuery|createQuery|createSQLQuery|createNativeMutationQuery)\s*\(/, sql: true },
  {
    label: "raw SQL (ActiveRecord)",
    languages: ["ruby"],
    hint: { calls: ["exec", "select_", "sql"], text: /find_by_sql|^\s*execute/ },
    pattern:
      /\bfind_by_sql\b\s*\(?|\bconnection\s*\.\s*(?:execute|exec_query|select_all|select_one|select_value|select_values|select_rows|exec_update|exec_delete|exec_insert)\b\s*\(?|\bArel\s*\.\s*sql\s*\(|^\s*execute\s*\(?\s*(?:<<[~-]?\w+|["'])/,
    sql: true,
  },
  {
    label: "raw SQL (PHP)",
    languages: ["php"],
    hint: { text: /->\s*(?:query|exec|prepare)|mysqli_|DB::/ },
    pattern: /\$\w+\s*->\s*(?:query|exec|prepare)\s*\(|\bmysqli_(?:query|prepare|real_query|multi_query)\s*\(|\bDB::(?:raw|select|insert|update|delete|statement|unprepared)\s*\(/,
    sql: true,
  },
  {
    label: "raw SQL (.NET)",
    languages: ["csharp"],
    hint: { calls: ["FromSql", "ExecuteSql", "SqlQuery"], text: /Command/ },
    pattern: /\.\s*(?:FromSqlRaw|ExecuteSqlRaw|ExecuteSqlRawAsync|FromSqlInterpolated|ExecuteSqlInterpolated|SqlQueryRaw|ExecuteSql|SqlQuery)\s*(?:<[^()]{0,200}>\s*)?\(|\bnew\s+(?:Sql|Npgsql|MySql|Sqlite|Oracle)Command\s*\(/,
    sql: true,
  },
  // New models and tables
  {
    label: "new model",
    languages: ["python"],
    hint: { text: /^\s*class\s/ },
    pattern: /^\s*class\s+(\w+)\s*\([^)]*\b(?:models|db|me|mongoengine|ndb|peewee|pw)\s*\.\s*(?:Model|Document|DynamicDocument)\b/,
    name: modelName(1),
  },
  { label: "new table", languages: ["python"], hint: { text: /^\s*__tablename__/ }, pattern: /^\s*__tablename__\s*=\s*['"](\w+)['"]/, name: named("create") },
  { label: "new table", languages: ["python"], hint: { text: /Table\s*\(/ }, pattern: /\b(?:sa\s*\.\s*|sqlalchemy\s*\.\s*)?Table\s*\(\s*['"](\w+)['"]\s*,\s*\w*meta/, name: named("create") },
  { label: "new table", languages: ["python"], hint: { calls: ["create_table"] }, pattern: /\bop\s*\.\s*create_table\s*\(\s*['"](\w+)/, name: named("create") },
  {
    label: "new column",
    languages: ["python"],
    hint: { calls: ["add_column"] },
    pattern: /\bop\s*\.\s*add_column\s*\(\s*['"](\w+)['"]\s*,\s*(?:sa\s*\.\s*)?Column\s*\(\s*['"](\w+)/,
    name: (m) => `column:${bare(m[1])}.${bare(m[2])}`,
  },
  {
    label: "new model",
    languages: ["python"],
    hint: { calls: ["CreateModel", "AddField"] },
    pattern: /\bmigrations\s*\.\s*(?:CreateModel|AddField)\s*\(\s*(?:name\s*=\s*['"](\w+))?/,
    name: (m) => (m[1] ? `model:${m[1].toLowerCase()}` : null),
  },
  { label: "new model", languages: "any", paths: /\.prisma$/, hint: { text: /^\s*model\s/ }, pattern: /^\s*model\s+(\w+)\s*\{/, name: modelName(1) },
  { label: "new table", languages: ["ruby"], hint: { text: /^\s*create_table/ }, pattern: /^\s*create_table\s*\(?\s*:?["']?(\w+)/, name: named("create") },
  {
    label: "new table",
    languages: ["ruby"],
    hint: { text: /^\s*create_join_table/ },
    pattern: /^\s*create_join_table\s*\(?\s*:(\w+)\s*,\s*:(\w+)/,
    name: (m) => `create:${m[1]}_${m[2]}`,
  },
  {
    label: "new column",
    languages: ["ruby"],
    hint: { text: /^\s*add_/ },
    pattern: /^\s*add_(?:column|reference|belongs_to)\s*\(?\s*:?["']?(\w+)["']?\s*,\s*:?["']?(\w+)/,
    name: (m) => `column:${bare(m[1])}.${bare(m[2])}`,
  },
  { label: "new model", languages: ["ruby"], hint: { text: /^\s*class\s/ }, pattern: /^\s*class\s+(\w+)\s*<\s*(?:ApplicationRecord|ActiveRecord::Base)\b/, name: modelName(1) },
  {
    label: "new entity",
    languages: ["js", "java"],
    hint: { text: /@/ },
    pattern: /^\s*@(?:Entity|Table|Document)\b\s*(?:\(\s*\{?\s*(?:(?:name|collection|tableName)\s*[=:]\s*)?['"`](\w+)['"`])?/,
    name: entityName,
  },
  {
    label: "new model",
    languages: ["js"],
    hint: { text: /Schema/ },
    pattern: new RegExp(String.raw`\bnew\s+(?:mongoose\s*\.\s*)?Schema\s*${TYPE_ARGS}\(`),
    name: (_m, lines, i) => {
      const v = /\b(?:const|let|var)\s+(\w+)\s*(?::\s*[\w<>, ]{1,80})?=/.exec(lines[i]!.code);
      return v ? `model:${v[1]!.toLowerCase().replace(/_?schema$/, "")}` : null;
    },
  },
  {
    label: "new model",
    languages: ["js"],
    hint: { calls: ["model", "define"], text: /Schema|schema|Model/ },
    pattern: new RegExp(
      String.raw`\bmongoose\s*\.\s*model\s*${TYPE_ARGS}\(\s*['"\`](\w+)|\bmodel\s*${TYPE_ARGS}\(\s*['"\`](\w+)['"\`]\s*,\s*\w*[sS]chema\b|\b(?:sequelize|db)\s*\.\s*define\s*\(\s*['"\`](\w+)|^\s*(?:export\s+)?(?:default\s+)?class\s+(\w+)\s+extends\s+Model\b`,
    ),
    name: (m) => `model:${(m[1] ?? m[2] ?? m[3] ?? m[4])!.toLowerCase()}`,
  },
  {
    label: "new table",
    languages: ["js", "php"],
    hint: { text: /Table|Schema::create/ },
    pattern: /\b(?:createTable|createTableIfNotExists|Schema::create)\s*\(\s*['"`](\w+)|\b(?:pg|mysql|sqlite)Table\s*\(\s*['"`](\w+)/,
    name: (m) => `create:${bare(m[1] ?? m[2])}`,
  },
  {
    label: "new column",
    languages: ["js"],
    hint: { text: /Column/ },
    pattern: /\baddColumn\s*\(\s*['"`](\w+)['"`]\s*,\s*['"`](\w+)/,
    name: (m) => `column:${bare(m[1])}.${bare(m[2])}`,
  },
  { label: "new table", languages: ["go"], hint: { calls: ["AutoMigrate"] }, pattern: /\.\s*AutoMigrate\s*\(\s*&?(?:\w+\.)?(\w+)\s*\{/, name: modelName(1) },
  {
    label: "new repository",
    languages: ["java"],
    hint: { text: /Repository/ },
    pattern:
      /\binterface\s+\w+\s*(?:extends|:)\s*(?:Jpa|Crud|PagingAndSorting|ListCrud|ListPagingAndSorting|Mongo|ReactiveCrud|ReactiveMongo|R2dbc|Elasticsearch|CoroutineCrud)?Repository\s*<\s*(\w+)/,
    name: (m) => `repository:${m[1]!.toLowerCase()}`,
  },
  {
    label: "new table",
    languages: ["java"],
    hint: { text: /Table/ },
    pattern: /\bobject\s+(\w+)\s*:\s*(?:Int|Long|UUID|ULong)?(?:Id)?Table\s*(?:<[^()]{0,100}>\s*)?\(\s*(?:"(\w+)")?/,
    name: (m) => (m[2] ? `create:${m[2].toLowerCase()}` : `model:${m[1]!.toLowerCase()}`),
  },
  { label: "new table", languages: ["csharp"], hint: { text: /DbSet/ }, pattern: /\bDbSet\s*<\s*(\w+)\s*>\s*\w+\s*\{/, name: modelName(1) },
  // NoSQL and object stores
  {
    label: "NoSQL write",
    languages: CODE,
    hint: { calls: ["insert", "update", "replace", "delete", "find", "bulk", "Insert", "Update", "Replace", "Delete", "Find", "Bulk"] },
    pattern:
      /(?:\b(\w+)|[)\]])\s*\.\s*(?:insertOne|insertMany|updateOne|updateMany|replaceOne|deleteOne|deleteMany|findOneAndUpdate|findOneAndReplace|findOneAndDelete|findByIdAndUpdate|findByIdAndDelete|bulkWrite|insert_one|insert_many|update_one|update_many|replace_one|delete_one|delete_many|find_one_and_update|find_one_and_replace|find_one_and_delete|bulk_write|InsertOne|InsertMany|UpdateOne|UpdateMany|ReplaceOne|DeleteOne|DeleteMany|FindOneAndUpdate|BulkWrite)\s*\(/,
    name: collectionName,
  },
  {
    label: "NoSQL write",
    languages: CODE,
    hint: { text: /Collection|collection/ },
    pattern: /\b[cC]ollection\s*\(\s*['"`]([\w-]+)['"`]\s*\)[^;]{0,200}?\.\s*(?:add|set|update|create|Add|Set|Update|Create)\s*\(/,
    name: named("collection"),
  },
  {
    label: "NoSQL write",
    languages: ["java"],
    hint: { text: /ongoTemplate|opsFor/ },
    pattern:
      /\b\w{0,30}[mM]ongoTemplate\s*\.\s*(?:save|insert|upsert|updateFirst|updateMulti|remove|findAndModify)\s*\(|\bopsFor(?:Value|Hash|List|Set|ZSet)\s*\(\s*\)\s*\.\s*(?:set|put|putAll|leftPush|rightPush|add|increment|setIfAbsent)\s*\(/,
  },
  {
    label: "Redis write",
    languages: CODE,
    hint: { calls: ["set", "psetex", "hset", "hSet", "hmset", "hmSet", "lpush", "lPush", "rpush", "rPush", "sadd", "sAdd", "zadd", "zAdd", "mset", "mSet", "append", "Set", "HSet", "LPush", "RPush", "SAdd", "ZAdd", "MSet"] },
    pattern:
      /(?:\b\w{0,30}[rR]edis\w{0,30}|\bREDIS|\brdb|\bjedis|\$redis)\s*\.\s*(?:set|setex|setEx|psetex|setnx|setNX|hset|hSet|hmset|hmSet|lpush|lPush|rpush|rPush|sadd|sAdd|zadd|zAdd|mset|mSet|append|Set|SetEX|SetNX|HSet|LPush|RPush|SAdd|ZAdd|MSet)(?:\s*\(|\s+(?=['":]))/,
    name: redisKey,
  },
  {
    label: "object storage write",
    languages: CODE,
    hint: { calls: ["putObject", "PutObject", "put_object", "upload", "Upload", "createBucket", "create_bucket", "CreateBucket", "bucket", "Bucket"], text: /PutObject|CreateBucket|Upload/ },
    pattern:
      /\bnew\s+(?:PutObjectCommand|CreateBucketCommand|Upload)\s*\(|\bPutObjectRequest\s*\.\s*builder\s*\(|\.\s*(?:putObject|PutObject|PutObjectWithContext|put_object|upload_file|upload_fileobj|upload_blob|upload_from_string|upload_from_filename|upload_from_file|uploadData|uploadStream|createBucket|create_bucket|CreateBucket)\s*\(|\b(?:s3|s3Client|s3_client|storage|gcs|bucket|minioClient|minio_client|uploader)\s*\.\s*(?:upload|Upload|bucket|Bucket)\s*\(|\.\s*Bucket\s*\(\s*['"]/,
    name: bucketName,
  },
  {
    label: "DynamoDB write",
    languages: CODE,
    hint: { calls: ["put_item", "update_item", "batch_write_item", "transact_write_items", "putItem", "updateItem", "batchWriteItem", "transactWriteItems", "PutItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems"], text: /Command/ },
    pattern:
      /\bnew\s+(?:PutItemCommand|PutCommand|UpdateItemCommand|UpdateCommand|BatchWriteItemCommand|BatchWriteCommand|TransactWriteItemsCommand|TransactWriteCommand)\s*\(|\.\s*(?:put_item|update_item|batch_write_item|transact_write_items|putItem|updateItem|batchWriteItem|transactWriteItems|PutItem|UpdateItem|BatchWriteItem|TransactWriteItems|PutItemWithContext|UpdateItemWithContext)\s*\(/,
    name: dynamoTable,
  },
  // Infrastructure as code
  {
    label: "new data store (CDK, Pulumi)",
    languages: ["js", "python", "go", "java"],
    hint: { calls: ["Bucket", "Table", "DatabaseInstance", "DatabaseCluster", "ServerlessCluster", "Cfn", "Instance", "Cluster"] },
    pattern:
      /\b(?:s3\s*\.\s*Bucket|dynamodb\s*\.\s*(?:Table|TableV2)|rds\s*\.\s*(?:DatabaseInstance|DatabaseCluster|ServerlessCluster)|docdb\s*\.\s*DatabaseCluster|elasticache\s*\.\s*Cfn(?:CacheCluster|ReplicationGroup))\s*\(\s*(?:this|self|scope|stack)\s*,\s*['"`]([\w-]+)|\b(?:aws\s*\.\s*(?:s3\s*\.\s*Bucket(?:V2)?|rds\s*\.\s*(?:Instance|Cluster)|dynamodb\s*\.\s*Table)|gcp\s*\.\s*(?:storage\s*\.\s*Bucket|sql\s*\.\s*DatabaseInstance))\s*\(\s*['"`]([\w-]+)/,
    name: (m) => `iac:${(m[1] ?? m[2])!.toLowerCase()}`,
  },
  {
    label: "new data store (Terraform)",
    languages: ["terraform"],
    hint: { text: /^\s*resource\s/ },
    pattern:
      /^\s*resource\s+"((?:aws_(?:s3_bucket|db_instance|rds_cluster|dynamodb_table|dynamodb_global_table|elasticache_cluster|elasticache_replication_group|redshift_cluster|docdb_cluster|neptune_cluster|opensearch_domain|elasticsearch_domain|efs_file_system|glacier_vault|timestream_database|keyspaces_table|memorydb_cluster|dax_cluster)|google_(?:storage_bucket|sql_database_instance|sql_database|bigquery_dataset|bigquery_table|spanner_instance|spanner_database|firestore_database|bigtable_instance|redis_instance|alloydb_cluster|filestore_instance)|azurerm_(?:storage_account|storage_container|mssql_server|mssql_database|sql_server|sql_database|postgresql_server|postgresql_flexible_server|mysql_server|mysql_flexible_server|cosmosdb_account|redis_cache)))"\s+"([\w-]+)"/,
    name: (m) => `tf:${m[1]}.${m[2]}`,
  },
  {
    label: "new data store (Terraform module)",
    languages: ["terraform"],
    hint: { text: /^\s*source\s*=/ },
    pattern: /^\s*source\s*=\s*"terraform-aws-modules\/(?:rds|rds-aurora|s3-bucket|dynamodb-table|elasticache|redshift)\/aws"/,
  },
  {
    label: "new data store (CloudFormation)",
    languages: ["yaml", "json"],
    hint: { text: /AWS::/ },
    pattern:
      /\bType["']?\s*:\s*['"]?AWS::(?:S3::Bucket|RDS::(?:DBInstance|DBCluster)|DynamoDB::(?:Table|GlobalTable)|ElastiCache::(?:CacheCluster|ReplicationGroup)|DocDB::DBCluster|Redshift::Cluster|EFS::FileSystem|OpenSearchService::Domain)\b/,
  },
  // Multi-line ALTER TABLE in SQL files
  {
    label: "SQL schema change",
    languages: ["sql"],
    hint: { text: /^\s*[aA][dD][dD]\s/ },
    pattern: /^\s*ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!(?:CONSTRAINT|INDEX|PRIMARY|FOREIGN|UNIQUE|CHECK|KEY|PARTITION)\b)([\w"`]{1,66})\s+\w/i,
    name: (m) => `column:?.${bare(m[1])}`,
  },
];

// SQL text -------------------------------------------------------------------------------------

const TABLE = String.raw`([\w$."\x60\[\]]{1,130})`;
const STATEMENT = String.raw`\b(?:(CREATE)\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+|MATERIALIZED\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?|(ALTER)\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?|(INSERT)\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO\s+|(REPLACE)\s+INTO\s+|(MERGE)\s+INTO\s+|(DELETE)\s+FROM\s+|(UPDATE)\s+(?:ONLY\s+)?(?=[\w$."\x60\[\]]{1,130}\s+SET\b)|(SELECT)\s[^;]{0,400}?\bFROM\s+)${TABLE}`;
const SQL_STATEMENT = { exact: new RegExp(STATEMENT), any: new RegExp(STATEMENT, "i") };
const SQL_START = { exact: /\b(?:CREATE|ALTER|INSERT|REPLACE|MERGE|DELETE|UPDATE|SELECT)\b/, any: /\b(?:CREATE|ALTER|INSERT|REPLACE|MERGE|DELETE|UPDATE|SELECT)\b/i };
const ADD_COLUMN = {
  exact: /\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!(?:CONSTRAINT|INDEX|PRIMARY|FOREIGN|UNIQUE|CHECK|KEY|PARTITION)\b)([\w"`[\]]{1,66})/,
  any: /\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!(?:CONSTRAINT|INDEX|PRIMARY|FOREIGN|UNIQUE|CHECK|KEY|PARTITION)\b)([\w"`[\]]{1,66})/i,
};
const VERBS = ["create", "alter", "insert", "replace", "merge", "delete", "update", "select"] as const;
/** SQL in a line that logs, prints or raises it is a message, not a query. */
const MESSAGE_LINE =
  /\b(?:console|logger|log|logging|slog|Log|System\s*\.\s*(?:out|err))\s*\.\s*\w+\s*\(|\b(?:print|println|printf|puts|warn)\b|\bfmt\s*\.\s*(?:Print|Fprint|Errorf)\w*\s*\(|\berrors\s*\.\s*New\s*\(|\braise\b|\bthrow\b|\bnew\s+\w*(?:Error|Exception)\s*\(/;

interface Statement {
  verb: (typeof VERBS)[number];
  /** `select:users`, `create:users`, `column:users.email`. */
  id: string;
}

/** The SQL statement that starts on `lines[i]` (read on into the next lines when it is wrapped). */
function statementAt(lines: readonly ScanLine[], i: number, anyCase: boolean): Statement | null {
  const mode = anyCase ? "any" : "exact";
  const code = lines[i]!.code;
  const start = SQL_START[mode].exec(code);
  if (!start) return null;
  let text = code.slice(start.index);
  let m = SQL_STATEMENT[mode].exec(text);
  for (let k = i + 1; !m && k < Math.min(lines.length, i + 6) && text.length < 1200; k++) {
    text += ` ${lines[k]!.code}`;
    m = SQL_STATEMENT[mode].exec(text);
  }
  // The statement must start on this line, not on one read on to.
  if (!m || m.index >= code.length - start.index) return null;
  const v = m.slice(1, 9).findIndex((g) => g !== undefined);
  const verb = VERBS[v]!;
  const table = bare(m[9])!;
  if (verb === "alter") {
    let rest = text.slice(m.index + m[0].length);
    if (!/\bADD\b/i.test(rest) && lines[i + 1]) rest += ` ${lines[i + 1]!.code}`;
    const col = ADD_COLUMN[mode].exec(rest);
    return col ? { verb, id: `column:${table}.${bare(col[1])}` } : null;
  }
  return { verb, id: `${verb === "create" ? "create" : verb}:${table}` };
}

// Queries built from strings -------------------------------------------------------------------

const BUILT_ON_LINE: readonly RegExp[] = [
  /(?:^|[^\w$.])`[^`]*\$\{/, // an untagged template literal with interpolation (sql`...` and $queryRaw`...` are tagged)
  /['"`]\s*\+\s*[A-Za-z_$(]|[\w)\]]\s*\+\s*['"`]/, // concatenation
  /(?:^|[^\w])[fF][rRbB]?['"][^'"]*\{/, // f-string
  /['"]\s*%\s+[\w(]|['"]\s+%\s*[\w(]/, // % formatting
  /['"]\s*\.\s*format\s*\(/,
  /\b(?:Sprintf|sprintf|String\s*\.\s*format|formatted)\s*\(/,
];
/** Interpolation inside a double-quoted string, per language. */
const INTERPOLATED: Partial<Record<Language, RegExp>> = {
  ruby: /#\{/,
  php: /\$[A-Za-z_{]/,
  csharp: /\{[A-Za-z_]/,
};
const KOTLIN_INTERPOLATED = /\$[A-Za-z_{]/;
const PHP_CONCAT = /['"]\s*\.\s*\$\w/;
const FORMAT_AFTER = /^\s*(?:\.\s*(?:format|formatted)\s*\(|%\s*[\w(]|\+\s*[A-Za-z_$(])/;

/** The double-quoted strings of a line, each with the two characters before its opening quote. */
function doubleQuoted(code: string): { before: string; body: string }[] {
  const out: { before: string; body: string }[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (quote !== null) {
      if (ch === "\\") i++;
      else if (ch === quote) {
        if (quote === '"') out.push({ before: code.slice(Math.max(0, start - 3), start - 1), body: code.slice(start, i) });
        quote = null;
      }
    } else if (ch === '"' || ch === "'" || ch === "`") {
      quote = ch;
      start = i + 1;
    }
  }
  return out;
}

function builtOnLine(code: string, language: Language, path: string): boolean {
  if (BUILT_ON_LINE.some((re) => re.test(code))) return true;
  if (language === "php" && PHP_CONCAT.test(code)) return true;
  const inString = /\.kts?$/.test(path) ? KOTLIN_INTERPOLATED : INTERPOLATED[language];
  if (!inString) return false;
  return doubleQuoted(code).some((s) => (language !== "csharp" || /(?:\$@?|@\$)$/.test(s.before)) && inString.test(s.body));
}

/** A multi-line string the line opens: where a line ends it, whether it is tagged (sql`...`), whether it is an f-string. */
interface OpenString {
  closes: (code: string) => number;
  closer: string;
  tagged: boolean;
  fstring: boolean;
}

function opensString(code: string, language: Language): OpenString | null {
  const find = (closer: string) => (c: string) => c.indexOf(closer);
  for (const closer of ['"""', "'''"]) {
    if (code.split(closer).length % 2 === 0) {
      const at = code.lastIndexOf(closer);
      return { closes: find(closer), closer, tagged: false, fstring: /[fF][rR]?$/.test(code.slice(0, at)) };
    }
  }
  if (code.split("`").length % 2 === 0) {
    const at = code.lastIndexOf("`");
    return { closes: find("`"), closer: "`", tagged: /[\w$]$/.test(code.slice(0, at)), fstring: false };
  }
  // Ruby heredoc: execute <<~SQL ... SQL
  const heredoc = language === "ruby" ? /<<[~-]?("?)([A-Z_]\w{0,30})\1/.exec(code) : null;
  if (heredoc) {
    const id = heredoc[2]!;
    return { closes: (c) => (c.trim() === id ? c.indexOf(id) : -1), closer: id, tagged: false, fstring: false };
  }
  return null;
}

function isBuilt(lines: readonly ScanLine[], i: number, language: Language, path: string): boolean {
  const code = lines[i]!.code;
  if (builtOnLine(code, language, path)) return true;
  const open = opensString(code, language);
  if (!open) return false;
  for (let k = i + 1; k < Math.min(lines.length, i + 12); k++) {
    const c = lines[k]!.code;
    const at = open.closes(c);
    const body = at < 0 ? c : c.slice(0, at);
    if (open.closer === "`" && !open.tagged && body.includes("${")) return true;
    if (open.fstring && /\{[A-Za-z_]/.test(body)) return true;
    if (language === "ruby" && body.includes("#{")) return true;
    if (at >= 0) return FORMAT_AFTER.test(c.slice(at + open.closer.length));
  }
  return false;
}

// Running the table ----------------------------------------------------------------------------

interface Found {
  label: string;
  /** Identities: a named one (`create:users`) or, failing a name, the call's first argument. */
  ids: string[];
  named: boolean;
  built: boolean;
  sender: boolean;
  hasSql: boolean;
}

function appliesTo(rule: StoreRule, file: FileScan): boolean {
  if (rule.languages !== "any" && !rule.languages.includes(file.language)) return false;
  return !rule.paths || rule.paths.test(file.path);
}

/** The rules that apply to a file, and one regex made of their hints. */
interface FileRules {
  file: FileScan;
  rules: readonly StoreRule[];
  /** Null when no rule applies. */
  hint: RegExp | null;
  /** The file's language reads SQL text (a .sql file, or code that may hold SQL strings). */
  readsSql: boolean;
  /**
   * What a line must contain for classify to find anything: a hint, or (in code) the start of
   * an upper-case SQL statement. Null in .sql files, where every line is read.
   */
  gate: RegExp | null;
}

/** Hint regexes by the set of rules they stand for (a handful: one per language, and .prisma files). */
const hintsBySet = new Map<string, { hint: RegExp | null; gate: RegExp | null }>();

/** One regex for several hints: the calls share their leading `.` (cheaper than an alternation of hints). */
function hintRegex(hints: readonly Hint[]): RegExp {
  const calls = [...new Set(hints.flatMap((h) => h.calls ?? []))];
  const texts = [...new Set(hints.flatMap((h) => (h.text ? [h.text.source] : [])))];
  const parts = [...(calls.length > 0 ? [String.raw`\.\s*(?:${calls.join("|")})`] : []), ...texts.map((t) => `(?:${t})`)];
  return new RegExp(parts.join("|"));
}

function rulesFor(file: FileScan): FileRules {
  const rules: StoreRule[] = [];
  let key = "";
  STORES.forEach((r, n) => {
    if (!appliesTo(r, file)) return;
    rules.push(r);
    key += `${n},`;
  });
  const sqlFile = file.language === "sql";
  const readsSql = sqlFile || CODE.includes(file.language);
  key += readsSql ? "sql" : "";
  let made = hintsBySet.get(key);
  if (made === undefined) {
    const hint = rules.length === 0 ? null : hintRegex(rules.map((r) => r.hint));
    const sources = [...(hint ? [hint.source] : []), ...(readsSql ? [SQL_START.exact.source] : [])];
    made = { hint, gate: sources.length === 0 ? /(?!)/ : new RegExp(sources.join("|")) };
    hintsBySet.set(key, made);
  }
  return { file, rules, hint: made.hint, readsSql, gate: sqlFile ? null : made.gate };
}

function classify(fr: FileRules, lines: readonly ScanLine[], i: number): Found | null {
  const file = fr.file;
  const code = lines[i]!.code;
  if (fr.gate !== null && !fr.gate.test(code)) return null;
  let rule: StoreRule | undefined;
  let m: RegExpExecArray | null = null;
  // Every pattern's line holds its rule's hint: without one, no rule of the table can match.
  if (fr.hint?.test(code)) {
    for (const r of fr.rules) {
      m = r.pattern.exec(code);
      if (m && !r.unless?.test(code)) {
        rule = r;
        break;
      }
      m = null;
    }
  }
  const sqlFile = file.language === "sql";
  const readsSql = rule === undefined || rule.sql === true;
  let statement: Statement | null = null;
  if (readsSql && fr.readsSql) {
    statement = statementAt(lines, i, sqlFile || rule !== undefined);
    if (!statement && rule?.sql) {
      // The SQL is in the string the call opens on the next lines.
      for (let k = i + 1; !statement && k < Math.min(lines.length, i + 3); k++) statement = statementAt(lines, k, true);
    }
  }
  if (!rule) {
    if (!statement || (!sqlFile && MESSAGE_LINE.test(code))) return null;
  }
  const label = rule?.label ?? (statement!.verb === "create" || statement!.verb === "alter" ? "SQL schema change" : "SQL query");
  let id: string | null = (rule && m && rule.name?.(m, lines, i)) ?? statement?.id ?? null;
  const isNamed = id !== null;
  if (id === null && m && /\($/.test(m[0])) id = `arg:${label}|${callArguments(code, m.index + m[0].length).replace(/\s+/g, "").replace(/['`]/g, '"')}`;
  const built = rule?.built === true || ((rule?.sql === true || rule === undefined) && !sqlFile && isBuilt(lines, i, file.language, file.path));
  const ids = id === null ? [] : [built ? `built:${id}` : id];
  return {
    label: built ? BUILT_LABEL : label,
    ids,
    named: isNamed,
    built,
    sender: rule?.sender === true,
    hasSql: statement !== null,
  };
}

/** Whether the statement on `lines[from]` is still open on `lines[to]` (one query over several lines). */
function continues(lines: readonly ScanLine[], from: number, to: number, language: Language): boolean {
  if (language === "sql") {
    for (let k = from; k < to; k++) if (lines[k]!.code.includes(";")) return false;
    return true;
  }
  if (/^\s*@/.test(lines[from]!.code) && /^\s*@/.test(lines[to]!.code)) return true;
  // A string the first line opens (template literal, triple quotes, heredoc) holds the lines until it closes.
  const open = opensString(lines[from]!.code, language);
  if (open) {
    for (let k = from + 1; k < to; k++) if (open.closes(lines[k]!.code) >= 0) return false;
    return true;
  }
  let parens = 0;
  for (let k = from; k < to; k++) {
    for (const ch of lines[k]!.code) {
      if (ch === "(") parens++;
      else if (ch === ")") parens--;
    }
  }
  return parens > 0;
}

const SENDER_REACH = 15;
const STATEMENT_REACH = 6;

interface Analysis {
  hits: Map<FileScan, Hit[]>;
}
const analyses = new WeakMap<readonly FileScan[], Analysis>();

function analyse(files: readonly FileScan[]): Analysis {
  const cached = analyses.get(files);
  if (cached) return cached;
  const removed = new Set<string>();
  for (const file of files) {
    if (file.removed.length === 0) continue;
    const fr = rulesFor(file);
    file.removed.forEach((_l, i) => {
      for (const id of classify(fr, file.removed, i)?.ids ?? []) removed.add(id);
    });
  }
  const fired = new Set<string>();
  const hits = new Map<FileScan, Hit[]>();
  for (const file of files) {
    const out: Hit[] = [];
    hits.set(file, out);
    if (file.added.length === 0) continue;
    const fr = rulesFor(file);
    const visible = file.visible;
    const indexes = visibleIndexes(file);
    const found: (Found | null | undefined)[] = new Array(visible.length);
    const at = (k: number) => {
      let f = found[k];
      if (f === undefined) {
        f = classify(fr, visible, k);
        found[k] = f;
      }
      return f;
    };
    let last: { index: number; hit: Hit; built: boolean } | null = null;
    for (let a = 0; a < file.added.length; a++) {
      const added = file.added[a]!;
      const i = indexes[a];
      if (i === undefined) continue;
      const f = at(i);
      if (!f) continue;
      if (f.sender && !f.hasSql && lookBack(visible, i, SENDER_REACH, (k) => at(k) !== null && !at(k)!.sender)) continue;
      if (last && visible[i]!.line - visible[last.index]!.line <= STATEMENT_REACH && continues(visible, last.index, i, file.language)) {
        // The same statement, read on: one prompt, and it says "built from strings" if any part is.
        if (f.built && !last.built) {
          last.hit.label = BUILT_LABEL;
          last.built = true;
        }
        continue;
      }
      if (f.ids.some((id) => removed.has(id))) continue;
      if (f.named && f.ids.every((id) => fired.has(id))) continue;
      for (const id of f.ids) fired.add(id);
      const hit: Hit = { line: added.line, label: f.label, removed: false, excerpt: excerpt(added.text) };
      out.push(hit);
      last = { index: i, hit, built: f.built };
    }
  }
  const analysis = { hits };
  analyses.set(files, analysis);
  return analysis;
}

function scanStores(file: FileScan, change: ChangeView): Hit[] {
  if (file.added.length === 0) return [];
  return analyse(change.files).hits.get(file) ?? [];
}

export const dataStore: SignalDefinition = {
  id: "data-store",
  title: "New query, table or data store",
  stride: ["tampering", "information-disclosure", "repudiation", "elevation-of-privilege"],
  severity: "medium",
  question:
    "What data does this new query or store hold or change, who can reach it, is every value bound as a parameter rather than built into the query string, and are writes to it authorised and audited?",
  detects:
    "SQL DDL and DML in .sql files and in code strings (CREATE TABLE, ALTER TABLE ... ADD COLUMN, INSERT, UPDATE ... SET, DELETE, SELECT ... FROM, also spread over several lines); queries built from strings (template literals, f-strings, concatenation, % and format, Sprintf, Ruby interpolation), labelled as such; raw queries through knex, Sequelize, Prisma, TypeORM, pg, mysql, Django, SQLAlchemy, database/sql, GORM, sqlx, JDBC, JdbcTemplate, JPA, ActiveRecord, PDO, Laravel DB and EF Core; new models and tables (Django, SQLAlchemy, Alembic, Prisma, Rails migrations and models, TypeORM and JPA entities, Mongoose, Sequelize, knex, Drizzle, GORM AutoMigrate, Spring Data repositories, Exposed, EF DbSet); MongoDB, Firestore, DynamoDB, Redis and object-storage writes; data stores in Terraform, CloudFormation, CDK and Pulumi.",
  falsePositives:
    "Uppercase SQL keywords in a UI string shaped like a query; a receiver named db, conn or pool that is not a database; a second query on a table already queried in the same change is folded into the first prompt. Silent on log, print and error lines that mention SQL, on config reads, in-memory maps (map.set), browser storage (localStorage, IndexedDB: left to reviewers), on lowercase SQL in code that is not passed to a known query call, and on a query, table or bucket whose name the change also removes (a rewrite, not something new).",
  flows: "outbound",
  rules: [],
  scan: scanStores,
};
