import {
  type AddCommand,
  eventsOption,
  examples,
  formatOption,
  keyStoreOption,
  storeOption,
  testDataKeysOption,
} from "./cli-options.js";
import type { DrawOptions } from "./commands/draw.js";
import type { CliIo } from "./io.js";
import type { OutputFormat } from "./output-format.js";
import { parseTimeFlag } from "./times.js";

// The club-v1 commands: prize draws and coupons. Command modules load on use.

/** `vafa draw` and `vafa draw-verify` (club-v1 section 3). */
export const addDrawCommands = (add: AddCommand, io: CliIo, exit: { code: number }): void => {
  add("draw")
    .description("hold a prize draw with its revealed seed and give the winners their events (club spec 3)")
    .requiredOption("--program <file>", "program JSON with the draw")
    .addOption(storeOption())
    .requiredOption("--draw <id>", "the draw id")
    .requiredOption("--seed <seed>", "the secret seed whose sha256 is the draw's seedHash")
    .option("--beacon <value>", "a public value that only exists after entryTo")
    .requiredOption("--at <time>", "the draw time, at or after entryTo")
    .option("--json", 'print {"drawId","at","tickets","entrants","winners","events"} on stdout')
    .addOption(keyStoreOption())
    .addOption(testDataKeysOption())
    .addHelpText(
      "after",
      `${examples(
        "vafa draw --program program.json --draw nowruz-1390 --seed my-secret --beacon 4231987 --at 2011-03-21T12:00:00Z",
      )}\nExit codes: 0 held (or held the same way before), 3 refused (the code is printed), 1 failure (run it again), 2 usage.\n`,
    )
    .action(async (options: DrawOptions) => {
      exit.code = await (await import("./commands/draw.js")).runDraw(
        { ...options, at: parseTimeFlag("--at", options.at) },
        io,
      );
    });

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
};

/** `vafa coupons` (club-v1 section 2). */
export const addCouponsCommand = (add: AddCommand, io: CliIo, exit: { code: number }): void => {
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
};
