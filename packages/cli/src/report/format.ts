import { UTCDate } from "@date-fns/utc";
import { format as formatJalali } from "date-fns-jalali";
import { faIR } from "date-fns-jalali/locale";
import type { Calendar, ReportLang } from "./types.js";

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

/** Latin digits to Persian digits (U+06F0..U+06F9); other characters are kept. */
export function toPersianDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)] ?? d);
}

interface NumberSymbols {
  group: string;
  decimal: string;
  minus: string;
  percent: string;
}

// Persian uses the Arabic thousands (U+066C) and decimal (U+066B) separators, as Intl's fa-IR does;
// the minus is U+2212 after a left-to-right mark so it stays on the left inside right-to-left text.
const SYMBOLS: Record<ReportLang, NumberSymbols> = {
  en: { group: ",", decimal: ".", minus: "-", percent: "%" },
  fa: { group: "٬", decimal: "٫", minus: "\u200e−", percent: "٪" },
};

const DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Formats a plain decimal string exactly (string manipulation, no floats): thousands grouped,
 * the fraction padded with zeros to `minFractionDigits` and never cut. Returns null when
 * `text` is not a plain decimal.
 */
export function formatDecimalString(text: string, lang: ReportLang, minFractionDigits = 0): string | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign = "", whole = "0", fraction = ""] = match;
  const s = SYMBOLS[lang];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, s.group);
  const padded = fraction.padEnd(minFractionDigits, "0");
  const isZero = /^0*$/.test(whole + fraction);
  const body = padded ? `${grouped}${s.decimal}${padded}` : grouped;
  const out = (sign && !isZero ? s.minus : "") + body;
  return lang === "fa" ? toPersianDigits(out) : out;
}

/** Formats an integer count (points, members). Non-integers are shown with up to 2 decimals. */
export function formatInteger(value: number, lang: ReportLang): string {
  if (!Number.isFinite(value)) return "—";
  if (Number.isInteger(value)) {
    return formatDecimalString(BigInt(value).toString(), lang) ?? "—";
  }
  return formatDecimalString(trimFixed(value.toFixed(2)), lang) ?? "—";
}

function trimFixed(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

const minorDigitsCache = new Map<string, number>();

/** ISO 4217 minor unit digits (GBP 2, IRR 0) from Intl; 2 for a code Intl does not know. */
export function currencyMinorDigits(currency: string): number {
  const cached = minorDigitsCache.get(currency);
  if (cached !== undefined) return cached;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    digits = 2; // not a currency code Intl knows
  }
  minorDigitsCache.set(currency, digits);
  return digits;
}

/**
 * Money for display: exact, grouped, padded to the currency's minor digits ("0.5" GBP -> "0.50")
 * but never rounded ("1.234" stays). A string that is not a plain decimal is shown as given.
 */
export function formatMoney(amount: string, currency: string, lang: ReportLang): string {
  return formatDecimalString(amount, lang, currencyMinorDigits(currency)) ?? amount;
}

/** A rate (a double) as a percentage with one decimal: 0.1793 -> "17.9%" / "۱۷٫۹٪". */
export function formatPercent(rate: number, lang: ReportLang, fractionDigits = 1): string {
  if (!Number.isFinite(rate)) return "—";
  const fixed = (rate * 100).toFixed(fractionDigits);
  // toFixed can give "-0.0" for tiny negatives: show it as zero.
  const text = formatDecimalString(
    Number(fixed) === 0 ? fixed.replace("-", "") : fixed,
    lang,
    fractionDigits,
  );
  return text === null ? "—" : `${text}${SYMBOLS[lang].percent}`;
}

/** A plain number (e.g. NPS) with at most one decimal. */
export function formatNumber(value: number, lang: ReportLang): string {
  if (!Number.isFinite(value)) return "—";
  return formatDecimalString(trimFixed(value.toFixed(1)).replace(/^-0$/, "0"), lang) ?? "—";
}

