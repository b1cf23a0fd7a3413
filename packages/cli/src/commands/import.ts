import {
  type Command,
  type CommandOutcome,
  createLedger,
  type EventStore,
  type KeyStore,
  type Ledger,
  VafaError,
} from "@vafa/core";
import { readCouponSecret } from "../coupon-secret.js";
import { CliError, EXIT, failure, usageError } from "../errors.js";
import { type CliIo, writeOut } from "../io.js";
import { checkKeyStoreFlags, ledgerKeyStore } from "../ledger-keys.js";
import { type InputLine, readLines } from "../lines.js";
import { loadProgram } from "../program-file.js";
import { createProgress } from "../progress.js";
import { openStore } from "../stores.js";
import {
  endStream,
  firstValidAt,
  openInput,
  openRejects,
  parseLine,
  type Rejection,
  readAhead,
} from "./import-input.js";

export { EPOCH, validAtOf } from "./import-input.js";

export interface ImportOptions {
  program: string;
  store: string;
  rejects?: string;
  json?: boolean;
  /** A file path, or `-` for standard input. */
  input: string;
  /** File holding the coupon secret (club-v1 §2); else VAFA_COUPON_SECRET. */
  couponSecretFile?: string;
  /** `--key-store` (club-v1 §6); default: the store's own key table. */
  keyStore?: string;
  /** `--test-data-keys`: the golden vectors' derived keys. */
  testDataKeys?: boolean;
}

export interface ImportSummary {
  accepted: number;
  rejected: number;
  events: number;
}

/** Batch limits of `vafa import` (issue 11). */
export const FIRST_BATCH_COMMANDS = 16;
export const BATCH_MAX_COMMANDS = 2000;
export const BATCH_MAX_BYTES = 1024 * 1024;
export const BATCH_MAX_WAIT_MS = 100;

const TIMED_OUT = Symbol("timed out");
const STORED = Symbol("stored");
const stored = (): typeof STORED => STORED;

/** One timer per batch: resolves TIMED_OUT when the batch has waited BATCH_MAX_WAIT_MS. */
const batchDeadline = (): { expired: Promise<typeof TIMED_OUT>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), BATCH_MAX_WAIT_MS);
  });
  return { expired, cancel: () => clearTimeout(timer) };
};

/**
 * `vafa import` (spec 8): publishes the program if its version is new, then
 * runs the commands in file order, in batches, streaming the input. Returns
 * the exit code.
 */
