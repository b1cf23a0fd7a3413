export { type Concentration, concentration } from "./concentration.js";
export {
  escapeHtml,
  formatDecimalString,
  formatInstant,
  formatMoney,
  formatMonth,
  jalaliDate,
  toPersianDigits,
} from "./format.js";
export { renderReport, SECTION_IDS, SEGMENT_GRID } from "./render.js";
export * from "./types.js";
