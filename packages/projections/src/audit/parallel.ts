import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { VafaError } from "@vafa/core";
import { splitAtStreams } from "../queries/rfm-parallel.js";
import { fromWorkerError, startWorker, type WorkerError } from "../workers.js";
import { type AuditPass, auditEvents } from "./audit.js";
import type { AuditWorkerMessage } from "./audit-worker.js";
import { auditReadable } from "./file-audit.js";
import type { HeadTracker } from "./head.js";
import { readNdjsonLines } from "./ndjson.js";
import {
  auditRange,
  planFromScans,
  planRanges,
  type Range,
  type RangePlan,
  type RangeScan,
  type ShardJob,
  scanRange,
} from "./ranges.js";
import { mergeShards, type ShardResult } from "./shard.js";
import type { AuditOptions, AuditReport } from "./types.js";

export interface ParallelAuditOptions extends AuditOptions {
  /** Threads (ranges of the file), this one included; default: the machine's available parallelism. */
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
  const whole = [0, cuts[cuts.length - 1] as number];
  const plan = (await planRanges(path, cuts, chunkBytes)) ?? ((await planRanges(path, whole)) as RangePlan);
  const job: ShardJob = { options, pass, ...(head ? { head: { ...head.options } } : {}) };
  const results: ShardResult[] = [];
  for (const range of plan.ranges) results.push(await auditRange(path, range, job, chunkBytes));
  const settled = settle(results, head);
  return typeof settled === "string" ? undefined : settled;
};

type Reply = { kind: "done"; value: unknown } | { kind: "failed"; error: WorkerError };

/** A worker of the parallel audit: `ask` posts a message and gives its answer. */
const auditWorker = (index: number) => {
  const worker = startWorker(import.meta.url, "audit-worker", undefined);
  const stopped = new Promise<never>((_, reject) => {
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`audit worker ${index} stopped (exit ${code})`)));
  });
  stopped.catch(() => undefined); // raced by every `ask`
  const ask = <T>(message: AuditWorkerMessage): Promise<T> =>
    Promise.race([
      stopped,
      new Promise<T>((resolve, reject) => {
        worker.once("message", (m: Reply) =>
          m.kind === "done" ? resolve(m.value as T) : reject(fromWorkerError(m.error)),
        );
        worker.postMessage(message);
      }),
    ]);
  return { worker, ask };
};

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
  const { size } = await stat(path).catch((cause: unknown) => {
    throw new VafaError(
      "STORE_UNAVAILABLE",
      `cannot read export file ${path}`,
      "check the path given to --events",
      {
        cause,
      },
    );
  });
  // A stream too long to cut near a range's end, or an unreadable file: one range.
  const cuts = (await splitAtStreams(path, count).catch(() => null)) ?? [0, size];
  // This thread reads the first range; the workers, loading their modules
  // meanwhile, the others: first for the plan, then to audit them.
  const workers = Array.from({ length: Math.max(0, cuts.length - 2) }, (_, i) => auditWorker(i + 1));
  try {
    const parts = cuts.slice(1).map((end, k) => ({ start: cuts[k] as number, end }));
    const scans = await Promise.all([
      scanRange(path, parts[0] as Range),
      ...workers.map((w, i) => w.ask<RangeScan>({ kind: "scan", path, range: parts[i + 1] as Range })),
    ]);
    // A program stream in two ranges: one range, in this thread.
    const plan = planFromScans(cuts, scans) ?? ((await planRanges(path, [0, size])) as RangePlan);
    const job: ShardJob = {
      options: auditOptions,
      pass: { streamsWhole: true, programsAhead: plan.programsAhead },
      ...(options.head ? { head: { ...options.head.options } } : {}),
    };
    const [first, ...others] = plan.ranges;
    const results = await Promise.all([
      auditRange(path, first as Range, job),
      ...others.map((range, i) =>
        (workers[i] as (typeof workers)[number]).ask<ShardResult>({ kind: "audit", path, range, job }),
      ),
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
