import { pipeline, Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { type CsvError, type InfoRecord, type Options, parse } from "csv-parse";
import type { ColumnName, ColumnRef, CsvMapping } from "./mapping.js";
import { RefundMatcher, refundIdOf } from "./refund-matcher.js";
import {
  type Exact,
  MAX_MONEY_DECIMALS,
  moneyText,
  type RowRejectCode,
  readInvoiceId,
  readMemberId,
  readNumber,
} from "./row-rules.js";
import { atOf, createTimeReader, localDayOf } from "./times.js";

// `vafa convert csv`: a transactions CSV in, ledger commands out (spec 5:
// join, purchase, refund). Two passes over what the file holds:
// 1. stream the rows; a row that cannot be used is rejected at once; the
//    others are summed into one group per invoice (or one per row without an
//    invoice column). Only the groups are kept: amount, time, member, line
//    numbers (and items when a sku column is given), never the rows.
// 2. sort the groups by time and write the commands: a join before a member's
//    first purchase, a purchase per invoice, a refund per refund invoice,
//    matched to an earlier purchase (refund-matcher.ts).
// Why hold the groups of the whole file: the lines of one invoice need not be
// next to each other (one invoice of Online Retail is split), the ledger
// rejects a member's command dated before its last one (OUT_OF_ORDER, spec 2),
// and a refund must find the purchases before it.

export interface ConvertRejection {
  line: number;
  code: RowRejectCode | "COLUMN_COUNT";
  message: string;
}

/** A converted command, keys in the order of the spec's examples (type, memberId, at, then its own). */
export type ConvertedCommand =
  | { type: "join"; memberId: string; at: string; kind: "person" }
  | {
      type: "purchase";
      memberId: string;
      at: string;
      purchaseId: string;
      amount: string;
      items?: { sku: string; quantity: number; unitPrice: string }[];
    }
  | { type: "refund"; memberId: string; at: string; purchaseId: string; refundId: string; amount: string };

export interface ConvertSink {
  command(command: ConvertedCommand): Promise<void> | void;
  reject(rejection: ConvertRejection): Promise<void> | void;
}

export interface ConvertSummary {
  /** Data rows read (the header row is not one). */
  rows: number;
  /** Rows whose values are in the commands. */
  accepted: number;
  /** Rows reported as rejections. */
  rejected: number;
  commands: number;
  joins: number;
  purchases: number;
  refunds: number;
  members: number;
  /** Rejected rows by code. */
  rejectedByCode: Record<string, number>;
}

/** A problem with the file as a whole (no header, a column the mapping names is missing): nothing is converted. */
export class ConvertInputError extends Error {
  override readonly name = "ConvertInputError";
}

/** One line of a purchase's `items` (spec 5). */
type Item = { sku: string; quantity: number; unitPrice: string };

/** One invoice, or one row when there is no invoice column. */
export interface Group {
  id: string;
  memberId: string;
  atMs: number;
  net: Exact;
  lines: number[];
  items?: Item[];
  refundOf?: string;
}

/** A group holding only its first row: a single row, or the first line of an invoice. */
const groupOfRow = (
  id: string,
  row: {
    memberId: string;
    atMs: number;
    amount: Exact;
    line: number;
    item: Item | undefined;
    refundOf: string;
  },
): Group => ({
  id,
  memberId: row.memberId,
  atMs: row.atMs,
  net: row.amount,
  lines: [row.line],
  ...(row.item ? { items: [row.item] } : {}),
  ...(row.refundOf !== "" ? { refundOf: row.refundOf } : {}),
});

const GZIP_MAGIC = [0x1f, 0x8b];

/** The bytes of a file or pipe, gunzipped when they start with the gzip magic number. */
async function* gunzipIfNeeded(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = typeof first.value === "string" ? Buffer.from(first.value) : first.value;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await it.next(); !next.done; next = await it.next())
      yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
  }
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    const gunzip = createGunzip();
    pipeline(Readable.from(all()), gunzip, () => {});
    for await (const chunk of gunzip) yield chunk as Buffer;
  } else yield* all();
}

/**
 * For `"delimiter": "whitespace"`: each line's runs of spaces and tabs become
 * one space, and its ends are trimmed, so csv-parse sees one delimiter between
 * columns (and every record the same width: csv-parse builds an error object,
 * slowly, for every record whose width differs from the first). A line with a
 * quote in it is left as it is. Every line is kept, so line numbers stay true.
 */
