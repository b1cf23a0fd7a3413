import { createReadStream } from "node:fs";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { VafaError } from "@vafa/core";
import { startWorker } from "../workers.js";
import { type AuditPass, auditEvents } from "./audit.js";
import type { AuditWorkerData, AuditWorkerMessage } from "./audit-worker.js";
import { auditReadable, programsPublishedIn } from "./file-audit.js";
import type { HeadTracker } from "./head.js";
import { readNdjsonLines } from "./ndjson.js";
import { mergeShards, ShardAuditor, type ShardResult } from "./shard.js";
import type { AuditOptions, AuditReport } from "./types.js";

export interface ParallelAuditOptions extends AuditOptions {
  /** Worker threads (shards); default: the machine's available parallelism. */
  workers?: number;
  /**
   * Receives the heads of every stream (the shards' heads merged by line), so
   * its digest is the one a tracker fed every line in order gives.
   */
  head?: HeadTracker;
}

/** Chunks sent to a worker and not yet audited: bounds memory when reading outruns the audit. */
const MAX_IN_FLIGHT = 4;
const CHUNK_BYTES = 1 << 20;

/**
 * The chunks of a file, each ending with a newline except the last (`final`,
 * a line without one). Only the line cut by a read is copied.
 */
async function* newlineChunks(path: string): AsyncGenerator<{ bytes: Buffer; final: boolean }> {
  let carry: Buffer | undefined;
  try {
    for await (const read of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      const chunk = carry ? Buffer.concat([carry, read as Buffer]) : (read as Buffer);
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        carry = chunk;
        continue;
      }
      carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : undefined;
      yield { bytes: chunk.subarray(0, last + 1), final: false };
    }
  } catch (cause) {
    if (cause instanceof VafaError) throw cause;
    throw new VafaError(
      "STORE_UNAVAILABLE",
      `cannot read export file ${path}`,
      "check the path given to --events",
      {
        cause,
      },
    );
  }
  if (carry) yield { bytes: carry, final: true };
}

/**
 * The audit of a file by `count` shards in this thread: what the workers of
 * `auditNdjsonFileParallel` compute, without threads (tests, one core).
 * Undefined when a shard's `pass` must be redone (the parallel audit then
 * audits the file in one thread).
 */
export const auditChunksInShards = async (
  chunks: AsyncIterable<{ bytes: Buffer; final: boolean }> | Iterable<{ bytes: Buffer; final: boolean }>,
  count: number,
  options: AuditOptions = {},
  head?: HeadTracker,
  pass: AuditPass = {},
): Promise<AuditReport | undefined> => {
  const shards = Array.from(
    { length: count },
    (_, i) => new ShardAuditor(i, count, options, head ? { ...head.options } : undefined, pass),
  );
  for await (const { bytes, final } of chunks) for (const s of shards) s.pushChunk(bytes, final);
  const results = shards.map((s) => s.finish());
  for (const r of results) head?.merge(r.heads ?? []);
  return results.some((r) => r.mustRedo) ? undefined : mergeShards(results);
};

const startAuditWorker = (data: AuditWorkerData): Worker =>
  startWorker(import.meta.url, "audit-worker", data);

interface Shard {
  worker: Worker;
  inFlight: number;
  result: Promise<ShardResult>;
}

/**
 * Audits an NDJSON export (spec 7) on worker threads: each reads every chunk
 * of the file, as it streams, and audits the streams it owns; the report is
 * the one `auditEvents` gives for the file's lines, finding for finding.
 */
export const auditNdjsonFileParallel = async (
  path: string,
  options: ParallelAuditOptions = {},
): Promise<AuditReport> => {
  const count = Math.max(1, options.workers ?? availableParallelism());
  const auditOptions: AuditOptions = options.programs ? { programs: options.programs } : {};
  // Each shard drops a member's replay when its stream ends (file-audit.ts).
  const programsAhead = await programsPublishedIn(path);
  const pass: AuditPass = { streamsWhole: true, programsAhead };
  let wake: (() => void) | undefined;
  const shards: Shard[] = [];
  for (let index = 0; index < count; index++) {
    const worker = startAuditWorker({
      index,
      count,
      options: auditOptions,
      pass,
      ...(options.head ? { head: { ...options.head.options } } : {}),
    });
    const shard: Shard = {
      worker,
      inFlight: 0,
      result: new Promise<ShardResult>((resolve, reject) => {
        worker.on("message", (m: { kind: "ack" } | { kind: "result"; result: ShardResult }) => {
          if (m.kind === "ack") {
            shard.inFlight--;
            wake?.();
          } else resolve(m.result);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => reject(new Error(`audit worker ${index} stopped (exit ${code})`)));
      }),
    };
    shards.push(shard);
  }
  const failed = Promise.race(shards.map((s) => s.result)).then(
    () => new Promise<never>(() => undefined),
    (error: unknown) => Promise.reject(error),
  );
  const roomFor = async (): Promise<void> => {
    while (shards.some((s) => s.inFlight >= MAX_IN_FLIGHT))
      await Promise.race([new Promise<void>((r) => (wake = r)), failed]);
  };
  try {
    for await (const { bytes, final } of newlineChunks(path)) {
      await roomFor();
      for (const s of shards) {
        s.inFlight++;
        s.worker.postMessage({ kind: "chunk", bytes, final } satisfies AuditWorkerMessage);
      }
    }
    for (const s of shards) s.worker.postMessage({ kind: "end" } satisfies AuditWorkerMessage);
    const results = await Promise.all(shards.map((s) => s.result));
    for (const r of results) options.head?.merge(r.heads ?? []);
    // The heads stand as merged; the findings come from one thread when a shard's
    // pass must be redone (the plain audit at once, as `auditReadable` would end
    // with) or when stock or draws span streams (`Auditor.spansStreams`).
    const oneThread: AuditOptions = {
      ...auditOptions,
      ...(options.dataKeys ? { dataKeys: options.dataKeys } : {}),
    };
    if (results.some((r) => r.mustRedo)) return auditEvents(readNdjsonLines(path), oneThread);
    if (results.some((r) => r.spansStreams))
      return auditReadable(() => readNdjsonLines(path), oneThread, programsAhead);
    return mergeShards(results);
  } finally {
    await Promise.all(shards.map((s) => s.worker.terminate()));
  }
};
