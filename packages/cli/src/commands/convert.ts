import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { ConvertInputError, type ConvertSummary, convertCsv } from "../convert/convert-csv.js";
import { loadMapping } from "../convert/mapping.js";
import { describeFileError, EXIT, failure, usageError } from "../errors.js";
import { type CliIo, writeOut } from "../io.js";
import { openOutput } from "../output-file.js";
import { endStream, openRejects } from "./import-input.js";

export interface ConvertCsvOptions {
  mapping: string;
  /** A CSV file (plain or gzip), or `-` for standard input. */
  input: string;
  out?: string;
  rejects?: string;
  json?: boolean;
}

const openCsv = async (path: string, io: CliIo): Promise<AsyncIterable<Buffer | string>> => {
  if (path === "-") return io.stdin;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    await (await open(path, "r")).close();
  } catch (error) {
    throw usageError(describeFileError("input", path, error));
  }
  return createReadStream(path);
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * `vafa convert csv`: a transactions CSV to ledger commands (NDJSON, the
 * input of `vafa import`). Rejected rows never stop the run. Returns the exit
 * code: 0 every row used, 3 some rows rejected, 2 usage or unreadable input.
 */
export const runConvertCsv = async (options: ConvertCsvOptions, io: CliIo): Promise<number> => {
  const toStdout = options.out === undefined || options.out === "-";
  if (options.json && toStdout)
    throw usageError(
      "--json prints the summary on stdout, where the commands go without --out: give --out <commands.ndjson>",
    );
  const mapping = await loadMapping(options.mapping);
  const input = await openCsv(options.input, io);
  const rejects = options.rejects ? await openRejects(options.rejects) : undefined;
  const out = await openOutput(options.out, io);
  const firstOf = new Map<string, { line: number; message: string }>();
  let summary: ConvertSummary;
  try {
    summary = await convertCsv(
      input,
      mapping,
      {
        command: (command) => writeOut(out.stream, `${JSON.stringify(command)}\n`),
        reject: async (rejection) => {
          if (!firstOf.has(rejection.code)) firstOf.set(rejection.code, rejection);
          if (rejects) await writeOut(rejects.stream, `${JSON.stringify(rejection)}\n`);
        },
      },
      options.input === "-" ? "standard input" : options.input,
    );
  } catch (error) {
    if (error instanceof ConvertInputError) throw usageError(`${error.message}; nothing was converted`);
    if ((error as { code?: unknown }).code === "EPIPE")
      throw failure(
        `${toStdout ? "standard output" : options.out} was closed before every command was written (EPIPE); the commands are incomplete`,
        error,
      );
    throw error;
  } finally {
    await out.close();
    if (rejects) {
      await endStream(rejects.stream);
      await rejects.handle.close().catch(() => undefined);
    }
  }

  if (options.json) await writeOut(io.stdout, `${JSON.stringify(summary)}\n`);
  else {
    // stdout may be the commands: the person's summary goes to stderr.
    const lines = [
      `converted ${plural(summary.rows, "row")}: ${summary.accepted} used, ${summary.rejected} rejected; ${plural(summary.commands, "command")} (${plural(summary.joins, "join")}, ${plural(summary.purchases, "purchase")}, ${plural(summary.refunds, "refund")})`,
    ];
    for (const [code, count] of Object.entries(summary.rejectedByCode).sort((a, b) => b[1] - a[1])) {
      const first = firstOf.get(code);
      lines.push(`  ${count} ${code}, first at line ${first?.line}: ${first?.message}`);
    }
    if (summary.rejected > 0)
      lines.push(
        options.rejects
          ? `every rejected row is in ${options.rejects}`
          : 'list every rejected row with --rejects <file> (NDJSON {"line","code","message"})',
      );
    io.stderr.write(`${lines.join("\n")}\n`);
  }
  return summary.rejected > 0 ? EXIT.rejections : EXIT.ok;
};
