import { createRequire } from "node:module";
import { Command, CommanderError, Option } from "commander";
import { QUERIES, type QueryName } from "./commands/query-names.js";
import { describeError, EXIT, usageError } from "./errors.js";
import { type CliIo, processIo } from "./io.js";
import { FORMATS, type OutputFormat } from "./output-format.js";
import { DEFAULT_STORE } from "./stores.js";
import { parseTimeFlag } from "./times.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

const storeOption = () =>
  new Option("--store <url>", "event store: pglite:<dir>, postgres://..., esdb://... or memory:").default(
    DEFAULT_STORE,
  );
const eventsOption = () =>
  new Option("--events <file>", "read an NDJSON export (vafa export) instead of a store").conflicts("store");
const noVerifyOption = () =>
  new Option("--no-verify", "with --events: do not check the hash chain as the file is read");
const formatOption = () =>
  new Option("--format <format>", "output format").choices(FORMATS).default("json" satisfies OutputFormat);

/** `--workers auto` (undefined: chosen by file size) or a thread count from 1 to 64. */
const parseWorkers = (text: string): number | undefined => {
  if (text === "auto") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw usageError(`--workers must be auto or a whole number from 1 to 64, got ${JSON.stringify(text)}`);
  return n;
};

// Command modules load on use: `--help` and a bad flag never load a database driver.
const examples = (...lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

/** Builds the `vafa` command tree; `exit.code` receives the exit code of the command that ran. */
export const buildCli = (io: CliIo, exit: { code: number }): Command => {
  const root = new Command("vafa");
  const configure = (command: Command): Command =>
    command
      .exitOverride()
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
        // One line naming what is wrong and where to read more.
        outputError: (text, write) => {
          const name = command.name() === "vafa" ? "vafa" : `vafa ${command.name()}`;
          write(`${name}: ${oneLine(text).replace(/^error: /, "")}; see ${name} --help\n`);
        },
      })
      .showSuggestionAfterError(true);
  configure(root)
    .description("Vafa loyalty ledger: import commands, sweep, export, audit and query the event log")
    .version(version, "-V, --version")
    .addHelpText(
      "after",
      examples(
        "vafa import --program program.json commands.ndjson",
        "vafa balances --as-of 2011-12-31 --format table",
      ),
    );

  const add = (name: string): Command => {
    const command = configure(new Command(name));
    root.addCommand(command);
    return command;
  };

  add("import")
    .description(
      "publish the program if its version is new, then run the commands of an NDJSON file in order",
    )
    .requiredOption("--program <file>", "program JSON (spec section 3)")
    .addOption(storeOption())
    .option("--rejects <file>", 'write rejected lines as NDJSON {"line","code","message"}')
    .option("--json", 'print {"accepted","rejected","events"} on stdout')
    .option(
      "--coupon-secret-file <file>",
      "file holding the coupon secret (else VAFA_COUPON_SECRET); required when a reward issues coupons",
    )
    .argument("<commands>", "NDJSON commands file, or - for standard input")
    .addHelpText(
      "after",
      `${examples(
        "vafa import --program program.json --store pglite:./.vafa --rejects rejects.ndjson commands.ndjson",
        "cat commands.ndjson | vafa import --program program.json --json -",
      )}\nExit codes: 0 all accepted, 3 finished with rejections, 1 failure (safe to run again), 2 usage or unreadable input.\n`,
    )
    .action(
      async (
        input: string,
        options: {
          program: string;
          store: string;
          rejects?: string;
          json?: boolean;
          couponSecretFile?: string;
        },
      ) => {
        exit.code = await (await import("./commands/import.js")).runImport({ ...options, input }, io);
      },
    );

  add("sweep")
    .description("run due expiries, birthdays and tier reviews for every member at a time")
    .requiredOption("--program <file>", "program JSON (spec section 3)")
    .addOption(storeOption())
    .requiredOption("--at <time>", "the sweep time, e.g. 2011-12-31T00:00:00Z")
    .option("--json", 'print {"at","events"} on stdout')
    .option("--coupon-secret-file <file>", "file holding the coupon secret (else VAFA_COUPON_SECRET)")
    .addHelpText("after", examples("vafa sweep --program program.json --at 2011-12-31T00:00:00Z"))
    .action(
      async (options: {
        program: string;
        store: string;
        at: string;
        json?: boolean;
        couponSecretFile?: string;
      }) => {
        exit.code = await (await import("./commands/sweep.js")).runSweep(
          { ...options, at: parseTimeFlag("--at", options.at) },
          io,
        );
      },
    );

  add("draw")
    .description("hold a prize draw with its revealed seed and give the winners their events (club spec 3)")
    .requiredOption("--program <file>", "program JSON with the draw")
    .addOption(storeOption())
    .requiredOption("--draw <id>", "the draw id")
    .requiredOption("--seed <seed>", "the secret seed whose sha256 is the draw's seedHash")
    .option("--beacon <value>", "a public value that only exists after entryTo")
    .requiredOption("--at <time>", "the draw time, at or after entryTo")
    .option("--json", 'print {"drawId","at","tickets","entrants","winners","events"} on stdout')
    .addHelpText(
      "after",
      `${examples(
        "vafa draw --program program.json --draw nowruz-1390 --seed my-secret --beacon 4231987 --at 2011-03-21T12:00:00Z",
      )}\nExit codes: 0 held (or held the same way before), 3 refused (the code is printed), 1 failure (run it again), 2 usage.\n`,
    )
    .action(
      async (options: {
        program: string;
        store: string;
        draw: string;
        seed: string;
        beacon?: string;
        at: string;
        json?: boolean;
      }) => {
        exit.code = await (await import("./commands/draw.js")).runDraw(
          { ...options, at: parseTimeFlag("--at", options.at) },
          io,
        );
      },
    );

  add("draw-verify")
    .description(
      "re-derive a prize draw from a store or an export alone: tickets, winners, prizes, seed commitment",
    )
    .addOption(storeOption())
    .addOption(eventsOption())
    .requiredOption("--draw <id>", "the draw id")
    .option("--program <file>", "program JSON, when the log has no ProgramPublished")
    .option("--json", 'print {"ok","drawId","tickets","entrants","winners","problems"} on stdout')
    .addHelpText(
      "after",
      `${examples("vafa draw-verify --events events.ndjson --draw nowruz-1390")}\nExit codes: 0 re-derives, 1 does not (each problem is printed), 2 usage or unreadable input.\n`,
    )
    .action(
      async (options: { store: string; events?: string; draw: string; program?: string; json?: boolean }) => {
        exit.code = await (await import("./commands/draw-verify.js")).runDrawVerify(options, io);
      },
    );

  add("export")
    .description("write every event as an NDJSON envelope, streams sorted by id, each in revision order")
    .addOption(storeOption())
    .option("--out <file>", "write to a file instead of stdout")
    .addHelpText("after", examples("vafa export --store pglite:./.vafa --out events.ndjson"))
    .action(async (options: { store: string; out?: string }) => {
      exit.code = await (await import("./commands/export.js")).runExport(options, io);
    });

  add("restore")
    .description("verify every hash of an export, then load it into an empty store (recordedAt kept)")
    .addOption(storeOption())
    .option("--json", 'print {"events","streams"} on stdout')
    .argument("<export>", "NDJSON file written by vafa export")
    .addHelpText(
      "after",
      `${examples("vafa restore --store pglite:./restored events.ndjson")}\nExit codes: 0 restored, 1 HASH_MISMATCH, STORE_NOT_EMPTY or failure (nothing loaded unless it says so), 2 usage or unreadable input.\n`,
    )
    .action(async (input: string, options: { store: string; json?: boolean }) => {
      exit.code = await (await import("./commands/restore.js")).runRestore({ ...options, input }, io);
    });

  add("audit")
    .description(
      "replay every stream and check hashes, revisions, schemas, allocations, expiries, earnings and tiers",
    )
    .addOption(storeOption())
    .addOption(eventsOption())
    .option("--program <file>", "program JSON, for earn and tier checks when the log has no ProgramPublished")
    .option("--json", 'print {"ok","streams","events","findings","head"} on stdout')
    .option("--expect-head <digest>", "fail with HEAD_MISMATCH unless the log still reaches this head digest")
    .option("--head-at <time>", "compute the head over events recorded at or before this time")
    .option(
      "--workers <n>",
      "threads auditing an --events file: auto (every core for a file of 16 MiB or more) or a count; 1 = this thread",
      "auto",
    )
    .addHelpText(
      "after",
      `${examples(
        "vafa audit --store pglite:./.vafa",
        "vafa audit --events events.ndjson --json --workers 2",
        "vafa audit --store pglite:./.vafa --expect-head 3f5e...c2 --head-at 2011-12-31T23:59:59Z",
      )}\nExit codes: 0 clean, 1 findings, HEAD_MISMATCH or failure, 2 usage or unreadable input.\n`,
    )
    .action(
      async (options: {
        store: string;
        events?: string;
        program?: string;
        json?: boolean;
        expectHead?: string;
        headAt?: string;
        workers: string;
      }) => {
        exit.code = await (await import("./commands/audit.js")).runAudit(
          {
            ...options,
            workers: parseWorkers(options.workers),
            ...(options.headAt !== undefined ? { headAt: parseTimeFlag("--head-at", options.headAt) } : {}),
          },
          io,
        );
      },
    );

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
      .addOption(noVerifyOption());
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

  add("coupons")
    .description("coupons issued at or before a time with their state then (club-v1 section 2)")
    .addOption(storeOption())
    .addOption(eventsOption())
    .requiredOption("--as-of <time>", "events with occurredAt at or before this time")
    .option("--code <code>", "only the coupon with exactly this code")
    .addOption(formatOption())
    .addHelpText(
      "after",
      examples(
        "vafa coupons --store pglite:./.vafa --as-of 2011-05-15T00:00:00Z --format table",
        "vafa coupons --events events.ndjson --as-of 2011-05-15T00:00:00Z --code 9V5VYMWSCBE39V6C",
      ),
    )
    .action(
      async (options: {
        store: string;
        events?: string;
        asOf: string;
        code?: string;
        format: OutputFormat;
      }) => {
        exit.code = await (await import("./commands/coupons.js")).runCoupons(
          { ...options, asOf: parseTimeFlag("--as-of", options.asOf) },
          io,
        );
      },
    );

  add("report")
    .description("write a self-contained HTML report (balances, tiers, RFM, KPIs, liability, audit)")
    .addOption(storeOption())
    .addOption(eventsOption())
    .addOption(noVerifyOption())
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
      }) => {
        exit.code = await (await import("./commands/report.js")).runReport(
          { ...options, asOf: parseTimeFlag("--as-of", options.asOf) },
          io,
        );
      },
    );

  return root;
};

/** Runs `vafa` with the arguments after the executable; resolves to the exit code. Never throws. */
export const runCli = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  const exit = { code: EXIT.ok as number };
  const cli = buildCli(io, exit);
  try {
    await cli.parseAsync([...argv], { from: "user" });
    return exit.code;
  } catch (error) {
    // Commander has already printed its one line (or the help / version).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { line, exitCode } = describeError(error);
    io.stderr.write(`vafa: ${line}\n`);
    if (process.env.VAFA_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCode;
  }
};
