import { open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { Program } from "@vafa/core";
import { noProgramError } from "../program-view.js";
import { StreamIdReader } from "../stream-route.js";
import { fromWorkerError, startWorker } from "../workers.js";
import type { RfmInput, RfmRow } from "./rfm.js";
import { scoreRfm } from "./rfm.js";
import type { RfmWorkerData, RfmWorkerReply } from "./rfm-worker.js";

export interface ParallelRfmResult {
  /** The rows, or undefined when the file does not split into parts of whole streams (read it in one thread). */
  rows: RfmRow[] | undefined;
  /** Lines that were no event envelope (the caller decides what that means). */
  badLineCount: number;
}

/** How far past a cut point a stream may go on before the split gives up. */
const MAX_STREAM_BYTES = 64 * 2 ** 20;
const WINDOW_BYTES = 1 << 20;

/** The stream id of a line, from its bytes when certain, else parsed; null when it names none. */
const streamIdAt = (reader: StreamIdReader, buf: Buffer, start: number, end: number): string | null => {
  const id = reader.read(buf, start, end);
  if (id !== null) return buf.toString("latin1", id.idStart, id.idEnd);
  try {
    const v = JSON.parse(buf.toString("utf8", start, end)) as { streamId?: unknown } | null;
    return typeof v?.streamId === "string" ? v.streamId : null;
  } catch {
    return null;
  }
};

/**
 * Byte offsets that cut a file into `parts` pieces at stream changes: near
 * each even cut, the first line whose stream differs from the line before.
 * Null when a stream runs on too long to find one.
 */
export const splitAtStreams = async (path: string, parts: number): Promise<number[] | null> => {
  const { size } = await stat(path);
  const cuts = [0];
  const file = await open(path, "r");
  try {
    for (let k = 1; k < parts; k++) {
      let pos = Math.max(Math.floor((k * size) / parts), cuts[cuts.length - 1] as number);
      let previous: string | null | undefined;
      let cut: number | undefined;
      let carry = Buffer.alloc(0);
      let skipPartial = pos > 0;
      const reader = new StreamIdReader();
      for (let read = 0; cut === undefined && read < MAX_STREAM_BYTES && pos < size; ) {
        const window = Buffer.alloc(WINDOW_BYTES);
        const { bytesRead } = await file.read(window, 0, WINDOW_BYTES, pos);
        if (bytesRead === 0) break;
        const buf =
          carry.length > 0
            ? Buffer.concat([carry, window.subarray(0, bytesRead)])
            : window.subarray(0, bytesRead);
        const base = pos - carry.length;
        reader.newChunk();
        let start = 0;
        for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
          if (skipPartial)
            skipPartial = false; // the line the even cut falls in
          else {
            const id = streamIdAt(reader, buf, start, nl);
            if (previous !== undefined && id !== previous) {
              cut = base + start;
              break;
            }
            previous = id;
          }
          start = nl + 1;
        }
        carry = Buffer.from(buf.subarray(start));
        pos += bytesRead;
        read += bytesRead;
      }
      if (cut === undefined) {
        if (pos >= size) break; // the last stream reaches the end: fewer parts
        return null;
      }
      if (cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
    }
  } finally {
    await file.close();
  }
  cuts.push(size);
  return cuts;
};

/**
 * Spec 6 `rfm` as of T from an NDJSON export on worker threads. The file is
 * cut at stream changes into one part per worker; each folds its part (up to
 * T, only RFM's event types). When every member stream lies in one part (an
 * export lists streams one after another) the members' raw values are scored
 * together under the program of the highest version, so the rows equal
 * `rfmAsOf` over one projection of the whole file; otherwise `rows` is
 * undefined and the caller reads the file in one thread.
 *
 * With `verify`, each worker checks the hash chain of its part (spec 2;
 * `ChainVerifier`) as it reads: exact, since each part holds whole streams. A
 * break, or a stream cut by a part boundary that therefore looks broken, also
 * gives `rows` undefined: one thread, verifying, names the first break by its line.
 */
export const rfmFromNdjsonParallel = async (
  path: string,
  asOf: string,
  workers = availableParallelism(),
  options: { verify?: boolean } = {},
): Promise<ParallelRfmResult> => {
  const cuts = await splitAtStreams(path, Math.max(1, workers));
  if (cuts === null) return { rows: undefined, badLineCount: 0 };
  const parts = cuts.slice(1).map((end, i) => ({ start: cuts[i] as number, end }));
  const threads: { worker: Worker; next: () => Promise<RfmWorkerReply> }[] = parts.map((part) => {
    const data: RfmWorkerData = { path, asOf, ...part, verify: options.verify === true };
    const worker = startWorker(import.meta.url, "rfm-worker", data);
    const queue: RfmWorkerReply[] = [];
    let waiting: ((r: RfmWorkerReply) => void) | undefined;
    let failed: ((e: unknown) => void) | undefined;
    worker.on("message", (m: RfmWorkerReply) => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(m);
      } else queue.push(m);
    });
    const fail = (e: unknown) => failed?.(e);
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`rfm worker stopped (exit ${code})`)));
    const next = () =>
      new Promise<RfmWorkerReply>((resolve, reject) => {
        const m = queue.shift();
        if (m) resolve(m);
        else {
          waiting = resolve;
          failed = reject;
        }
      });
    return { worker, next };
  });
  try {
    const folded = await Promise.all(threads.map((t) => t.next()));
    let program: Program | undefined;
    let badLineCount = 0;
    const seen = new Set<string>();
    let whole = true;
    for (const f of folded) {
      if (f.kind === "failed") {
        // A break (or a stream cut by a part boundary): one thread, verifying, names it.
        if (f.error.code !== "HASH_MISMATCH") throw fromWorkerError(f.error);
        whole = false;
        continue;
      }
      if (f.kind !== "folded") throw new Error("rfm worker: unexpected reply");
      badLineCount += f.badLineCount;
      if (f.reopened) whole = false;
      // The first publication of the highest version wins, in file order (as LedgerProjection.publish).
      if (f.program && (program === undefined || f.program.version > program.version)) program = f.program;
      for (const s of f.streams) {
        if (seen.has(s)) whole = false;
        seen.add(s);
      }
    }
    if (!whole) return { rows: undefined, badLineCount };
    if (program === undefined) throw noProgramError();
    for (const t of threads) t.worker.postMessage({ kind: "score", program });
    const inputs: RfmInput[] = [];
    for (const reply of await Promise.all(threads.map((t) => t.next()))) {
      if (reply.kind === "failed") throw fromWorkerError(reply.error);
      if (reply.kind !== "inputs") throw new Error("rfm worker: unexpected reply");
      for (const input of reply.inputs) inputs.push(input);
    }
    // The order of `members()`: memberId by UTF-16 code units.
    inputs.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
    return { rows: scoreRfm(inputs), badLineCount };
  } finally {
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
};