/** Short axis label: 1200 -> "1.2k", 3e9 -> "3B" (fa: "۳ میلیارد"). Exact for small values. */
export function formatCompact(value: number, lang: ReportLang): string {
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  const units: [number, string, string][] = [
    [1e12, "T", " هزار میلیارد"],
    [1e9, "B", " میلیارد"],
    [1e6, "M", " میلیون"],
    [1e3, "k", " هزار"],
  ];
  for (const [size, en, fa] of units) {
    if (abs >= size) {
      const scaled = trimFixed((value / size).toFixed(abs / size >= 100 ? 0 : 1));
      return (formatDecimalString(scaled, lang) ?? scaled) + (lang === "fa" ? fa : en);
    }
  }
  return formatInteger(Math.round(value * 100) / 100, lang);
}

const JALALI_MONTHS_EN = [
  "Farvardin",
  "Ordibehesht",
  "Khordad",
  "Tir",
  "Mordad",
  "Shahrivar",
  "Mehr",
  "Aban",
  "Azar",
  "Dey",
  "Bahman",
  "Esfand",
] as const;
const JALALI_MONTHS_FA = [
  "فروردین",
  "اردیبهشت",
  "خرداد",
  "تیر",
  "مرداد",
  "شهریور",
  "مهر",
  "آبان",
  "آذر",
  "دی",
  "بهمن",
  "اسفند",
] as const;
const GREGORIAN_MONTHS_EN = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;
const GREGORIAN_MONTHS_FA = [
  "ژانویه",
  "فوریه",
  "مارس",
  "آوریل",
  "مه",
  "ژوئن",
  "ژوئیه",
  "اوت",
  "سپتامبر",
  "اکتبر",
  "نوامبر",
  "دسامبر",
] as const;

/** "2011-03" -> "Mar 2011"; Jalali "1390-12" -> "Esfand 1390" / "اسفند ۱۳۹۰". Unknown text is returned as is. */
export function formatMonth(month: string, calendar: Calendar, lang: ReportLang): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) return month;
  const names =
    calendar === "jalali"
      ? lang === "fa"
        ? JALALI_MONTHS_FA
        : JALALI_MONTHS_EN
      : lang === "fa"
        ? GREGORIAN_MONTHS_FA
        : GREGORIAN_MONTHS_EN;
  const year = lang === "fa" ? toPersianDigits(match[1] ?? "") : (match[1] ?? "");
  return `${names[index]} ${year}`;
}

function parseInstant(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** The Jalali date of an instant, by UTC day (independent of the process TZ): "1 Farvardin 1391". */
export function jalaliDate(iso: string, lang: ReportLang): string | null {
  const ms = parseInstant(iso);
  if (ms === null) return null;
  const date = new UTCDate(ms);
  if (lang === "fa") return toPersianDigits(formatJalali(date, "d MMMM yyyy", { locale: faIR }));
  const y = formatJalali(date, "yyyy");
  const m = Number(formatJalali(date, "M"));
  return `${formatJalali(date, "d")} ${JALALI_MONTHS_EN[m - 1] ?? ""} ${y}`;
}

/**
 * An instant for a person. en: ISO/Gregorian in UTC ("2011-05-15 00:00 UTC"), with the Jalali
 * date added when the program calendar is jalali. fa: the Jalali date in Persian digits.
 * Text that is not a time is returned as given.
 */
export function formatInstant(iso: string, lang: ReportLang, calendar: Calendar): string {
  const ms = parseInstant(iso);
  if (ms === null) return iso;
  const utc = new Date(ms).toISOString();
  const time = utc.slice(11, 16);
  if (lang === "fa") {
    return `${jalaliDate(iso, "fa")}، ${toPersianDigits(time)} (UTC)`;
  }
  const base = `${utc.slice(0, 10)} ${time} UTC`;
  return calendar === "jalali" ? `${base} (${jalaliDate(iso, "en")})` : base;
}

/** The UTC ISO form of an instant, for reference next to a localized date. */
export function isoInstant(iso: string): string {
  const ms = parseInstant(iso);
  return ms === null ? iso : new Date(ms).toISOString();
}
