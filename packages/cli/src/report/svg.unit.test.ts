import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { barChart, curveChart, thin, waterfallChart } from "./charts/index.js";
import { bidiLabel, coord, el, linearScale, mixColor, niceTicks, wrapLabel } from "./svg/index.js";

/** Bars of a chart as numbers, from the markup. */
function rects(svg: string): { x: number; y: number; width: number; height: number }[] {
  return [
    ...svg.matchAll(/<rect class="bar[^"]*" x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/g),
  ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), height: Number(m[4]) }));
}

describe("svg helpers", () => {
  it("nice ticks cover the data and include zero (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e12, max: 1e12 }), (a, b) => {
        const ticks = niceTicks(Math.min(a, b), Math.max(a, b));
        expect(ticks[0]).toBeLessThanOrEqual(Math.min(a, b, 0));
        expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(Math.max(a, b, 0));
        expect(ticks).toContain(0);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(12);
      }),
    );
    expect(niceTicks(0, 0)).toEqual([0, 1]);
    expect(niceTicks(0, 966)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it("scales, coordinates, colours and labels", () => {
    expect(linearScale([0, 10], [100, 0])(5)).toBe(50);
    expect(linearScale([3, 3], [7, 9])(3)).toBe(7);
    expect(coord(1.23456)).toBe("1.23");
    expect(coord(-0.001)).toBe("0");
    expect(coord(Number.NaN)).toBe("0");
    expect(mixColor("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(wrapLabel("Clawed back (refunds)", 12)).toEqual(["Clawed back", "(refunds)"]);
    expect(el("rect", { x: 1, title: `"><script>` })).toBe('<rect x="1" title="&quot;&gt;&lt;script&gt;"/>');
  });

  it("bar heights are proportional to values; rtl mirrors the order", () => {
    const input = {
      kind: "t",
      title: "t",
      width: 500,
      height: 300,
      rtl: false,
      tickFormat: String,
      bars: [
        { label: "a", value: 100, color: "#000000", valueLabel: "100" },
        { label: "b", value: 50, color: "#000000", valueLabel: "50" },
        { label: "c", value: 0, color: "#000000", valueLabel: "0" },
      ],
    };
    const ltr = rects(barChart(input));
    expect(ltr).toHaveLength(3);
    expect(ltr[0]?.height).toBeCloseTo(2 * (ltr[1]?.height ?? 0), 1);
    expect(ltr[2]?.height).toBe(0);
    expect(ltr[0]?.x).toBeLessThan(ltr[1]?.x ?? 0);
    const rtl = rects(barChart({ ...input, rtl: true }));
    expect(rtl[0]?.x).toBeGreaterThan(rtl[1]?.x ?? 0);
  });

  it("6 rollforward: the waterfall's floating bars end at the closing level", () => {
    // jalali vector: 477500 + 30370 - 20000 + 150000 - 632500 - 1666 - 0 = 3704
    const steps = [
      { label: "opening", kind: "total", value: 477500 },
      { label: "earned", kind: "up", value: 30370 },
      { label: "redeemed", kind: "down", value: 20000 },
      { label: "reversed", kind: "up", value: 150000 },
      { label: "expired", kind: "down", value: 632500 },
      { label: "clawedBack", kind: "down", value: 1666 },
      { label: "debited", kind: "down", value: 0 },
      { label: "closing", kind: "total", value: 3704 },
    ] as const;
    const svg = waterfallChart({
      title: "w",
      width: 900,
      height: 340,
      rtl: false,
      tickFormat: String,
      colors: { total: "#111111", up: "#00aa00", down: "#aa0000" },
      steps: steps.map((s) => ({ ...s, valueLabel: String(s.value) })),
    });
    const bars = rects(svg);
    expect(bars).toHaveLength(8);
    const clawed = bars[5];
    const closing = bars[7];
    // The clawback bar's bottom (the level after it) equals the top of the closing total.
    expect((clawed?.y ?? 0) + (clawed?.height ?? 0)).toBeCloseTo(closing?.y ?? -1, 1);
    // Expired (down) starts where reversed (up) ended.
    expect(bars[4]?.y).toBeCloseTo(bars[3]?.y ?? -1, 1);
    expect((svg.match(/class="connector"/g) ?? []).length).toBe(7);
  });

  it("embeds right-to-left labels so Persian reads in order; others are left alone", () => {
    expect(bidiLabel("۱۸۱ تا ۳۶۵ روز")).toBe("\u202B۱۸۱ تا ۳۶۵ روز\u202C");
    expect(bidiLabel("۳٬۷۰۴")).toBe("۳٬۷۰۴");
    expect(bidiLabel("Mar 2011")).toBe("Mar 2011");
  });

  it("thins a long curve to a bounded path, keeping both ends", () => {
    const points = Array.from(
      { length: 5001 },
      (_, i) => [i / 5000, Math.sqrt(i / 5000)] as [number, number],
    );
    const thinned = thin(points, 400);
    expect(thinned).toHaveLength(401);
    expect(thinned[0]).toEqual([0, 0]);
    expect(thinned[400]).toEqual([1, 1]);
    const svg = curveChart({
      title: "c",
      width: 560,
      height: 380,
      rtl: false,
      points,
      marker: { x: 0.2, y: Math.sqrt(0.2), label: "44.7%" },
      xAxis: "x",
      yAxis: "y",
      equality: "=",
      percentLabel: String,
    });
    expect((svg.match(/L/g) ?? []).length).toBeLessThan(1000);
    expect(svg).not.toContain("curve-point");
    expect(svg).toContain('class="marker"');
  });
});
