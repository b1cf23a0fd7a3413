/** Grouped bar chart with a legend. */
import { escapeHtml } from "../format.js";
import { linearScale, niceTicks, type Plot, slots, valueAxis } from "../svg/axis.js";
import { type ChartFrame, el, multilineText, svgRoot, text, wrapLabel } from "../svg/element.js";

interface Series {
  name: string;
  color: string;
  values: number[];
}

interface GroupedBarInput extends ChartFrame {
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
