import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../src/engine/report/markdown.js";
import { renderText } from "../../src/engine/report/text.js";
import { SHOP_MODEL, added, replace, run } from "../helpers/models.js";

const ROUTE = "router.post('/refunds', refund);";
// GitHub renders comments as GFM with raw HTML sanitised; markdown-it with html enabled is
// stricter for this test: any HTML that survives escaping would show up as a tag.
const renderer = new MarkdownIt({ html: true, linkify: true });

/** Text outside code elements, where GitHub turns @name and #123 into pings and links. */
function textOutsideCode(html: string): string {
  return html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, "").replace(/<[^>]+>/g, "");
}

describe("markdown from hostile repository text", () => {
  const hostile = [
    "apps/web/<img src=x onerror=alert(1)>.ts",
    "apps/web/[click](https://evil.example)@admin #12.ts",
    "apps/web/``` closing | pipes `tick`.ts",
    "apps/web/**bold** _it_ <script>alert(1)</script>.ts",
  ];
  const title = "Shop <b>bold</b> @everyone see #1 [x](https://evil.example)";
  const model = replace(SHOP_MODEL, "title: Shop", `title: "${title}"`)
    .replace("    name: Web app", '    name: "Web <i>app</i> @web-team"')
    .replace("  - id: internet\n", '  - id: internet\n    name: "Inter|net <b>x</b> @zone-owner"\n')
    .replace("    title: Credential stuffing", '    title: "Stuffing | @admin <img src=x> `code` #7"')
    .replace("  - id: login\n", '  - id: login\n    name: "Log|in [x](https://evil.example) @ops"\n')
    .replace("    authentication: password\n", '    authentication: "<img src=x onerror=alert(1)> @octocat #12 [win](https://evil.example)"\n');
  const changes = hostile.map((p) => added(p, [ROUTE]))
    .concat(hostile.map((p) => added(p.replace("apps/web/", "tools/"), [ROUTE])))
    .concat([added("apps/web/src/routes/login.ts")]);
  const report = run({ base: model, head: model, config: "unmapped: revisit\n", changes });
  const markdown = renderMarkdown(report);
  const html = renderer.render(markdown);

  it("renders findings for every hostile file", () => {
    expect(report.findings.filter((f) => f.kind === "signal")).toHaveLength(8);
    expect(markdown).toContain("Stuffing");
    expect(markdown).toContain("Inter");
    for (const p of hostile) expect(markdown).toContain(p.split("/")[1]!.slice(0, 3));
  });

  it("lets no HTML, link or image through", () => {
    expect(html).not.toMatch(/<(img|script|b|i|a)[\s>]/);
    expect(html).not.toContain("evil.example\"");
  });

  it("pings nobody and links no issue", () => {
    const text = textOutsideCode(html);
    expect(text).not.toMatch(/@(admin|everyone|web-team|zone-owner|ops|octocat)/);
    expect(text).not.toMatch(/#\d/);
  });

  it("keeps tables intact: no cell breaks out of its column", () => {
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const columns = (table.match(/<th[\s>]/g) ?? []).length;
      for (const row of table.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1)) {
        expect((row.match(/<td[\s>]/g) ?? []).length, row).toBe(columns);
      }
    }
  });
});

describe("markdown report", () => {
  it("says the verdict in its first line", () => {
    expect(renderMarkdown(run({ changes: [added("apps/web/src/routes/r.ts", [ROUTE])] })).split("\n")[0]).toMatch(/^⚠️ \*\*Revisit the threat model\*\*: 1 finding of 1 is not covered/);
    expect(renderMarkdown(run({ changes: [added("apps/web/src/a.ts")] })).split("\n")[0]).toMatch(/^✅ \*\*Pass\*\*/);
    expect(renderMarkdown(run({ base: null, head: null, changes: [] })).split("\n")[0]).toMatch(/^ℹ️ \*\*No threat model\*\*/);
  });

  it("shows boundaries, the open flow's questions and its modelled threats with their risk", () => {
    const md = renderMarkdown(run({ changes: [added("apps/web/src/routes/login.ts", ["const limit = 10;"])] }));
    expect(md).toContain("#### Touched trust boundaries");
    expect(md).toMatch(/\| Internet \\\(trust 0\\\)|internet/);
    expect(md).toContain("**Tampering**: Is every input arriving over this flow validated");
    expect(md).toContain("| `login-stuffing` Credential stuffing | Spoofing | mitigated | high (high × high) |");
    expect(md).toContain("#### What to do next");
    expect(md).toContain("ask @acme/appsec or @alice to acknowledge: a security champion comments `/threat-model ack <reason>`");
  });

  it("asks about unencrypted secret data and unauthenticated flows into more trusted zones", () => {
    const model = replace(replace(SHOP_MODEL, "    authentication: password\n    encrypted: true\n", "    authentication: none\n    encrypted: false\n"), "title: Shop", "title: Shop");
    const md = renderMarkdown(run({ base: model, head: model, changes: [added("apps/web/src/routes/login.ts")] }));
    expect(md).toContain("enters a more trusted zone without authentication");
    expect(md).toContain("carries secret data unencrypted");
    expect(md).toContain("**Elevation of privilege**");
  });

  it("lists errors with their place for an invalid model", () => {
    const head = replace(SHOP_MODEL, "    zone: internet", "    zone: outside");
    const md = renderMarkdown(run({ head, changes: [added("threat-model.yml")] }));
    expect(md).toMatch(/^❌ \*\*Invalid threat model or config\*\*: 1 error/);
    expect(md).toContain("`threat-model.yml:18:11`");
  });

  it("stays within GitHub's limit with an honest note when the report is huge", () => {
    const changes = Array.from({ length: 3000 }, (_, i) => added(`scripts/tool-${String(i).padStart(4, "0")}/server-with-a-long-name.ts`, [ROUTE]));
    const report = run({ config: "unmapped: revisit\n", changes });
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/…and \d+ more open findings not shown/);
    expect(md).toContain("This report was shortened to stay within GitHub's size limit");
    expect(md).toContain("threat-model-review check --format json");
  });

  it("a small limit still produces a bounded report", () => {
    const report = run({ config: "unmapped: revisit\n", changes: Array.from({ length: 50 }, (_, i) => added(`x/${i}.ts`, [ROUTE])) });
    expect(renderMarkdown(report, { limit: 5000 }).length).toBeLessThanOrEqual(5000);
  });
});

describe("what a pull request cannot soften", () => {
  it("questions come from the trusted model's zones and data, not the head's", () => {
    const softened = replace(replace(SHOP_MODEL, "    classification: secret", "    classification: public"), "    trust: 40", "    trust: 0");
    const md = renderMarkdown(run({ head: softened, changes: [added("apps/web/src/routes/login.ts")] }));
    expect(md).toContain("Could the change expose the secret data this flow carries");
    expect(md).toContain("| internet (trust 0) → dmz (trust 40) |");
  });
});

describe("text report", () => {
  it("neutralises control characters that come from the model", () => {
    const model = replace(SHOP_MODEL, "    authentication: password\n", '    authentication: "pass\\u001b[2Jword"\n');
    const text = renderText(run({ base: model, head: model, changes: [added("apps/web/src/routes/login.ts")] }));
    expect(text).not.toContain("\u001b");
  });

  it("reads as a terminal summary and neutralises control characters", () => {
    const text = renderText(run({ changes: [added("apps/web/src/routes/\u001b[31mred.ts", [ROUTE])] }));
    expect(text).toMatch(/^Threat model review: REVISIT\n/);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("[HIGH] signal/http-route apps/web/src/routes/?[31mred.ts:1");
  });
});
