import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { EventEnvelope, StoredEvent } from "@vafa/core";
import { ChainBrokenError, type ChainEvent, ChainVerifier } from "@vafa/projections";
import { describeFileError, failure, usageError } from "./errors.js";
import { readLines } from "./lines.js";
import { openStore } from "./stores.js";

/** Where a query command reads events: a store, or an NDJSON export (`--events`). */
export interface EventSourceOptions {
  store: string;
  events?: string;
  /** For `--events`: check the hash chain as the file is read (default true; `--no-verify` skips). */
  verify?: boolean;
}

/**
 * A verifier for the lines of `--events` file `path`: the first break in the
 * hash chain stops the command with exit 1, naming the line, before the event
 * is used. Undefined when verification is off.
 */
export const chainCheck = (
  path: string,
  verify: boolean | undefined,
  words: { what: string; after: string } = {
    what: `--events ${path}`,
    after: " (--no-verify reads it anyway)",
  },
): ((line: number, event: ChainEvent) => void) | undefined => {
  if (verify === false) return undefined;
  const verifier = new ChainVerifier();
  return (line, event) => {
    try {
      verifier.push(event);
    } catch (error) {
      if (!(error instanceof ChainBrokenError)) throw error;
      throw failure(
        `HASH_MISMATCH ${words.what} line ${line}: ${error.streamId} revision ${error.revision ?? "?"}: ${error.problem}; the file was changed after it was exported: run vafa audit --events ${path} to see every finding${words.after}`,
        error,
      );
    }
  };
};

/** Checks that `--events` names a readable file, before any work. */
export const checkReadableFile = async (flag: string, path: string): Promise<void> => {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  } catch (error) {
    throw usageError(describeFileError(flag, path, error));
  }
};

/** Raw lines of an export file with their physical line numbers (the audit reads these). */
export async function* exportLines(path: string): AsyncGenerator<{ line: number; text: string }> {
  await checkReadableFile("--events", path);
  for await (const item of readLines(createReadStream(path))) yield { line: item.line, text: item.text };
}

/** Parses one line of an export into an envelope; a damaged line is a usage error naming the file and line. */
export const parseEnvelope = (path: string, line: number, text: string): EventEnvelope => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw usageError(
      `--events ${path} line ${line}: not valid JSON; run vafa audit --events ${path} to examine it`,
    );
  }
  const e = value as Partial<EventEnvelope> | null;
  if (
    typeof e !== "object" ||
    e === null ||
    typeof e.streamId !== "string" ||
    typeof e.revision !== "number" ||
    typeof e.type !== "string" ||
    typeof e.occurredAt !== "string" ||
    typeof e.data !== "object" ||
    typeof e.metadata !== "object"
  )
    throw usageError(
      `--events ${path} line ${line}: not an event envelope (spec 2); give a file written by vafa export`,
    );
  return e as EventEnvelope;
};

/**
 * Every event of the source, in order: the store's global order, or the
 * file's line order for an export (positions 1, 2, 3... by line).
 */
export async function* sourceEvents(options: EventSourceOptions): AsyncGenerator<StoredEvent> {
  if (options.events !== undefined) {
    const path = options.events;
    const check = chainCheck(path, options.verify);
    let position = 0n;
    for await (const { line, text } of exportLines(path)) {
      position += 1n;
      const envelope = parseEnvelope(path, line, text);
      check?.(line, envelope);
      yield { ...envelope, position };
    }
    return;
  }
  const store = await openStore(options.store);
  try {
    yield* store.readAll();
  } finally {
    await store.close().catch(() => undefined);
  }
}
