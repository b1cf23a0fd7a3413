import { Option } from "commander";
import {
  type AddCommand,
  eventsOption,
  examples,
  formatOption,
  keyStoreOption,
  noVerifyOption,
  storeOption,
  testDataKeysOption,
} from "./cli-options.js";
import { QUERIES, type QueryName } from "./commands/query-names.js";
import { usageError } from "./errors.js";
import type { CliIo } from "./io.js";
import type { OutputFormat } from "./output-format.js";
import { parseTimeFlag } from "./times.js";

// The read-only query commands (spec 6) and the HTML report. Command modules load on use.

/** `vafa balances`, `rfm`, `liability`, `kpis` and `rollforward`. */
export const addQueryCommands = (add: AddCommand, io: CliIo, exit: { code: number }): void => {
  const queryHelp: Record<QueryName, string> = {
    balances: "balances of every member joined at or before a time (spec 6)",
    rfm: "recency, frequency, monetary scores and segments as of a time (spec 6)",
    liability: "outstanding points, their value, debt and expiry buckets as of a time (spec 6)",
    kpis: "programme KPIs for a period [from, to) (spec 6)",
    rollforward: "points roll-forward for a period [from, to): opening + movements = closing (spec 6)",
  };
  for (const name of QUERIES) {
    const command = add(name)
      .description(queryHelp[name])
      .addOption(storeOption())
      .addOption(eventsOption())
      .addOption(noVerifyOption())
      .addOption(keyStoreOption())
      .addOption(testDataKeysOption());
    const period = name === "kpis" || name === "rollforward";
    if (period)
      command
        .requiredOption("--from <time>", "period start (inclusive)")
        .requiredOption("--to <time>", "period end (exclusive)");
    else command.requiredOption("--as-of <time>", "events with occurredAt at or before this time");
    command
      .addOption(formatOption())
      .addHelpText(
        "after",
        examples(
          period
            ? `vafa ${name} --events events.ndjson --from 2011-03-01T00:00:00Z --to 2011-06-01T00:00:00Z --format table`
            : `vafa ${name} --store pglite:./.vafa --as-of 2011-05-15T00:00:00Z --format csv`,
        ),
      )
      .action(
        async (options: {
          store: string;
          events?: string;
          asOf?: string;
          from?: string;
          to?: string;
          format: OutputFormat;
          verify: boolean;
          keyStore?: string;
          testDataKeys?: boolean;
        }) => {
          const time = (flag: string, value: string | undefined) =>
            value === undefined ? undefined : parseTimeFlag(flag, value);
          const from = time("--from", options.from);
          const to = time("--to", options.to);
          if (from !== undefined && to !== undefined && from >= to)
            throw usageError(`--from ${from} must be before --to ${to}`);
          exit.code = await (await import("./commands/query.js")).runQuery(
            name,
            {
              store: options.store,
              events: options.events,
              verify: options.verify,
              asOf: time("--as-of", options.asOf),
              from,
              to,
              format: options.format,
            },
            io,
          );
        },
      );
  }
};

/** `vafa report`. */
export const addReportCommand = (add: AddCommand, io: CliIo, exit: { code: number }): void => {
  add("report")
    .description("write a self-contained HTML report (balances, tiers, RFM, KPIs, liability, audit)")
    .addOption(storeOption())
    .addOption(eventsOption())
    .addOption(noVerifyOption())
    .addOption(keyStoreOption())
    .addOption(testDataKeysOption())
    .requiredOption("--as-of <time>", "report time")
    .requiredOption("--out <file>", "HTML file to write")
    .addOption(new Option("--lang <lang>", "report language").choices(["en", "fa"]).default("en"))
    .addHelpText(
      "after",
      examples("vafa report --store pglite:./.vafa --as-of 2011-12-09T00:00:00Z --out report.html --lang fa"),
    )
    .action(
      async (options: {
        store: string;
        events?: string;
        verify: boolean;
        asOf: string;
        out: string;
        lang: "en" | "fa";
        keyStore?: string;
        testDataKeys?: boolean;
      }) => {
        exit.code = await (await import("./commands/report.js")).runReport(
          { ...options, asOf: parseTimeFlag("--as-of", options.asOf) },
          io,
        );
      },
    );
};