export const runImport = async (options: ImportOptions, io: CliIo): Promise<number> => {
  const program = await loadProgram(options.program);
  const couponSecret = await readCouponSecret(program, options.couponSecretFile);
  await checkKeyStoreFlags(options, program);
  const input = await openInput(options.input, io);
  const rejects = options.rejects ? await openRejects(options.rejects) : undefined;
  let store: EventStore | undefined;
  let keyStore: KeyStore | undefined;
  const summary: ImportSummary = { accepted: 0, rejected: 0, events: 0 };
  let interrupted = false;
  let lastLine = 0;
  /** The last batch handed to the ledger: awaited before the store closes. */
  let lastSent: Promise<unknown> | undefined;
  const stopListening = io.onInterrupt(() => {
    if (interrupted) {
      // A second Ctrl-C: the user does not want to wait for the current command.
      io.stderr.write("interrupted again: stopping now; it is safe to run the same import again\n");
      process.exit(EXIT.failure);
    }
    interrupted = true;
  });
  const progress = createProgress({
    enabled: !options.json && io.stdout.isTTY === true && input.sizeBytes !== undefined,
    totalBytes: input.sizeBytes ?? 0,
    stream: io.stderr,
  });
  try {
    store = await openStore(options.store, { intent: "write" });
    keyStore = await ledgerKeyStore(options, store, program, io);
    const ledger: Ledger = createLedger({
      store,
      program,
      ...(couponSecret ? { couponSecret } : {}),
      ...(keyStore ? { keyStore } : {}),
    });
    const lines = readLines(input.stream())[Symbol.asyncIterator]();
    let ahead: InputLine[] = [];
    let publishAt: string;
    if (options.input === "-") {
      // Standard input cannot be read twice: keep the lines read while looking for the first `at`.
      const found = await readAhead(lines);
      publishAt = found.at;
      ahead = found.seen;
    } else {
      publishAt = await firstValidAt(options.input);
    }
    const published = await ledger.publishProgram(publishAt);
    summary.events += published.events.length;

    const reject = async (rejection: Rejection) => {
      summary.rejected += 1;
      if (rejects) await writeOut(rejects.stream, `${JSON.stringify(rejection)}\n`);
      else if (!options.json)
        io.stderr.write(`line ${rejection.line}: ${rejection.code} ${rejection.message}\n`);
    };

    // Lines go to the ledger in batches (one atomic append each, issue 11): a
    // batch closes at BATCH_MAX_COMMANDS lines, BATCH_MAX_BYTES of text or
    // BATCH_MAX_WAIT_MS after its first line, whichever comes first. The first
    // batches are small, so the first results and a Ctrl-C come quickly.
    let batch: InputLine[] = [];
    let batchBytes = 0;
    let batchStartedAt = 0;
    let deadline: ReturnType<typeof batchDeadline> | undefined;
    let batchLimit = FIRST_BATCH_COMMANDS;

    /** A batch handed to the ledger, reported once its outcomes are in. */
    interface Sent {
      items: InputLine[];
      parsed: ReturnType<typeof parseLine>[];
      outcomes: Promise<CommandOutcome[]>;
    }
    // One batch is decided while the one before it is stored (chained with `after`:
    // they land in order, and if one fails the next appends nothing).
    let inflight: Sent | undefined;

    const report = async ({ items, parsed, outcomes: pending }: Sent) => {
      let outcomes: CommandOutcome[];
      try {
        outcomes = await pending;
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/\s*[\r\n]+\s*/g, " ") : String(error);
        const first = items[0]?.line;
        const last = items.at(-1)?.line;
        throw failure(
          `import stopped in lines ${first} to ${last}: ${reason}; what was accepted stays (those lines and the ones after them were not applied), fix the cause and run the same import again`,
          error,
        );
      }
      let next = 0;
      for (const [i, item] of items.entries()) {
        const p = parsed[i] as ReturnType<typeof parseLine>;
        if ("rejection" in p) {
          await reject({ line: item.line, ...p.rejection });
          continue;
        }
        const outcome = outcomes[next++] as CommandOutcome;
        if (outcome.status === "accepted") {
          summary.accepted += 1;
          summary.events += outcome.events.length;
        } else {
          await reject({ line: item.line, code: outcome.rejection.code, message: outcome.rejection.message });
        }
      }
      const lastItem = items.at(-1) as InputLine;
      lastLine = lastItem.line;
      progress.update(lastItem.bytesRead, summary);
      // A store that answers from memory never leaves the microtask queue: give
      // the event loop a turn so Ctrl-C and the progress bar are seen promptly.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };

    /** Reports the batch in flight, if any. */
    const drain = async () => {
      const sent = inflight;
      inflight = undefined;
      if (sent) await report(sent);
    };

    const flush = async () => {
      deadline?.cancel();
      deadline = undefined;
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      batchBytes = 0;
      batchLimit = Math.min(batchLimit * 2, BATCH_MAX_COMMANDS);
      const parsed = items.map((item) => parseLine(item.text));
      // Any JSON value: executeMany validates each at run time (a rejection, never a throw).
      const commands: Command[] = [];
      for (const p of parsed) if ("command" in p) commands.push(p.command as Command);
      const before = inflight;
      const outcomes = ledger.executeMany(commands, before ? { after: before.outcomes } : {});
      // Reported (and its failure thrown) by `report`, after the batch before it.
      lastSent = outcomes.catch(() => undefined);
      inflight = { items, parsed, outcomes };
      if (before) await report(before);
    };

    const add = async (item: InputLine) => {
      if (batch.length === 0) {
        batchStartedAt = performance.now();
        deadline = batchDeadline();
      }
      batch.push(item);
      batchBytes += item.text.length;
      if (
        batch.length >= batchLimit ||
        batchBytes >= BATCH_MAX_BYTES ||
        performance.now() - batchStartedAt >= BATCH_MAX_WAIT_MS
      )
        await flush();
    };

    for (const item of ahead) {
      if (interrupted) break;
      await add(item);
    }
    ahead = [];
    let pendingLine = interrupted ? undefined : lines.next();
    while (pendingLine !== undefined && !interrupted) {
      // A slow input (a pipe) must not hold back a started batch for longer than BATCH_MAX_WAIT_MS.
      // Nor the report of a batch in flight while the input is idle.
      const next =
        batch.length > 0
          ? await Promise.race([pendingLine, (deadline ?? batchDeadline()).expired])
          : inflight
            ? await Promise.race([pendingLine, inflight.outcomes.then(stored, stored)])
            : await pendingLine;
      if (next === TIMED_OUT) {
        await flush();
        continue;
      }
      if (next === STORED) {
        await drain();
        continue;
      }
      if (next.done) {
        pendingLine = undefined;
        break;
      }
      pendingLine = undefined;
      await add(next.value);
      if (!interrupted) pendingLine = lines.next();
    }
    // Ctrl-C: the lines already read finish as one batch, nothing after them starts.
    await flush();
    await drain();
    if (interrupted) {
      if (pendingLine !== undefined) await pendingLine.catch(() => undefined);
      await lines.return(undefined);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    // The store refused the program (a changed program under a published version):
    // nothing was imported, and running the same import again would not help.
    if (error instanceof VafaError && error.code === "PROGRAM_INVALID")
      throw usageError(`program ${options.program}: ${error.message}; nothing was imported`);
    throw failure(
      `import stopped after line ${lastLine}: ${error instanceof Error ? error.message : String(error)}; what was accepted stays, run the same import again`,
      error,
    );
  } finally {
    // A batch still in flight lands whole or not at all; the store stays open until it has.
    await lastSent;
    progress.stop();
    stopListening();
    if (rejects) {
      await endStream(rejects.stream);
      await rejects.handle.close().catch(() => undefined);
    }
    await keyStore?.close?.().catch(() => undefined);
    await store?.close().catch(() => undefined);
  }
  if (interrupted) {
    io.stderr.write(
      `interrupted after line ${lastLine} (${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.events} events appended); it is safe to run the same import again: nothing is applied twice\n`,
    );
    return EXIT.failure;
  }
  if (options.json) await writeOut(io.stdout, `${JSON.stringify(summary)}\n`);
  else
    await writeOut(
      io.stdout,
      `${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.events} events appended\n`,
    );
  return summary.rejected > 0 ? EXIT.rejections : EXIT.ok;
};
