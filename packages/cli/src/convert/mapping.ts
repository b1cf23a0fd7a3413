import { readFile } from "node:fs/promises";
import { format } from "date-fns";
import { z } from "zod";
import { describeFileError, usageError } from "../errors.js";

// The mapping file of `vafa convert csv`: which columns of a transactions CSV
// are the member, the time, the invoice and the money, and how to read them.
// docs/analyst-guide.md documents every field; docs/mappings/ has two examples.

/** A column: its header name, or its 1-based position (the only choice without a header row). */
const columnRef = z.union(
  [
    z.string().min(1, "must name a column of the header (non-empty)"),
    z
      .number()
      .int("must be a whole number: 1 is the first column")
      .min(1, "must be 1 or more: 1 is the first column"),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code !== "invalid_union"
        ? { message: ctx.defaultError }
        : ctx.data === undefined
          ? { message: "is required: the column's header name, or its position (1 is the first)" }
          : { message: "must be the column's header name (text) or its position (1 is the first)" },
  },
);
export type ColumnRef = z.infer<typeof columnRef>;

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const isDateFnsFormat = (pattern: string): boolean => {
  try {
    format(0, pattern);
    return true;
  } catch {
    return false;
  }
};

/** date-fns tokens that carry an offset: such a time is absolute, the zone does not apply. */
export const hasOffsetToken = (pattern: string): boolean => /[XxO]/.test(pattern.replace(/'[^']*'/g, ""));
const hasTimeToken = (pattern: string): boolean => /[HhKkmsaS]/.test(pattern.replace(/'[^']*'/g, ""));

const separator = z.string().length(1, "must be exactly one character");

const csvMappingSchema = z
  .object({
    version: z
      .literal(1, { errorMap: () => ({ message: "must be 1 (the only mapping version)" }) })
      .default(1),
    csv: z
      .object({
        delimiter: z
          .union([z.literal("whitespace"), separator])
          .default(",")
          .describe('one character, or "whitespace" for columns separated by runs of spaces or tabs'),
        header: z.boolean().default(true),
        quote: separator.default('"'),
      })
      .strict()
      .default({}),
    columns: z
      .object({
        member: columnRef,
        time: columnRef,
        invoice: columnRef.optional(),
        amount: columnRef.optional(),
        quantity: columnRef.optional(),
        unitPrice: columnRef.optional(),
        sku: columnRef.optional(),
        refundOf: columnRef.optional(),
      })
      .strict(),
    memberId: z
      .enum(["text", "integer"], {
        errorMap: () => ({
          message:
            'must be "text" (the value as written) or "integer" ("17850.0" and "017850" become "17850")',
        }),
      })
      .default("text"),
    time: z
      .object({
        format: z
          .string()
          .min(1)
          .refine((f) => f === "iso" || isDateFnsFormat(f), {
            message:
              'must be "iso" or a date-fns format such as "yyyy-MM-dd HH:mm:ss" or "dd/MM/yyyy HH:mm" (quote literal letters: "yyyy-MM-dd\'T\'HH:mm")',
          }),
        zone: z.string().default("UTC").refine(isTimeZone, {
          message: 'must be an IANA time zone such as "UTC", "Europe/London" or "Asia/Tehran"',
        }),
        timeOfDay: z
          .string()
          .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time of day "HH:mm", such as "12:00"')
          .optional(),
      })
      .strict(),
    numbers: z
      .object({
        decimalSeparator: z
          .enum([".", ","], { errorMap: () => ({ message: 'must be "." or ","' }) })
          .default("."),
        thousandsSeparator: z
          .enum(["", ",", ".", " ", "'"], {
            errorMap: () => ({ message: 'must be "", ",", ".", " " or "\'"' }),
          })
          .default(""),
      })
      .strict()
      .default({}),
    refunds: z
      .discriminatedUnion(
        "marker",
        [
          z.object({ marker: z.literal("none") }).strict(),
          z.object({ marker: z.literal("negative") }).strict(),
          z
            .object({
              marker: z.literal("invoice-prefix"),
              prefix: z.string().min(1, 'must be the start of a refund\'s invoice id, such as "C"'),
            })
            .strict(),
        ],
        {
          errorMap: (issue, ctx) =>
            issue.code === "invalid_union_discriminator"
              ? { message: 'must be "none", "negative" (a negative amount is a refund) or "invoice-prefix"' }
              : { message: ctx.defaultError },
        },
      )
      .default({ marker: "none" }),
  })
  .strict()
  .superRefine((m, ctx) => {
    const c = m.columns;
    const byAmount = c.amount !== undefined;
    const byLines = c.quantity !== undefined || c.unitPrice !== undefined;
    if (byAmount === byLines || (byLines && (c.quantity === undefined || c.unitPrice === undefined)))
      ctx.addIssue({
        code: "custom",
        path: [
          "columns",
          byAmount || !byLines ? "amount" : c.quantity === undefined ? "quantity" : "unitPrice",
        ],
        message: byAmount
          ? "give either columns.amount or columns.quantity with columns.unitPrice, not both"
          : "give columns.amount, or both columns.quantity and columns.unitPrice (amount = quantity × unit price)",
      });
    if (c.sku !== undefined && c.quantity === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["columns", "sku"],
        message:
          "items need a quantity and a unit price: give columns.quantity and columns.unitPrice, or remove sku",
      });
    if (m.refunds.marker === "invoice-prefix" && c.invoice === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["refunds", "marker"],
        message: '"invoice-prefix" reads the invoice id: give columns.invoice, or use "negative"',
      });
    if (c.refundOf !== undefined && m.refunds.marker === "none")
      ctx.addIssue({
        code: "custom",
        path: ["columns", "refundOf"],
        message:
          'says which purchase a refund is of, but refunds.marker is "none": set how refunds are marked',
      });
    if (!m.csv.header)
      for (const [name, ref] of Object.entries(c))
        if (typeof ref === "string")
          ctx.addIssue({
            code: "custom",
            path: ["columns", name],
            message:
              "csv.header is false, so columns have no names: give the column's position (1 is the first)",
          });
    if (m.numbers.thousandsSeparator === m.numbers.decimalSeparator)
      ctx.addIssue({
        code: "custom",
        path: ["numbers", "thousandsSeparator"],
        message: "must differ from numbers.decimalSeparator",
      });
    if (m.time.timeOfDay !== undefined && (m.time.format === "iso" || hasTimeToken(m.time.format)))
      ctx.addIssue({
        code: "custom",
        path: ["time", "timeOfDay"],
        message: "is for dates without a time of day: remove it, or remove the time from time.format",
      });
    if (m.csv.delimiter === m.csv.quote)
      ctx.addIssue({ code: "custom", path: ["csv", "quote"], message: "must differ from csv.delimiter" });
  });

export type CsvMapping = z.infer<typeof csvMappingSchema>;
export type ColumnName = keyof CsvMapping["columns"];

/** The first problem of a mapping, with its field path: `columns.member: Required` (and how many more). */
const describeMappingError = (error: z.ZodError): string => {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  const message = issue?.message === "Required" ? "is required" : (issue?.message ?? "invalid");
  return `${where}: ${message}${more}`;
};

/** Validates a mapping already parsed from JSON; a problem is a usage error naming `source` and the field. */
export const parseMapping = (json: unknown, source: string): CsvMapping => {
  const result = csvMappingSchema.safeParse(json);
  if (!result.success)
    throw usageError(
      `mapping ${source}: ${describeMappingError(result.error)}; fix the mapping (docs/analyst-guide.md#the-mapping-file)`,
    );
  return result.data;
};

/** Reads and validates a mapping file. */
export const loadMapping = async (path: string): Promise<CsvMapping> => {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw usageError(describeFileError("mapping", path, error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw usageError(`mapping ${path}: not valid JSON (${reason}); fix the file`);
  }
  return parseMapping(json, path);
};
