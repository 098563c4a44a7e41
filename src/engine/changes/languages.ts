/** Which language a changed file is written in, judged from its path only (never its content). */

export const LANGUAGES = [
  "js", // JavaScript and TypeScript
  "python",
  "go",
  "java", // Java, Kotlin, Scala, Groovy: the JVM family shares annotations and APIs
  "ruby",
  "php",
  "csharp",
  "rust",
  "terraform",
  "yaml",
  "workflow", // GitHub Actions workflow
  "dockerfile",
  "html", // HTML and server-side templates
  "shell",
  "sql",
  "json",
  "toml",
  "xml",
  "text",
  "other",
] as const;
export type Language = (typeof LANGUAGES)[number];

const BY_EXTENSION: Record<string, Language> = {
  js: "js", jsx: "js", mjs: "js", cjs: "js", ts: "js", tsx: "js", mts: "js", cts: "js", vue: "js", svelte: "js",
  py: "python", pyi: "python",
  go: "go",
  java: "java", kt: "java", kts: "java", scala: "java", groovy: "java", gradle: "java",
  rb: "ruby", rake: "ruby", gemspec: "ruby", erb: "html",
  php: "php",
  cs: "csharp",
  rs: "rust",
  tf: "terraform", tfvars: "terraform", hcl: "terraform",
  yml: "yaml", yaml: "yaml",
  dockerfile: "dockerfile", containerfile: "dockerfile",
  html: "html", htm: "html", ejs: "html", hbs: "html", handlebars: "html", mustache: "html", jinja: "html", jinja2: "html", j2: "html", njk: "html", twig: "html", tmpl: "html", gohtml: "html", liquid: "html", jsp: "html", cshtml: "html", haml: "html", slim: "html",
  sh: "shell", bash: "shell", zsh: "shell",
  sql: "sql",
  json: "json",
  toml: "toml",
  xml: "xml",
  txt: "text", cfg: "text", ini: "text", conf: "text", properties: "text", env: "text",
};

const BY_NAME: Record<string, Language> = {
  dockerfile: "dockerfile",
  containerfile: "dockerfile",
  gemfile: "ruby",
  rakefile: "ruby",
  jenkinsfile: "java",
  makefile: "shell",
  ".env": "text",
};

export function languageOf(path: string): Language {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path) || /(^|\/)action\.ya?ml$/i.test(path)) return "workflow";
  if (BY_NAME[name]) return BY_NAME[name];
  if (name.startsWith("dockerfile.") || name.endsWith(".dockerfile")) return "dockerfile";
  if (name.startsWith(".env.")) return "text";
  const dot = name.lastIndexOf(".");
  if (dot > 0) {
    const ext = name.slice(dot + 1);
    // Templates named after their output: page.html.erb, index.html.j2
    const lang = BY_EXTENSION[ext];
    if (lang) return lang;
  }
  return "other";
}
