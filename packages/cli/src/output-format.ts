import Table from "cli-table3";
import { stringify } from "csv-stringify/sync";

export const FORMATS = ["json", "csv", "table"] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** A JSON value as the projections return it (points are numbers, money strings). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type Cell = string | number | boolean | null;
type FlatRow = Record<string, Cell>;

const isPlainObject = (value: unknown): value is Record<string, JsonValue> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Flattens nested objects into dotted columns (`buckets.le30.points`); arrays become JSON text. */
export const flattenRow = (value: JsonValue, prefix = "", into: FlatRow = {}): FlatRow => {
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value))
      flattenRow(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (Array.isArray(value)) {
    into[prefix || "value"] = JSON.stringify(value);
  } else {
    into[prefix || "value"] = value;
  }
  return into;
};

/** Rows of a result: one per element of an array, or one for an object. */
const toRows = (data: JsonValue): { columns: string[]; rows: FlatRow[] } => {
  const rows = (Array.isArray(data) ? data : [data]).map((item) => flattenRow(item));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
  return { columns, rows };
};

const cellText = (cell: Cell | undefined): string =>
  cell === null || cell === undefined ? "" : typeof cell === "string" ? cell : String(cell);

/** CSV with a header row; money stays the plain decimal string it is (no float conversion). */
export const renderCsv = (data: JsonValue): string => {
  const { columns, rows } = toRows(data);
  if (columns.length === 0) return "";
  return stringify(
    rows.map((row) => columns.map((column) => cellText(row[column]))),
    { header: true, columns, record_delimiter: "unix" },
  );
};

const PLAIN_BORDERS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

// Points, rates and money line up on the right; ids stay text even when they are digits.
const isNumericCell = (cell: Cell | undefined): boolean =>
  typeof cell === "number" || (typeof cell === "string" && /^-?\d+(\.\d+)?$/.test(cell));

/**
 * Aligned text for a person: an array is one row per item with a header; an
 * object is one `field  value` line per key. Numbers are right-aligned.
 */
export const renderTable = (data: JsonValue): string => {
  const text = buildTable(data);
  // Padding of the last column is noise at the end of a line.
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
};

const buildTable = (data: JsonValue): string => {
  const { columns, rows } = toRows(data);
  if (Array.isArray(data) && rows.length === 0) return "(no rows)\n";
  const style = { head: [], border: [], "padding-left": 0, "padding-right": 0 };
  if (!Array.isArray(data)) {
    const row = rows[0] ?? {};
    const table = new Table({ chars: PLAIN_BORDERS, style, colAligns: ["left", "right"] });
    for (const column of columns) table.push([column, cellText(row[column])]);
    return `${table.toString()}\n`;
  }
  const colAligns = columns.map((column) =>
    !/id$/i.test(column) &&
    rows.every((row) => row[column] === undefined || row[column] === null || isNumericCell(row[column]))
      ? ("right" as const)
      : ("left" as const),
  );
  const table = new Table({ head: columns, chars: PLAIN_BORDERS, style, colAligns });
  for (const row of rows) table.push(columns.map((column) => cellText(row[column])));
  return `${table.toString()}\n`;
};

export const renderJson = (data: JsonValue): string => `${JSON.stringify(data, null, 2)}\n`;

export const render = (data: JsonValue, format: OutputFormat): string =>
  format === "csv" ? renderCsv(data) : format === "table" ? renderTable(data) : renderJson(data);
