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
import type { OutboxFormat } from "./commands/members.js";
import { usageError } from "./errors.js";
import type { CliIo } from "./io.js";
import type { OutputFormat } from "./output-format.js";
import { parseTimeFlag } from "./times.js";

// Profiles and the outbox (club-v1 §4, §5, §8). Command modules load on use.

interface SourceFlags {
  store: string;
  events?: string;
  verify: boolean;
  keyStore?: string;
  testDataKeys?: boolean;
}

const sourceFlags = (options: SourceFlags) => ({
  store: options.store,
  verify: options.verify,
  ...(options.events !== undefined ? { events: options.events } : {}),
  ...(options.keyStore !== undefined ? { keyStore: options.keyStore } : {}),
  ...(options.testDataKeys !== undefined ? { testDataKeys: options.testDataKeys } : {}),
});

/** `vafa members`, `vafa member <id>` and `vafa outbox`. */
export const addMemberCommands = (add: AddCommand, io: CliIo, exit: { code: number }): void => {
  const withSource = (name: string) =>
    add(name)
      .addOption(storeOption())
      .addOption(eventsOption())
      .addOption(noVerifyOption())
      .addOption(keyStoreOption())
      .addOption(testDataKeysOption());

  withSource("members")
    .description("every member joined at or before a time: profile, consent, tier, notes (club-v1 section 4)")
    .requiredOption("--as-of <time>", "events with occurredAt at or before this time")
    .addOption(formatOption())
    .addHelpText(
      "after",
      examples(
        "vafa members --store pglite:./.vafa --as-of 2011-05-01T00:00:00Z --format table",
        "vafa members --events events.ndjson --key-store file:./keys --as-of 2011-05-01T00:00:00Z",
      ),
    )
    .action(async (options: SourceFlags & { asOf: string; format: OutputFormat }) => {
      exit.code = await (await import("./commands/members.js")).runMembers(
        { ...sourceFlags(options), asOf: parseTimeFlag("--as-of", options.asOf), format: options.format },
        io,
      );
    });

  withSource("member")
    .description(
      "one member's whole timeline: every event in order with points before and after, notes, messages sent (club-v1 section 4)",
    )
    .argument("<memberId>", "the member id")
    .requiredOption("--as-of <time>", "events with occurredAt at or before this time")
    .addOption(formatOption())
    .addHelpText(
      "after",
      examples("vafa member ali --store pglite:./.vafa --as-of 2011-05-01T00:00:00Z --format table"),
    )
    .action(async (memberId: string, options: SourceFlags & { asOf: string; format: OutputFormat }) => {
      exit.code = await (await import("./commands/members.js")).runMember(
        {
          ...sourceFlags(options),
          memberId,
          asOf: parseTimeFlag("--as-of", options.asOf),
          format: options.format,
        },
        io,
      );
    });

  withSource("outbox")
    .description(
      "messages due in (since, as-of] for the host's SMS and e-mail sender, not yet recorded as sent (club-v1 section 5)",
    )
    .requiredOption("--since <time>", "interval start (exclusive)")
    .requiredOption(
      "--as-of <time>",
      "interval end (inclusive); consent, contact and sent messages are read at it",
    )
    .addOption(new Option("--channel <channel>", "only this channel").choices(["sms", "email"]))
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["json", "csv", "ndjson"])
        .default("json" satisfies OutboxFormat),
    )
    .addHelpText(
      "after",
      `${examples(
        "vafa outbox --store pglite:./.vafa --since 2011-04-30T00:00:00Z --as-of 2011-05-01T00:00:00Z --channel sms --format ndjson",
      )}\nClose each message the gateway accepted with a message-sent command carrying its messageKey (vafa import).\n`,
    )
    .action(
      async (
        options: SourceFlags & {
          since: string;
          asOf: string;
          channel?: "sms" | "email";
          format: OutboxFormat;
        },
      ) => {
        const since = parseTimeFlag("--since", options.since);
        const asOf = parseTimeFlag("--as-of", options.asOf);
        if (since >= asOf) throw usageError(`--since ${since} must be before --as-of ${asOf}`);
        exit.code = await (await import("./commands/members.js")).runOutbox(
          {
            ...sourceFlags(options),
            since,
            asOf,
            ...(options.channel !== undefined ? { channel: options.channel } : {}),
            format: options.format,
          },
          io,
        );
      },
    );
};
