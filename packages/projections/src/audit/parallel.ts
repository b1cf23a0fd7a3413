import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { splitAtStreams } from "../queries/rfm-parallel.js";
import { fromWorkerError, startWorker, type WorkerError } from "../workers.js";
import { type AuditPass, auditEvents } from "./audit.js";
import type { AuditWorkerMessage } from "./audit-worker.js";
import { auditReadable } from "./file-audit.js";
import type { HeadTracker } from "./head.js";
import { readNdjsonLines } from "./ndjson.js";
import { auditRange, planRanges, type Range, type RangePlan, type ShardJob } from "./ranges.js";
import { mergeShards, type ShardResult } from "./shard.js";
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

/** The shards' report, or why the file must be audited in one thread. */
const settle = (results: readonly ShardResult[], head?: HeadTracker): AuditReport | "redo" | "one-thread" => {
  for (const r of results) head?.merge(r.heads ?? []);
  if (results.some((r) => r.mustRedo)) return "redo";
  // A stream in two ranges: the file is not stream by stream.
  const seen = new Set<string>();
  for (const r of results)
    for (const id of r.streamIds) {
      if (seen.has(id)) return "one-thread";
      seen.add(id);
    }
  return results.some((r) => r.spansStreams) ? "one-thread" : mergeShards(results);
};

/**
 * The audit of a file cut at byte offsets `cuts` (line starts, 0 to its size),
 * one range after another in this thread: what the workers of
 * `auditNdjsonFileParallel` compute (tests). Undefined when the file must be
 * audited in one thread. `chunkBytes`: the size of the reads.
 */
export const auditFileInRanges = async (
  path: string,
  cuts: readonly number[],
  options: AuditOptions = {},
  head?: HeadTracker,
  pass: AuditPass = {},
  chunkBytes?: number,
): Promise<AuditReport | undefined> => {
  const plan = await planRanges(path, cuts, chunkBytes);
  if (plan === null) return undefined;
  const job: ShardJob = { options, pass, ...(head ? { head: { ...head.options } } : {}) };
  const results: ShardResult[] = [];
  for (const range of plan.ranges) results.push(await auditRange(path, range, job, chunkBytes));
  const settled = settle(results, head);
  return typeof settled === "string" ? undefined : settled;
};

type Reply = { kind: "result"; result: ShardResult } | { kind: "failed"; error: WorkerError };

const resultOf = (worker: Worker, index: number): Promise<ShardResult> =>
  new Promise<ShardResult>((resolve, reject) => {
    worker.once("message", (m: Reply) =>
      m.kind === "result" ? resolve(m.result) : reject(fromWorkerError(m.error)),
    );
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`audit worker ${index} stopped (exit ${code})`)));
  });

/**
 * Audits an NDJSON export (spec 7) on `workers` threads (this one and worker
 * threads): the file is cut at stream changes into one range per thread, each
 * reads and audits its own range; the report is the one `auditEvents` gives for the file's lines,
 * finding for finding (docs/auditing.md, "Parallel audit of a file").
 */
export const auditNdjsonFileParallel = async (
  path: string,
  options: ParallelAuditOptions = {},
): Promise<AuditReport> => {
  const count = Math.max(1, options.workers ?? availableParallelism());
  const auditOptions: AuditOptions = options.programs ? { programs: options.programs } : {};
  const oneThread: AuditOptions = {
    ...auditOptions,
    ...(options.dataKeys ? { dataKeys: options.dataKeys } : {}),
  };
  const size = (await stat(path).catch(() => ({ size: 0 }))).size;
  // A stream too long to cut near a range's end, or an unreadable file: one range.
  const cuts = (await splitAtStreams(path, count).catch(() => null)) ?? [0, size];
  // This thread audits the first range; the workers, loading their modules
  // while the file is planned, the others.
  const workers = Array.from({ length: Math.max(0, cuts.length - 2) }, (_, index) => {
    const worker = startWorker(import.meta.url, "audit-worker", undefined);
    const result = resultOf(worker, index + 1);
    result.catch(() => undefined); // awaited unless the plan leaves the workers out
    return { worker, result };
  });
  try {
    // A program stream in two ranges: one range, in this thread.
    const plan = (await planRanges(path, cuts)) ?? ((await planRanges(path, [0, size])) as RangePlan);
    const job: ShardJob = {
      options: auditOptions,
      pass: { streamsWhole: true, programsAhead: plan.programsAhead },
      ...(options.head ? { head: { ...options.head.options } } : {}),
    };
    const [first, ...others] = plan.ranges;
    for (const [i, range] of others.entries())
      workers[i]?.worker.postMessage({ path, range, job } satisfies AuditWorkerMessage);
    const results = await Promise.all([
      auditRange(path, first as Range, job),
      ...(others.length > 0 ? workers.map((w) => w.result) : []),
    ]);
    const settled = settle(results, options.head);
    // The heads stand as merged; the findings come from one thread when a
    // shard's pass must be redone (the plain audit at once, as `auditReadable`
    // would end with), or when the file is not stream by stream, or stock or
    // draws span streams (`Auditor.spansStreams`).
    if (settled === "redo") return auditEvents(readNdjsonLines(path), oneThread);
    if (settled === "one-thread")
      return auditReadable(() => readNdjsonLines(path), oneThread, plan.programsAhead);
    return settled;
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
};
