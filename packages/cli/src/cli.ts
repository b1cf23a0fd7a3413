import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { addCouponsCommand, addDrawCommands } from "./cli-club.js";
import { addConvertCommand } from "./cli-convert.js";
import { addMemberCommands } from "./cli-members.js";
import {
  eventsOption,
  examples,
  keyStoreOption,
  parseWorkers,
  storeOption,
  testDataKeysOption,
} from "./cli-options.js";
import { addQueryCommands, addReportCommand } from "./cli-queries.js";
import type { SweepOptions } from "./commands/sweep.js";
import { describeError, EXIT } from "./errors.js";
import { type CliIo, processIo } from "./io.js";
import { parseTimeFlag } from "./times.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim();
/** `vafa`, `vafa import`, `vafa convert csv`. */
const fullName = (command: Command): string =>
  command.parent ? `${fullName(command.parent)} ${command.name()}` : command.name();

// Command modules load on use: `--help` and a bad flag never load a database driver.

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
          const name = fullName(command);
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

  const add = (name: string, parent: Command = root): Command => {
    const command = configure(new Command(name));
    parent.addCommand(command);
    return command;
  };

  add("import")
    .description(
      "publish the program if its version is new, then run the commands of an NDJSON file in order",
    )
    .requiredOption("--program <file>", "program JSON (spec section 3)")
    .addOption(storeOption())
    .addOption(keyStoreOption())
    .addOption(testDataKeysOption())
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
          keyStore?: string;
          testDataKeys?: boolean;
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
    .addOption(keyStoreOption())
    .addOption(testDataKeysOption())
    .option("--json", 'print {"at","events"} on stdout')
    .option("--coupon-secret-file <file>", "file holding the coupon secret (else VAFA_COUPON_SECRET)")
    .addHelpText("after", examples("vafa sweep --program program.json --at 2011-12-31T00:00:00Z"))
    .action(async (options: SweepOptions) => {
      exit.code = await (await import("./commands/sweep.js")).runSweep(
        { ...options, at: parseTimeFlag("--at", options.at) },
        io,
      );
    });

  addDrawCommands(add, io, exit);

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
    .addOption(keyStoreOption())
    .addOption(testDataKeysOption())
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
        keyStore?: string;
        testDataKeys?: boolean;
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

  addConvertCommand(add, io, exit);
  addQueryCommands(add, io, exit);
  addCouponsCommand(add, io, exit);
  addMemberCommands(add, io, exit);
  addReportCommand(add, io, exit);

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
