/**
 * Small hand-written SVG chart helpers: inline, no scripts, no fonts, print-friendly.
 * Geometry is always laid out left to right; categorical charts mirror their slots when
 * `rtl` is set so a right-to-left reader meets the first category on the right.
 */
import { escapeHtml } from "./format.js";

export type Attrs = Record<string, string | number | undefined>;

/** One element; attribute values and text are escaped, `children` is trusted SVG markup. */
export function el(name: string, attrs: Attrs, children = ""): string {
  const parts = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === "number" ? coord(v) : String(v))}"`)
    .join("");
  return children === "" && name !== "text" && name !== "title"
    ? `<${name}${parts}/>`
    : `<${name}${parts}>${children}</${name}>`;
}

// Letters of right-to-left scripts (Hebrew, Arabic, Persian), digits excluded.
const RTL_LETTER =
  /[\u0590-\u05FF\u0620-\u064A\u066E-\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/**
 * Chart geometry is left to right (CSS `svg.chart { direction: ltr }`), so a label with
 * right-to-left letters is embedded right to left (RLE ... PDF): "۱۸۱ تا ۳۶۵ روز" then reads
 * in Persian order instead of starting with its first number on the left.
 */
export function bidiLabel(content: string): string {
  return RTL_LETTER.test(content) ? `\u202B${content}\u202C` : content;
}

export function text(attrs: Attrs, content: string): string {
  return el("text", attrs, escapeHtml(bidiLabel(content)));
}

/** Coordinates with at most 2 decimals keep the markup short and stable. */
export function coord(v: number): string {
  if (!Number.isFinite(v)) return "0";
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** "Nice" ticks (1, 2, 5 x 10^k) covering [min, max]; integer steps when `integer`. */
export function niceTicks(min: number, max: number, count = 5, integer = true): number[] {
  let lo = Math.min(min, max, 0);
  let hi = Math.max(min, max, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) hi = lo + 1;
  const raw = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  let step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
  if (integer && step < 1) step = 1;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; i <= Math.round((hi - lo) / step) && ticks.length < 50; i++) {
    ticks.push(Math.round((lo + i * step) * 1e9) / 1e9);
  }
  return ticks;
}

/** Splits a label into lines of at most `maxChars` characters at spaces. */
export function wrapLabel(label: string, maxChars: number): string[] {
  const words = label.split(/\s+/).filter((w) => w !== "");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines.length > 0 ? lines : [""];
}

function multilineText(x: number, y: number, lines: string[], attrs: Attrs, lineHeight = 13): string {
  const spans = lines
    .map((line, i) => el("tspan", { x, dy: i === 0 ? 0 : lineHeight }, escapeHtml(bidiLabel(line))))
    .join("");
  return el("text", { x, y, ...attrs }, spans);
}

export interface ChartFrame {
  width: number;
  height: number;
  rtl: boolean;
}

function svgRoot(kind: string, frame: ChartFrame, label: string, body: string): string {
  return el(
    "svg",
    {
      class: "chart",
      "data-chart": kind,
      viewBox: `0 0 ${frame.width} ${frame.height}`,
      width: frame.width,
      height: frame.height,
      role: "img",
      "aria-label": label,
      xmlns: "http://www.w3.org/2000/svg",
    },
    el("title", {}, escapeHtml(label)) + body,
  );
}

interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Horizontal grid lines and tick labels on the left (right when rtl). */
function valueAxis(
  plot: Plot,
  ticks: number[],
  y: (v: number) => number,
  rtl: boolean,
  fmt: (v: number) => string,
): string {
  return ticks
    .map((t) => {
      const yy = y(t);
      const line = el("line", {
        x1: plot.x0,
        x2: plot.x1,
        y1: yy,
        y2: yy,
        class: t === 0 ? "axis-zero" : "grid",
      });
      const label = text(
        {
          x: rtl ? plot.x1 + 8 : plot.x0 - 8,
          y: yy + 4,
          "text-anchor": rtl ? "start" : "end",
          class: "tick",
        },
        fmt(t),
      );
      return line + label;
    })
    .join("");
}

/** Slot geometry of n categories across the plot, mirrored when rtl. */
function slots(plot: Plot, n: number, rtl: boolean): { x: (i: number) => number; width: number } {
  const width = (plot.x1 - plot.x0) / Math.max(1, n);
  return { width, x: (i) => plot.x0 + (rtl ? n - 1 - i : i) * width };
}

export interface Bar {
  label: string;
  value: number;
  color: string;
  valueLabel: string;
}

export interface BarChartInput extends ChartFrame {
  kind: string;
  title: string;
  bars: Bar[];
  tickFormat: (v: number) => string;
}

/** Vertical bars with a value axis; one bar per category. */
export function barChart(input: BarChartInput): string {
  const { width, height, rtl, bars } = input;
  const plot: Plot = { x0: rtl ? 24 : 72, x1: width - (rtl ? 72 : 24), y0: 28, y1: height - 52 };
  const values = bars.map((b) => b.value);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const y = linearScale([ticks[0] ?? 0, ticks[ticks.length - 1] ?? 1], [plot.y1, plot.y0]);
  const slot = slots(plot, bars.length, rtl);
  const barWidth = Math.min(64, slot.width * 0.62);
  const maxChars = Math.max(6, Math.floor(slot.width / 6.5));
  const body = bars
    .map((bar, i) => {
      const cx = slot.x(i) + slot.width / 2;
      const top = Math.min(y(bar.value), y(0));
      const h = Math.abs(y(bar.value) - y(0));
      return (
        el("rect", {
          class: "bar",
          x: cx - barWidth / 2,
          y: top,
          width: barWidth,
          height: h,
          fill: bar.color,
          rx: 2,
          "data-value": bar.value,
        }) +
        text({ x: cx, y: top - 6, "text-anchor": "middle", class: "value" }, bar.valueLabel) +
        multilineText(cx, plot.y1 + 18, wrapLabel(bar.label, maxChars), {
          "text-anchor": "middle",
          class: "cat",
        })
      );
    })
    .join("");
  return svgRoot(input.kind, input, input.title, valueAxis(plot, ticks, y, rtl, input.tickFormat) + body);
}

export interface WaterfallStep {
  label: string;
  kind: "total" | "up" | "down";
  /** Magnitude for up/down (>= 0 expected; a negative one moves the other way), level for total. */
  value: number;
  valueLabel: string;
}

export interface WaterfallInput extends ChartFrame {
  title: string;
  steps: WaterfallStep[];
  tickFormat: (v: number) => string;
  colors: { total: string; up: string; down: string };
}

/** Waterfall: totals stand on zero, changes float from the running level; connectors join them. */
export function waterfallChart(input: WaterfallInput): string {
  const { width, height, rtl, steps } = input;
  const plot: Plot = { x0: rtl ? 24 : 72, x1: width - (rtl ? 72 : 24), y0: 28, y1: height - 58 };
  let level = 0;
  const spans = steps.map((step) => {
    if (step.kind === "total") {
      level = step.value;
      return { from: 0, to: step.value };
    }
    const from = level;
    level = step.kind === "up" ? level + step.value : level - step.value;
    return { from, to: level };
  });
  const all = spans.flatMap((s) => [s.from, s.to]);
  const ticks = niceTicks(Math.min(0, ...all), Math.max(0, ...all));
  const y = linearScale([ticks[0] ?? 0, ticks[ticks.length - 1] ?? 1], [plot.y1, plot.y0]);
  const slot = slots(plot, steps.length, rtl);
  const barWidth = Math.min(60, slot.width * 0.64);
  const maxChars = Math.max(6, Math.floor(slot.width / 6.5));
  const parts: string[] = [];
  steps.forEach((step, i) => {
    const span = spans[i] ?? { from: 0, to: 0 };
    const cx = slot.x(i) + slot.width / 2;
    const top = Math.min(y(span.from), y(span.to));
    const h = Math.abs(y(span.from) - y(span.to));
    const color = input.colors[step.kind];
    parts.push(
      el("rect", {
        class: `bar bar-${step.kind}`,
        x: cx - barWidth / 2,
        y: top,
        width: barWidth,
        height: h,
        fill: color,
        rx: 2,
        "data-value": step.value,
      }),
    );
    const next = steps[i + 1];
    if (next) {
      // Connector at the running level towards the next bar (mirrored slots: next may be on the left).
      const nx = slot.x(i + 1) + slot.width / 2;
      const edge = rtl ? -1 : 1;
      parts.push(
        el("line", {
          class: "connector",
          x1: cx + (edge * barWidth) / 2,
          x2: nx - (edge * barWidth) / 2,
          y1: y(span.to),
          y2: y(span.to),
        }),
      );
    }
    // Labels always sit above the bar: below it they would collide with the category labels.
    parts.push(text({ x: cx, y: top - 6, "text-anchor": "middle", class: "value" }, step.valueLabel));
    parts.push(
      multilineText(cx, plot.y1 + 18, wrapLabel(step.label, maxChars), {
        "text-anchor": "middle",
        class: "cat",
      }),
    );
  });
  return svgRoot(
    "waterfall",
    input,
    input.title,
    valueAxis(plot, ticks, y, rtl, input.tickFormat) + parts.join(""),
  );
}

export interface Series {
  name: string;
  color: string;
  values: number[];
}

export interface GroupedBarInput extends ChartFrame {
  kind: string;
  title: string;
  categories: string[];
  series: Series[];
  tickFormat: (v: number) => string;
  valueFormat: (v: number) => string;
}

/** Bars grouped by category, one colour per series, with a legend on top. */
export function groupedBarChart(input: GroupedBarInput): string {
  const { width, height, rtl, categories, series } = input;
  const plot: Plot = { x0: rtl ? 24 : 72, x1: width - (rtl ? 72 : 24), y0: 44, y1: height - 44 };
  const values = series.flatMap((s) => s.values);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const y = linearScale([ticks[0] ?? 0, ticks[ticks.length - 1] ?? 1], [plot.y1, plot.y0]);
  const slot = slots(plot, categories.length, rtl);
  const groupWidth = Math.min(120, slot.width * 0.78);
  const barWidth = groupWidth / Math.max(1, series.length);
  const maxChars = Math.max(5, Math.floor(slot.width / 6.5));
  const parts: string[] = [];
  categories.forEach((category, i) => {
    const left = slot.x(i) + (slot.width - groupWidth) / 2;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const k = rtl ? series.length - 1 - j : j;
      const top = Math.min(y(v), y(0));
      parts.push(
        el(
          "rect",
          {
            class: "bar",
            x: left + k * barWidth + 1,
            y: top,
            width: Math.max(1, barWidth - 2),
            height: Math.abs(y(v) - y(0)),
            fill: s.color,
            rx: 1.5,
            "data-value": v,
          },
          el("title", {}, escapeHtml(`${category} · ${s.name}: ${input.valueFormat(v)}`)),
        ),
      );
    });
    parts.push(
      multilineText(slot.x(i) + slot.width / 2, plot.y1 + 18, wrapLabel(category, maxChars), {
        "text-anchor": "middle",
        class: "cat",
      }),
    );
  });
  // Legend: swatch + name, laid out from the reading start.
  let offset = 0;
  const legend = series
    .map((s) => {
      const itemWidth = 28 + s.name.length * 7 + 18;
      const x = rtl ? plot.x1 - offset - 12 : plot.x0 + offset;
      offset += itemWidth;
      return (
        el("rect", { class: "swatch", x, y: 12, width: 12, height: 12, fill: s.color, rx: 2 }) +
        text(
          { x: rtl ? x - 6 : x + 18, y: 22, "text-anchor": rtl ? "end" : "start", class: "legend" },
          s.name,
        )
      );
    })
    .join("");
  return svgRoot(
    input.kind,
    input,
    input.title,
    valueAxis(plot, ticks, y, rtl, input.tickFormat) + parts.join("") + legend,
  );
}

