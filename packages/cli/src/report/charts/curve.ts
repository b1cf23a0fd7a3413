import { linearScale, type Plot } from "../svg/axis.js";
import { type ChartFrame, coord, el, svgRoot, text } from "../svg/element.js";

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

interface CurveInput extends ChartFrame {
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
