import { type AddCommand, examples } from "./cli-options.js";
import type { ConvertCsvOptions } from "./commands/convert.js";
import type { CliIo } from "./io.js";

/** `vafa convert csv`: real transaction data in, without code (docs/analyst-guide.md). */
export const addConvertCommand = (add: AddCommand, io: CliIo, exit: { code: number }): void => {
  const convert = add("convert").description(
    "turn a file of transactions into ledger commands (NDJSON, the input of vafa import)",
  );
  add("csv", convert)
    .description(
      "convert a transactions CSV (plain or .gz) with a mapping file: a join at each member's first purchase, a purchase per invoice, a refund per refund invoice",
    )
    .requiredOption(
      "--mapping <file>",
      "mapping JSON: columns, time format and zone, numbers, refunds (docs/analyst-guide.md)",
    )
    .option("--out <file>", "write the commands to a file instead of stdout")
    .option("--rejects <file>", 'write every rejected row as NDJSON {"line","code","message"}')
    .option(
      "--json",
      'print the summary {"rows","accepted","rejected","commands",...} on stdout (needs --out)',
    )
    .argument("<input>", "CSV file (gzip is read transparently), or - for standard input")
    .addHelpText(
      "after",
      `${examples(
        "vafa convert csv --mapping docs/mappings/online-retail.json ../shared/data/online-retail.csv.gz --out commands.ndjson --rejects rejected-rows.ndjson",
        "vafa convert csv --mapping docs/mappings/online-retail.json online-retail.csv.gz | vafa import --program fixtures/online-retail/program.json -",
      )}\nExit codes: 0 every row used, 3 finished with rejected rows, 2 usage, bad mapping or unreadable input (nothing converted), 1 failure.\n`,
    )
    .action(async (input: string, options: Omit<ConvertCsvOptions, "input">) => {
      exit.code = await (await import("./commands/convert.js")).runConvertCsv({ ...options, input }, io);
    });
};