async function* collapseWhitespace(input: AsyncIterable<Buffer>, quote: string): AsyncGenerator<string> {
  let pending = "";
  const collapse = (line: string): string =>
    line.includes(quote)
      ? line
      : line
          .replace(/[ \t]+/g, " ")
          .replace(/^ | $/g, "")
          .replace(/ \r$/, "\r");
  const decoder = new StringDecoder("utf8");
  for await (const chunk of input) {
    const text = pending + decoder.write(chunk);
    const lines = text.split("\n");
    pending = lines.pop() ?? "";
    yield `${lines.map(collapse).join("\n")}\n`;
  }
  pending += decoder.end();
  if (pending !== "") yield collapse(pending);
}

interface Row {
  fields: string[];
  line: number;
}

/** Resolves the mapping's columns against the header (or positions): index of each mapped column. */
const resolveColumns = (
  mapping: CsvMapping,
  header: string[] | undefined,
  source: string,
): Partial<Record<ColumnName, number>> => {
  const out: Partial<Record<ColumnName, number>> = {};
  for (const [name, ref] of Object.entries(mapping.columns) as [ColumnName, ColumnRef | undefined][]) {
    if (ref === undefined) continue;
    if (typeof ref === "number") {
      if (header && ref > header.length)
        throw new ConvertInputError(
          `mapping columns.${name}: column ${ref} does not exist, the header of ${source} has ${header.length} columns`,
        );
      out[name] = ref - 1;
      continue;
    }
    const index = header?.indexOf(ref) ?? -1;
    if (index < 0)
      throw new ConvertInputError(
        `mapping columns.${name}: no column ${JSON.stringify(ref)} in the header of ${source}; the header has ${JSON.stringify(header)} (names are case-sensitive)${header?.length === 1 ? `; it is one column: is csv.delimiter ${JSON.stringify(mapping.csv.delimiter)} right?` : ""}`,
      );
    out[name] = index;
  }
  return out;
};

/** Streams the rows of a CSV (header row included), with the physical line each ends on. */
const readRows = (
  input: AsyncIterable<Buffer | string>,
  mapping: CsvMapping,
  onCsvError: (line: number, message: string) => void,
): AsyncIterable<Row> => {
  const whitespace = mapping.csv.delimiter === "whitespace";
  const options: Options<Row, string[]> = {
    delimiter: whitespace ? " " : mapping.csv.delimiter,
    quote: mapping.csv.quote,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = Number((error as { lines?: unknown } | undefined)?.lines ?? 0);
      onCsvError(line, error?.message ?? "unreadable CSV");
      return undefined;
    },
    on_record: (record: string[], context: InfoRecord) => ({ fields: record, line: context.lines }),
  };
  // The overloads type records as string[]; on_record makes them Rows.
  const parser = parse(options as unknown as Options);
  const bytes = gunzipIfNeeded(input);
  pipeline(
    Readable.from(whitespace ? collapseWhitespace(bytes, mapping.csv.quote) : bytes),
    parser,
    () => {},
  );
  return parser as AsyncIterable<Row>;
};

/**
 * Converts a CSV (plain or gzip) into commands, streaming rows in and commands
 * out; rejections go to `sink.reject` as they are found, and never stop the run.
 * Throws `ConvertInputError` when the file cannot be converted at all.
 */
export const convertCsv = async (
  input: AsyncIterable<Buffer | string>,
  mapping: CsvMapping,
  sink: ConvertSink,
  source = "the input",
): Promise<ConvertSummary> => {
  const summary: ConvertSummary = {
    rows: 0,
    accepted: 0,
    rejected: 0,
    commands: 0,
    joins: 0,
    purchases: 0,
    refunds: 0,
    members: 0,
    rejectedByCode: {},
  };
  const reject = async (line: number, code: ConvertRejection["code"], message: string) => {
    summary.rejected += 1;
    summary.rejectedByCode[code] = (summary.rejectedByCode[code] ?? 0) + 1;
    await sink.reject({ line, code, message });
  };
  const read = await readGroups(input, mapping, reject, source);
  summary.rows = read.rows;
  // Pass 2: time order (the file's order breaks ties), then commands.
  const groups = read.groups;
  groups.sort((a, b) => a.atMs - b.atMs || (a.lines[0] as number) - (b.lines[0] as number));
  await emitCommands(groups, mapping, sink, summary, reject);
  summary.accepted = summary.rows - summary.rejected;
  return summary;
};

/**
 * Pass 1: streams the rows into groups (one per invoice, or one per row
 * without an invoice column), in the order of their first row. Rows that
 * cannot be used go to `reject` at once. Throws `ConvertInputError` when the
 * file cannot be converted at all.
 */
