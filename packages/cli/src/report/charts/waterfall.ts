import { linearScale, niceTicks, type Plot, slots, valueAxis } from "../svg/axis.js";
import { type ChartFrame, el, multilineText, svgRoot, text, wrapLabel } from "../svg/element.js";

export interface WaterfallStep {
  label: string;
  kind: "total" | "up" | "down";
  /** Magnitude for up/down (>= 0 expected; a negative one moves the other way), level for total. */
  value: number;
  valueLabel: string;
}

interface WaterfallInput extends ChartFrame {
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
