/** RFM heat map. */
import { escapeHtml } from "../format.js";
import type { Plot } from "../svg/axis.js";
import { mixColor } from "../svg/color.js";
import { type ChartFrame, coord, el, multilineText, svgRoot, text, wrapLabel } from "../svg/element.js";

interface HeatCell {
  /** 1..5 */
  r: number;
  /** 1..5 */
  f: number;
  count: number;
  countLabel: string;
  name: string;
}

interface HeatMapInput extends ChartFrame {
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
