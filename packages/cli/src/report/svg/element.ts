/**
 * SVG primitives: one escaped element, bidi-safe text, wrapped labels and the chart root.
 * Geometry is always laid out left to right; categorical charts mirror their slots when
 * `rtl` is set so a right-to-left reader meets the first category on the right.
 */
import { escapeHtml } from "../format.js";

type Attrs = Record<string, string | number | undefined>;

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

export function multilineText(x: number, y: number, lines: string[], attrs: Attrs, lineHeight = 13): string {
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

export function svgRoot(kind: string, frame: ChartFrame, label: string, body: string): string {
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
