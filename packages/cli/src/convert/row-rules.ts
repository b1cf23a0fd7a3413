import { ID_PATTERN } from "@vafa/core";
import { Decimal } from "decimal.js";
import type { CsvMapping } from "./mapping.js";

// The rules for one CSV row's values: numbers, ids. Each returns a value or a
// reason the row cannot be used, never throws.

/** Exact decimals: products and sums of money never go through binary floats (spec 1). */
export const Exact = Decimal.clone({ precision: 64 });
export type Exact = Decimal;

/** Why a row (or the rows of one invoice) cannot be used. Stable codes: docs/analyst-guide.md lists them. */
export type RowRejectCode =
  | "CSV_ERROR"
  | "MISSING_MEMBER"
  | "BAD_MEMBER_ID"
  | "BAD_TIME"
  | "MISSING_INVOICE"
  | "BAD_INVOICE_ID"
  | "BAD_NUMBER"
  | "MEMBER_MISMATCH"
  | "ZERO_AMOUNT"
  | "NEGATIVE_AMOUNT"
  | "BAD_REFUND"
  | "TOO_MANY_DECIMALS"
  | "REFUND_UNMATCHED";

export type Checked<T> = { value: T } | { code: RowRejectCode; message: string };

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A number written with the mapping's separators (`1,234.5`, `1.234,5`, `-3`) as an exact decimal. */
export const readNumber = (raw: string, numbers: CsvMapping["numbers"], what: string): Checked<Exact> => {
  let text = raw.trim();
  if (numbers.thousandsSeparator !== "") text = text.replaceAll(numbers.thousandsSeparator, "");
  if (numbers.decimalSeparator === ",") text = text.replace(",", ".");
  if (!PLAIN_NUMBER.test(text))
    return {
      code: "BAD_NUMBER",
      message:
        raw.trim() === ""
          ? `${what} is empty`
          : `${what} ${JSON.stringify(raw)} is not a number (decimal separator ${JSON.stringify(numbers.decimalSeparator)})`,
    };
  return { value: new Exact(text) };
};

const INTEGER_ID = /^0*(\d+)(\.0*)?$/;

/** The member id of a row: as written (`text`), or a float-looking integer made plain (`integer`: "17850.0" is "17850"). */
export const readMemberId = (raw: string, kind: CsvMapping["memberId"]): Checked<string> => {
  const text = raw.trim();
  if (text === "")
    return { code: "MISSING_MEMBER", message: "the member column is empty (an anonymous sale?)" };
  if (kind === "integer") {
    const m = INTEGER_ID.exec(text);
    if (!m?.[1])
      return {
        code: "BAD_MEMBER_ID",
        message: `member ${JSON.stringify(text)} is not a whole number (memberId is "integer"; use "text" to keep ids as written)`,
      };
    return checkId(m[1], "member", "BAD_MEMBER_ID");
  }
  return checkId(text, "member", "BAD_MEMBER_ID");
};

/** An invoice (purchase or refund) id of a row. */
export const readInvoiceId = (raw: string): Checked<string> => {
  const text = raw.trim();
  if (text === "") return { code: "MISSING_INVOICE", message: "the invoice column is empty" };
  return checkId(text, "invoice", "BAD_INVOICE_ID");
};

const checkId = (text: string, what: string, code: RowRejectCode): Checked<string> =>
  ID_PATTERN.test(text)
    ? { value: text }
    : {
        code,
        message: `${what} ${JSON.stringify(text)} is not a usable id (a letter or digit, then up to 127 of A-Z a-z 0-9 . _ : -)`,
      };

/** Spec 1: money has at most 8 decimals. */
export const MAX_MONEY_DECIMALS = 8;

/** Money as the ledger writes it: a plain decimal, no exponent, no trailing zeros. */
export const moneyText = (value: Exact): string => value.toFixed();
