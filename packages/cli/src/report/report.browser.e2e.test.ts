/// <reference lib="dom" />
/**
 * End to end: the report of each golden vector opened in headless Chromium (issue 5).
 * Needs /usr/bin/chromium (Debian package `chromium`): without it the test fails on CI
 * (CI set) and is skipped with a printed reason elsewhere.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type VectorName, vectorReportData } from "../testing/vector-report-data.js";
import { renderReport, SECTION_IDS } from "./render.js";
import type { ReportLang } from "./types.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../../../artifacts/", import.meta.url));
const hasChromium = existsSync(CHROMIUM);
const onCi = Boolean(process.env.CI);

const CASES: { lang: ReportLang; vector: VectorName }[] = [
  { lang: "en", vector: "gregorian" },
  { lang: "fa", vector: "jalali" },
];

interface ChartStats {
  kind: string;
  width: number;
  height: number;
  marks: number;
  marksWithArea: number;
}

async function chartStats(page: Page): Promise<ChartStats[]> {
  return page.$$eval("svg.chart", (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = Array.from(svg.querySelectorAll("rect.bar, rect.cell, path.curve"));
      const withArea = marks.filter((m) => {
        const r = m.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      });
      return {
        kind: svg.getAttribute("data-chart") ?? "",
        width: box.width,
        height: box.height,
        marks: marks.length,
        marksWithArea: withArea.length,
      };
    }),
  );
}

if (!hasChromium && onCi) {
  describe("HTML report in headless Chromium (CI)", () => {
    it("needs Chromium on CI", () => {
      throw new Error(
        `${CHROMIUM} is missing: CI must run the browser test of the report. Install it with 'apt-get install -y chromium'.`,
      );
    });
  });
} else if (!hasChromium) {
  const reason = `${CHROMIUM} is missing (install it: apt-get install -y chromium)`;
  console.warn(`report.browser.e2e.test: skipped, ${reason}`);
  describe("HTML report in headless Chromium", () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}

if (hasChromium)
  describe("HTML report in headless Chromium", () => {
    let browser: Browser | undefined;
    let dir = "";

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "vafa-report-"));
      mkdirSync(ARTIFACTS, { recursive: true });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic",
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const { lang, vector } of CASES) {
      it(`${lang}: every section and chart renders with data, offline (${vector} vector)`, async () => {
        if (!browser) throw new Error("browser did not start");
        const file = join(dir, `report-${lang}.html`);
        writeFileSync(file, renderReport(vectorReportData(vector), { lang }));
        const url = pathToFileURL(file).href;
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const requests: string[] = [];
        page.on("request", (request) => {
          requests.push(request.url());
        });
        try {
          await page.goto(url, { waitUntil: "load" });

          for (const id of SECTION_IDS) {
            const box = await page.locator(`section#${id}`).boundingBox();
            expect(box?.height ?? 0, `section ${id}`).toBeGreaterThan(40);
          }

          const charts = await chartStats(page);
          expect(charts.map((c) => c.kind).sort()).toEqual(
            ["liability", "monthly", "pareto", "rfm-heatmap", "tiers", "waterfall"].sort(),
          );
          for (const chart of charts) {
            expect(chart.width, chart.kind).toBeGreaterThan(200);
            expect(chart.height, chart.kind).toBeGreaterThan(150);
            expect(chart.marks, chart.kind).toBeGreaterThan(0);
            expect(chart.marksWithArea, chart.kind).toBeGreaterThan(0);
          }
          const byKind = new Map(charts.map((c) => [c.kind, c]));
          expect(byKind.get("waterfall")?.marks).toBe(8);
          expect(byKind.get("rfm-heatmap")?.marksWithArea).toBe(25);

          // Nothing sticks out sideways.
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow).toBeLessThanOrEqual(0);

          const dirAttr = await page.evaluate(() => document.documentElement.dir);
          const bodyDirection = await page.evaluate(() => getComputedStyle(document.body).direction);
          const text = await page.evaluate(() => document.body.textContent ?? "");
          if (lang === "fa") {
            expect(dirAttr).toBe("rtl");
            expect(bodyDirection).toBe("rtl");
            expect(await page.evaluate(() => document.documentElement.lang)).toBe("fa");
            expect(text).toContain("۱۳ فروردین ۱۳۹۱"); // as of 2012-04-01
            expect(text).toContain("فروردین ۱۳۹۱"); // a Jalali month of the chart
            // The heading sits on the right edge in a right-to-left page.
            const h1 = await page.locator("h1").boundingBox();
            const main = await page.locator("main").boundingBox();
            expect((h1?.x ?? 0) + (h1?.width ?? 0)).toBeGreaterThan((main?.x ?? 0) + (main?.width ?? 0) - 80);
          } else {
            expect(dirAttr).toBe("ltr");
            expect(bodyDirection).toBe("ltr");
            expect(text).toContain("2011-05-15 00:00 UTC");
            expect(text).toContain("2,510");
          }

          // The report fetched nothing: the only request is the file itself.
          expect(requests).toEqual([url]);

          await page.screenshot({ path: join(ARTIFACTS, `report-${lang}.png`), fullPage: true });
          expect(existsSync(join(ARTIFACTS, `report-${lang}.png`))).toBe(true);
        } finally {
          await page.close();
        }
      });
    }
  });
