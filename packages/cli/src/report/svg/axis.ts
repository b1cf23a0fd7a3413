/** Scales, ticks, the value axis and category slots shared by the charts. */
import { el, text } from "./element.js";

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

export interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Horizontal grid lines and tick labels on the left (right when rtl). */
export function valueAxis(
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
export function slots(plot: Plot, n: number, rtl: boolean): { x: (i: number) => number; width: number } {
  const width = (plot.x1 - plot.x0) / Math.max(1, n);
  return { width, x: (i) => plot.x0 + (rtl ? n - 1 - i : i) * width };
}