/** Interpolates two #rrggbb colours; t in [0, 1]. */
export function mixColor(from: string, to: string, t: number): string {
  const a = parseHex(from);
  const b = parseHex(to);
  const k = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return `#${a
    .map((c, i) =>
      Math.round(c + ((b[i] ?? c) - c) * k)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

function parseHex(hex: string): number[] {
  const h = hex.replace("#", "");
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16) || 0);
}

export interface HeatCell {
  /** 1..5 */
  r: number;
  /** 1..5 */
  f: number;
  count: number;
  countLabel: string;
  name: string;
}

export interface HeatMapInput extends ChartFrame {
  title: string;
  cells: HeatCell[];
  rowAxis: string;
  colAxis: string;
  tickLabel: (score: number) => string;
  legend: { fewer: string; more: string };
  colors: { empty: string; low: string; high: string };
}

/** 5 x 5 grid: rows r = 5 (top) .. 1, columns f = 1 .. 5 (mirrored when rtl). */
export function heatMap(input: HeatMapInput): string {
  const { width, height, rtl, cells } = input;
  const plot: Plot = { x0: rtl ? 16 : 86, x1: width - (rtl ? 86 : 16), y0: 12, y1: height - 78 };
  const cw = (plot.x1 - plot.x0) / 5;
  const ch = (plot.y1 - plot.y0) / 5;
  const max = Math.max(1, ...cells.map((c) => c.count));
  const parts: string[] = [];
  for (const cell of cells) {
    const col = rtl ? 5 - cell.f : cell.f - 1;
    const row = 5 - cell.r;
    const x = plot.x0 + col * cw;
    const yy = plot.y0 + row * ch;
    const t = cell.count / max;
    const fill =
      cell.count === 0 ? input.colors.empty : mixColor(input.colors.low, input.colors.high, 0.15 + 0.85 * t);
    const ink = cell.count > 0 && t > 0.5 ? "cell-ink-light" : "cell-ink";
    parts.push(
      el(
        "rect",
        {
          class: "cell",
          x: x + 1.5,
          y: yy + 1.5,
          width: cw - 3,
          height: ch - 3,
          fill,
          rx: 4,
          "data-count": cell.count,
        },
        el("title", {}, escapeHtml(`r ${cell.r} · f ${cell.f} · ${cell.name}: ${cell.countLabel}`)),
      ),
    );
    parts.push(
      text(
        { x: x + cw / 2, y: yy + ch / 2 + 2, "text-anchor": "middle", class: `cell-count ${ink}` },
        cell.countLabel,
      ),
    );
    parts.push(
      multilineText(
        x + cw / 2,
        yy + ch / 2 + 18,
        wrapLabel(cell.name, Math.floor(cw / 6.2)),
        {
          "text-anchor": "middle",
          class: `cell-name ${ink}`,
        },
        11,
      ),
    );
  }
  for (let s = 1; s <= 5; s++) {
    const col = rtl ? 5 - s : s - 1;
    parts.push(
      text(
        { x: plot.x0 + col * cw + cw / 2, y: plot.y1 + 18, "text-anchor": "middle", class: "tick" },
        input.tickLabel(s),
      ),
    );
    const row = 5 - s;
    parts.push(
      text(
        {
          x: rtl ? plot.x1 + 14 : plot.x0 - 14,
          y: plot.y0 + row * ch + ch / 2 + 4,
          "text-anchor": "middle",
          class: "tick",
        },
        input.tickLabel(s),
      ),
    );
  }
  parts.push(
    text(
      { x: (plot.x0 + plot.x1) / 2, y: plot.y1 + 38, "text-anchor": "middle", class: "axis-title" },
      input.colAxis,
    ),
  );
  const ax = rtl ? plot.x1 + 40 : plot.x0 - 40;
  const ay = (plot.y0 + plot.y1) / 2;
  parts.push(
    text(
      {
        x: ax,
        y: ay,
        "text-anchor": "middle",
        class: "axis-title",
        transform: `rotate(${rtl ? 90 : -90} ${coord(ax)} ${coord(ay)})`,
      },
      input.rowAxis,
    ),
  );
  // Colour legend.
  const lw = 160;
  const lx = (plot.x0 + plot.x1) / 2 - lw / 2;
  const ly = plot.y1 + 52;
  parts.push(
    el(
      "defs",
      {},
      el(
        "linearGradient",
        { id: "heat-scale", x1: rtl ? 1 : 0, x2: rtl ? 0 : 1, y1: 0, y2: 0 },
        el("stop", { offset: 0, "stop-color": mixColor(input.colors.low, input.colors.high, 0.15) }) +
          el("stop", { offset: 1, "stop-color": input.colors.high }),
      ),
    ),
  );
  parts.push(
    el("rect", {
      class: "legend-scale",
      x: lx,
      y: ly,
      width: lw,
      height: 10,
      fill: "url(#heat-scale)",
      rx: 2,
    }),
  );
  parts.push(
    text(
      { x: rtl ? lx + lw + 6 : lx - 6, y: ly + 9, "text-anchor": rtl ? "start" : "end", class: "legend" },
      input.legend.fewer,
    ),
  );
  parts.push(
    text(
      { x: rtl ? lx - 6 : lx + lw + 6, y: ly + 9, "text-anchor": rtl ? "end" : "start", class: "legend" },
      input.legend.more,
    ),
  );
  return svgRoot("rfm-heatmap", input, input.title, parts.join(""));
}

/** At most `max` + 1 points, evenly spaced by index, first and last kept (a curve of 5,000 members stays small). */
export function thin(points: [number, number][], max: number): [number, number][] {
  if (points.length <= max + 1) return points;
  const out: [number, number][] = [];
  for (let k = 0; k <= max; k++) {
    const p = points[Math.round((k * (points.length - 1)) / max)];
    if (p) out.push(p);
  }
  return out;
}

export interface CurveInput extends ChartFrame {
  title: string;
  /** Points (x, y) in [0, 1], starting at (0, 0). */
  points: [number, number][];
  marker: { x: number; y: number; label: string } | null;
  xAxis: string;
  yAxis: string;
  equality: string;
  percentLabel: (v: number) => string;
}

/** Cumulative share curve on a unit square with the line of equal shares. Not mirrored: it is a plot of two shares. */
export function curveChart(input: CurveInput): string {
  const { width, height } = input;
  const plot: Plot = { x0: 64, x1: width - 24, y0: 16, y1: height - 52 };
  const x = linearScale([0, 1], [plot.x0, plot.x1]);
  const y = linearScale([0, 1], [plot.y1, plot.y0]);
  const parts: string[] = [];
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(
      el("line", { class: t === 0 ? "axis-zero" : "grid", x1: plot.x0, x2: plot.x1, y1: y(t), y2: y(t) }),
    );
    parts.push(
      el("line", { class: t === 0 ? "axis-zero" : "grid", x1: x(t), x2: x(t), y1: plot.y0, y2: plot.y1 }),
    );
    parts.push(
      text({ x: plot.x0 - 8, y: y(t) + 4, "text-anchor": "end", class: "tick" }, input.percentLabel(t)),
    );
    parts.push(
      text({ x: x(t), y: plot.y1 + 16, "text-anchor": "middle", class: "tick" }, input.percentLabel(t)),
    );
  }
  parts.push(el("line", { class: "equality", x1: x(0), y1: y(0), x2: x(1), y2: y(1) }));
  parts.push(text({ x: x(0.62), y: y(0.62) + 16, "text-anchor": "start", class: "legend" }, input.equality));
  const path = thin(input.points, 400)
    .map(([px, py], i) => `${i === 0 ? "M" : "L"}${coord(x(px))} ${coord(y(py))}`)
    .join(" ");
  const last = input.points[input.points.length - 1] ?? [0, 0];
  parts.push(el("path", { class: "curve-area", d: `${path} L${coord(x(last[0]))} ${coord(y(0))} Z` }));
  parts.push(el("path", { class: "curve", d: path }));
  // Dots only while they stay apart; a large population is drawn as a plain curve.
  if (input.points.length <= 41) {
    for (const [px, py] of input.points.slice(1)) {
      parts.push(el("circle", { class: "curve-point", cx: x(px), cy: y(py), r: 3 }));
    }
  }
  if (input.marker) {
    const mx = x(input.marker.x);
    const my = y(input.marker.y);
    parts.push(el("line", { class: "marker-line", x1: mx, x2: mx, y1: plot.y1, y2: my }));
    parts.push(el("line", { class: "marker-line", x1: plot.x0, x2: mx, y1: my, y2: my }));
    parts.push(el("circle", { class: "marker", cx: mx, cy: my, r: 5 }));
    parts.push(
      text({ x: mx + 9, y: my + 16, "text-anchor": "start", class: "marker-label" }, input.marker.label),
    );
  }
  parts.push(
    text(
      { x: (plot.x0 + plot.x1) / 2, y: plot.y1 + 38, "text-anchor": "middle", class: "axis-title" },
      input.xAxis,
    ),
  );
  const ay = (plot.y0 + plot.y1) / 2;
  parts.push(
    text(
      {
        x: 16,
        y: ay,
        "text-anchor": "middle",
        class: "axis-title",
        transform: `rotate(-90 16 ${coord(ay)})`,
      },
      input.yAxis,
    ),
  );
  return svgRoot("pareto", input, input.title, parts.join(""));
}
