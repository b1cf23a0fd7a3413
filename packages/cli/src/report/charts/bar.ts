import { linearScale, niceTicks, type Plot, slots, valueAxis } from "../svg/axis.js";
import { type ChartFrame, el, multilineText, svgRoot, text, wrapLabel } from "../svg/element.js";

interface Bar {
  label: string;
  value: number;
  color: string;
  valueLabel: string;
}

interface BarChartInput extends ChartFrame {
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
