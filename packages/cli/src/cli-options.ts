import { type Command, Option } from "commander";
import { usageError } from "./errors.js";
import { FORMATS, type OutputFormat } from "./output-format.js";
import { DEFAULT_STORE } from "./stores.js";

// Options and help text shared by the `vafa` commands.

export const storeOption = () =>
  new Option("--store <url>", "event store: pglite:<dir>, postgres://..., esdb://... or memory:").default(
    DEFAULT_STORE,
  );
/** `--key-store <url>`: where members' data keys live (club-v1 §6; cli/src/key-stores.ts). */
export const keyStoreOption = () =>
  new Option(
    "--key-store <url>",
    "members' data keys: file:<dir> or postgres://... (default: the store's own key table; required for esdb:// when the program encrypts)",
  );
/** `--test-data-keys` (or VAFA_TEST_DATA_KEYS=1): the test vectors' derived keys, never for real members. */
export const testDataKeysOption = () =>
  new Option(
    "--test-data-keys",
    "make data keys as sha256(vafa-test-key|memberId) for the golden test vectors only, NEVER for real members (or VAFA_TEST_DATA_KEYS=1)",
  );
export const eventsOption = () =>
  new Option("--events <file>", "read an NDJSON export (vafa export) instead of a store").conflicts("store");
export const noVerifyOption = () =>
  new Option("--no-verify", "with --events: do not check the hash chain as the file is read");
export const formatOption = () =>
  new Option("--format <format>", "output format").choices(FORMATS).default("json" satisfies OutputFormat);

/** `--workers auto` (undefined: chosen by file size) or a thread count from 1 to 64. */
export const parseWorkers = (text: string): number | undefined => {
  if (text === "auto") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw usageError(`--workers must be auto or a whole number from 1 to 64, got ${JSON.stringify(text)}`);
  return n;
};

export const examples = (...lines: string[]): string =>
  `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

/** Adds a configured subcommand to `vafa` (or to `parent`) and returns it. */
export type AddCommand = (name: string, parent?: Command) => Command;