export const readGroups = async (
  input: AsyncIterable<Buffer | string>,
  mapping: CsvMapping,
  reject: (line: number, code: ConvertRejection["code"], message: string) => Promise<void> | void,
  source = "the input",
): Promise<{ groups: Group[]; rows: number }> => {
  const summary = { rows: 0 };
  const csvErrors: { line: number; message: string }[] = [];
  const rows = readRows(input, mapping, (line, message) => csvErrors.push({ line, message }));

  const readTime = createTimeReader(mapping.time);
  const zone = mapping.time.zone;
  const byInvoice = new Map<string, Group>();
  const singles: Group[] = [];
  const perMemberDay = new Map<string, number>();
  const withItems = mapping.columns.sku !== undefined;
  let columns: Partial<Record<ColumnName, number>> | undefined;
  let width: number | undefined;
  const flushCsvErrors = async () => {
    for (const e of csvErrors.splice(0)) {
      summary.rows += 1;
      await reject(e.line, "CSV_ERROR", `${e.message.replace(/\s+/g, " ")}; fix the quoting of this row`);
    }
  };

  try {
    for await (const row of rows) {
      await flushCsvErrors();
      if (columns === undefined) {
        const header = mapping.csv.header ? row.fields.map((f) => f.trim()) : undefined;
        columns = resolveColumns(mapping, header, source);
        width = header?.length;
        if (header) continue;
      }
      summary.rows += 1;
      const { fields, line } = row;
      if (
        width !== undefined ? fields.length !== width : Object.values(columns).some((i) => i >= fields.length)
      ) {
        await reject(
          line,
          "COLUMN_COUNT",
          width !== undefined
            ? `the row has ${fields.length} fields, the header ${width} (a delimiter inside an unquoted value?)`
            : `the row has ${fields.length} fields, fewer than the mapping reads`,
        );
        continue;
      }
      const cell = (name: ColumnName): string => {
        const index = columns?.[name];
        return index === undefined ? "" : (fields[index] ?? "");
      };

      const member = readMemberId(cell("member"), mapping.memberId);
      if ("code" in member) {
        await reject(line, member.code, member.message);
        continue;
      }
      const time = readTime(cell("time"));
      if ("error" in time) {
        await reject(line, "BAD_TIME", time.error);
        continue;
      }
      let invoice: string | undefined;
      if (mapping.columns.invoice !== undefined) {
        const id = readInvoiceId(cell("invoice"));
        if ("code" in id) {
          await reject(line, id.code, id.message);
          continue;
        }
        invoice = id.value;
      }
      let amount: Exact;
      let item: Item | undefined;
      if (mapping.columns.amount !== undefined) {
        const a = readNumber(cell("amount"), mapping.numbers, "the amount");
        if ("code" in a) {
          await reject(line, a.code, a.message);
          continue;
        }
        amount = a.value;
      } else {
        const q = readNumber(cell("quantity"), mapping.numbers, "the quantity");
        if ("code" in q) {
          await reject(line, q.code, q.message);
          continue;
        }
        const p = readNumber(cell("unitPrice"), mapping.numbers, "the unit price");
        if ("code" in p) {
          await reject(line, p.code, p.message);
          continue;
        }
        amount = q.value.times(p.value);
        const sku = cell("sku").trim();
        // Items are optional detail (spec 5: not checked against the amount):
        // a line that cannot be one (no sku, a quantity that is not a whole
        // number >= 1) still counts in the amount.
        if (
          withItems &&
          sku !== "" &&
          q.value.isInteger() &&
          q.value.gte(1) &&
          q.value.lte(Number.MAX_SAFE_INTEGER) &&
          p.value.gte(0) &&
          p.value.decimalPlaces() <= MAX_MONEY_DECIMALS
        )
          item = { sku, quantity: q.value.toNumber(), unitPrice: moneyText(p.value) };
      }
      const refundOf = mapping.columns.refundOf === undefined ? "" : cell("refundOf").trim();

      if (invoice === undefined) {
        const day = localDayOf(time.ms, zone);
        const key = `${member.value}-${day}`;
        const n = (perMemberDay.get(key) ?? 0) + 1;
        perMemberDay.set(key, n);
        singles.push(
          groupOfRow(`${key}-${n}`, { memberId: member.value, atMs: time.ms, amount, line, item, refundOf }),
        );
        continue;
      }
      const group = byInvoice.get(invoice);
      if (!group) {
        byInvoice.set(
          invoice,
          groupOfRow(invoice, { memberId: member.value, atMs: time.ms, amount, line, item, refundOf }),
        );
        continue;
      }
      if (group.memberId !== member.value) {
        await reject(
          line,
          "MEMBER_MISMATCH",
          `invoice ${invoice} is member ${group.memberId}'s (line ${group.lines[0]}), this row names member ${member.value}`,
        );
        continue;
      }
      group.net = group.net.plus(amount);
      group.lines.push(line);
      // An invoice is dated at its earliest line.
      if (time.ms < group.atMs) group.atMs = time.ms;
      if (item) {
        if (group.items) group.items.push(item);
        else group.items = [item];
      }
      if (group.refundOf === undefined && refundOf !== "") group.refundOf = refundOf;
    }
  } catch (error) {
    if (error instanceof ConvertInputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConvertInputError(`${source}: cannot be read to the end (${reason.replace(/\s+/g, " ")})`);
  }
  await flushCsvErrors();
  if (columns === undefined && mapping.csv.header)
    throw new ConvertInputError(
      `${source}: has no header row; give a file with one, or set csv.header to false`,
    );

  return {
    groups: mapping.columns.invoice === undefined ? singles : [...byInvoice.values()],
    rows: summary.rows,
  };
};

const isRefundGroup = (group: Group, refunds: CsvMapping["refunds"]): boolean => {
  switch (refunds.marker) {
    case "none":
      return false;
    case "negative":
      return group.net.lt(0);
    case "invoice-prefix":
      return group.id.startsWith(refunds.prefix);
  }
};

const emitCommands = async (
  groups: Group[],
  mapping: CsvMapping,
  sink: ConvertSink,
  summary: ConvertSummary,
  reject: (line: number, code: RowRejectCode, message: string) => Promise<void>,
): Promise<void> => {
  const joined = new Set<string>();
  const matcher = new RefundMatcher();
  const tracksRefunds = mapping.refunds.marker !== "none";
  const emit = async (command: ConvertedCommand) => {
    summary.commands += 1;
    await sink.command(command);
  };
  for (const group of groups) {
    const name = mapping.columns.invoice === undefined ? "the row" : `invoice ${group.id}`;
    const rows = group.lines.length === 1 ? "" : ` (${group.lines.length} rows)`;
    const rejectAll = async (code: RowRejectCode, message: string) => {
      for (const line of group.lines) await reject(line, code, message);
    };
    const at = atOf(group.atMs);
    if (isRefundGroup(group, mapping.refunds)) {
      const wanted = group.net.negated();
      if (!wanted.gt(0)) {
        await rejectAll(
          wanted.isZero() ? "ZERO_AMOUNT" : "BAD_REFUND",
          `refund ${name}${rows} sums to ${moneyText(group.net)}; a refund's amounts must sum to less than 0`,
        );
        continue;
      }
      if (wanted.decimalPlaces() > MAX_MONEY_DECIMALS) {
        await rejectAll(
          "TOO_MANY_DECIMALS",
          `refund ${name}${rows} is ${moneyText(wanted)}: money has at most 8 decimals`,
        );
        continue;
      }
      const match = matcher.match(group.memberId, group.atMs, wanted, group.refundOf);
      if ("unmatched" in match) {
        await rejectAll(
          "REFUND_UNMATCHED",
          `refund ${name}${rows} of ${moneyText(wanted)}: ${match.unmatched}; it is left out`,
        );
        continue;
      }
      for (const [i, part] of match.parts.entries()) {
        summary.refunds += 1;
        await emit({
          type: "refund",
          memberId: group.memberId,
          at,
          purchaseId: part.purchaseId,
          refundId: refundIdOf(group.id, i),
          amount: moneyText(part.amount),
        });
      }
      continue;
    }
    if (!group.net.gt(0)) {
      await rejectAll(
        group.net.isZero() ? "ZERO_AMOUNT" : "NEGATIVE_AMOUNT",
        group.net.isZero()
          ? `${name}${rows} ${mapping.columns.invoice === undefined ? "has the amount" : "sums to"} 0: nothing was bought`
          : `${name}${rows} sums to ${moneyText(group.net)}${tracksRefunds ? "" : '; if negative amounts are refunds, set refunds.marker to "negative"'}`,
      );
      continue;
    }
    if (group.net.decimalPlaces() > MAX_MONEY_DECIMALS) {
      await rejectAll(
        "TOO_MANY_DECIMALS",
        `${name}${rows} is ${moneyText(group.net)}: money has at most 8 decimals`,
      );
      continue;
    }
    if (!joined.has(group.memberId)) {
      joined.add(group.memberId);
      summary.joins += 1;
      await emit({ type: "join", memberId: group.memberId, at, kind: "person" });
    }
    summary.purchases += 1;
    await emit({
      type: "purchase",
      memberId: group.memberId,
      at,
      purchaseId: group.id,
      amount: moneyText(group.net),
      ...(group.items && group.items.length > 0 ? { items: group.items } : {}),
    });
    if (tracksRefunds) matcher.addPurchase(group.memberId, group.id, group.atMs, group.net);
  }
  summary.members = joined.size;
};
