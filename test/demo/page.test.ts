/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The demo's HTML page in a real browser (Debian's Chromium, headless, through
 * playwright-core): the summary comment's data-flow diagram is drawn, shows the zones,
 * components and flows of the demo pull request with the touched ones highlighted, and is
 * readable (labels at a legible size, none on top of another). A screenshot of the diagram
 * is kept next to the page.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const available = existsSync(CHROMIUM);
if (!available) {
  // CI sets REQUIRE_BROWSER, so there a missing browser is a failure, not a skip.
  if (process.env["REQUIRE_BROWSER"]) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  process.stderr.write(`demo page browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
}

describe.skipIf(!available)("the demo page in headless Chromium", () => {
  let out: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "tmr-demo-page-"));
    const demo = spawnSync(process.execPath, [join(ROOT, "dist", "demo", "main.js")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DEMO_OUTPUT: out }, timeout: 120_000 });
    expect(demo.status, demo.stderr).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(join(out, "index.html")).href);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const diagram = () => page.locator(".entry.comment .mermaid-svg svg").first();

  it("draws the summary comment's diagram: zones, components and the flows between them", async () => {
    await expect.poll(() => diagram().isVisible()).toBe(true);
    const svg = diagram();
    const zones = await svg.locator("g.subgraph").evaluateAll((gs) => gs.map((g) => g.querySelector("text")?.textContent ?? ""));
    expect(zones).toEqual(expect.arrayContaining(["Internet (trust 0)", "Edge (DMZ) (trust 40)", "Internal network (trust 80)", "Card processor (trust 20)"]));
    const nodes = await svg.locator("g.node").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-label")));
    expect(nodes).toEqual(expect.arrayContaining(["Customer browser", "Shop web app", "Payment service", "Orders database", "Card processor API"]));
    const edges = await svg.locator("g[data-from]").evaluateAll((gs) => gs.map((g) => `${g.getAttribute("data-from")}->${g.getAttribute("data-to")}: ${g.getAttribute("data-label")}`));
    expect(edges).toEqual(expect.arrayContaining(["c_browser->c_web: https · secret", "c_web->c_payments: grpc · secret", "c_payments->c_card_processor: https · secret", "c_payments->c_orders_db: postgres · confidential"]));
  });

  it("highlights what the pull request touches and fades the rest", async () => {
    const fill = (label: string) => diagram().locator(`g.node[data-label="${label}"] > :first-child`).evaluate((el) => getComputedStyle(el).fill);
    const touched = await fill("Payment service");
    expect(await fill("Shop web app")).toBe(touched);
    expect(await fill("Orders database")).not.toBe(touched);
    expect(await fill("Customer browser")).not.toBe(touched);
  });

  it("is readable: labels at 11 px or more, none drawn over another", async () => {
    const boxes = await diagram().evaluate((svg) => {
      // Font sizes are in the drawing's units: the page may draw it smaller than that.
      const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
      return [...svg.querySelectorAll("text")].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? "", x: r.x, y: r.y, w: r.width, h: r.height, size: r.height > 0 ? parseFloat(getComputedStyle(t).fontSize) * scale : 0 };
      });
    });
    expect(boxes.length).toBeGreaterThan(10);
    for (const b of boxes) expect(b.size, b.text).toBeGreaterThanOrEqual(10.9);
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (w > 2 && h > 2) overlaps.push(`"${a.text}" over "${b.text}"`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  it("paints it: the screenshot is not blank, and it is kept next to the page", async () => {
    const shot = join(out, "diagram.png");
    await diagram().screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(5_000);
    // Count the colours the browser painted, from the same pixels.
    const painted = await diagram().evaluate(async (svg) => {
      const box = svg.getBoundingClientRect();
      const image = new Image();
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(box.width);
      canvas.height = Math.ceil(box.height);
      const ctx = canvas.getContext("2d")!;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set<number>();
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        const rgb = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
        colours.add(rgb);
        if (rgb !== 0xffffff) ink++;
      }
      return { colours: colours.size, ink: ink / (data.length / 4) };
    });
    expect(painted.colours).toBeGreaterThan(20);
    expect(painted.ink).toBeGreaterThan(0.03);
  });
});
