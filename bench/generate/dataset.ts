import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { eventIdFor, genesisHash, hashEvent, programStreamId, SCHEMA_VERSION, toEnvelope } from "@vafa/core";
import { createRandom, subSeed } from "../lib/prng.js";
import { BENCH_PROGRAM, HISTORY_START_MS } from "../lib/program.js";
import type { ChunkResult, ChunkSpec } from "./chunk.js";

// A synthetic history on disk, generated once per (members, events, seed) and
// reused from bench/out by later runs.

/** Bump when the generated data changes, so caches are not reused. */
const GENERATOR_VERSION = 3;
const CHUNK_MEMBERS = 500;

interface DatasetMeta {
  members: number;
  targetEvents: number;
  seed: number;
  events: number;
  commands: number;
  bytes: number;
  /** Chunks whose commands were recorded (commands-<i>.ndjson), each on its own members. */
  commandChunks: number;
  byType: Record<string, number>;
  generateSeconds: number;
  generatedEventsPerSecond: number;
}

export interface Dataset {
  dir: string;
  eventsPath: string;
  commandsPath: (chunk: number) => string;
  meta: DatasetMeta;
  cached: boolean;
}

/**
 * Heavy-tailed event budgets: 30% one-off members (join, signup, one purchase),
 * the rest Pareto(1.16), the 80/20 shape, capped at 300 times the median.
 */
const memberBudgets = (members: number, events: number, seed: number): number[] => {
  const random = createRandom(subSeed(seed, -1));
  const ONE_OFF = 4;
  const kinds = Array.from({ length: members }, () => random() < 0.3);
  const weights = kinds.map((oneOff) => (oneOff ? 0 : Math.min(300, (1 - random()) ** (-1 / 1.16))));
  const oneOffs = kinds.filter(Boolean).length;
  const rest = Math.max(0, events - oneOffs * ONE_OFF);
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  return weights.map((w, i) => (kinds[i] ? ONE_OFF : Math.max(ONE_OFF, Math.round((rest * w) / sum))));
};

/** The ProgramPublished envelope, as `vafa import` writes it at the first command's time. */
const programLine = (): string => {
  const streamId = programStreamId(BENCH_PROGRAM.programId);
  const commandId = `publish:${BENCH_PROGRAM.programId}:${BENCH_PROGRAM.version}`;
  const eventId = eventIdFor(streamId, commandId, 0);
  const occurredAt = new Date(HISTORY_START_MS).toISOString();
  const data = { program: BENCH_PROGRAM };
  const prevHash = genesisHash(streamId);
  const hash = hashEvent(prevHash, {
    streamId,
    revision: 0,
    eventId,
    type: "ProgramPublished",
    occurredAt,
    data,
  });
  const envelope = toEnvelope({
    streamId,
    revision: 0,
    eventId,
    type: "ProgramPublished",
    occurredAt,
    recordedAt: occurredAt,
    data,
    metadata: {
      schemaVersion: SCHEMA_VERSION,
      programId: BENCH_PROGRAM.programId,
      programVersion: BENCH_PROGRAM.version,
      commandId,
      correlationId: commandId,
      prevHash,
      hash,
    },
  });
  return `${JSON.stringify(envelope)}\n`;
};

export interface DatasetRequest {
  members: number;
  events: number;
  seed: number;
  /** Members whose commands are recorded for the ledger benchmark (rounded up to whole chunks). */
  commandMembers: number;
  outDir: string;
  log?: (line: string) => void;
}

const datasetDir = (r: DatasetRequest): string =>
  join(r.outDir, `data-m${r.members}-e${r.events}-s${r.seed}-g${GENERATOR_VERSION}`);

/** Generates the data set (in worker threads, chunks of members) unless bench/out holds it already. */
export const ensureDataset = async (request: DatasetRequest): Promise<Dataset> => {
  const dir = datasetDir(request);
  const eventsPath = join(dir, "events.ndjson");
  const metaPath = join(dir, "meta.json");
  const commandsPath = (chunk: number) => join(dir, `commands-${chunk}.ndjson`);
  const commandChunks = Math.min(
    Math.ceil(request.members / CHUNK_MEMBERS),
    Math.max(1, Math.ceil(request.commandMembers / CHUNK_MEMBERS)),
  );
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as DatasetMeta;
    if (meta.commandChunks >= commandChunks) return { dir, eventsPath, commandsPath, meta, cached: true };
  }
  mkdirSync(dir, { recursive: true });
  const log = request.log ?? (() => {});
  const started = performance.now();
  const budgets = memberBudgets(request.members, request.events, request.seed);
  const specs: ChunkSpec[] = [];
  for (let first = 0, i = 0; first < request.members; first += CHUNK_MEMBERS, i++)
    specs.push({
      seed: request.seed,
      chunkIndex: i,
      firstMember: first,
      budgets: budgets.slice(first, first + CHUNK_MEMBERS),
      recordCommands: i < commandChunks,
    });

  const tmpPath = `${eventsPath}.tmp`;
  const out = createWriteStream(tmpPath);
  const pending = new Map<number, ChunkResult>();
  let nextToWrite = 0;
  let events = 0;
  let commands = 0;
  let bytes = 0;
  const byType: Record<string, number> = {};
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  const flush = async (): Promise<void> => {
    for (let r = pending.get(nextToWrite); r !== undefined; r = pending.get(nextToWrite)) {
      pending.delete(nextToWrite);
      await write(r.ndjson);
      if (r.commands) writeFileSync(commandsPath(r.chunkIndex), r.commands);
      events += r.events;
      commands += r.commandCount;
      for (const [k, v] of Object.entries(r.byType)) byType[k] = (byType[k] ?? 0) + v;
      nextToWrite++;
      if (nextToWrite % 20 === 0 || nextToWrite === specs.length)
        log(`  generated ${nextToWrite}/${specs.length} chunks, ${events.toLocaleString("en")} events`);
    }
  };

  const threads = Math.max(1, Math.min(availableParallelism(), 4, specs.length));
  let nextSpec = 0;
  let writing = Promise.resolve();
  await Promise.all(
    Array.from({ length: threads }, async () => {
      // Workers load TypeScript through tsx like the parent.
      const worker = new Worker(new URL("./worker-boot.mjs", import.meta.url));
      try {
        for (;;) {
          const spec = specs[nextSpec++];
          if (spec === undefined) break;
          // Keep at most a few finished chunks waiting for the writer.
          while (pending.size > threads * 2) await writing;
          worker.postMessage(spec);
          const result = await new Promise<ChunkResult>((resolve, reject) => {
            worker.once("message", (r: ChunkResult) => {
              worker.off("error", reject);
              resolve(r);
            });
            worker.once("error", reject);
          });
          pending.set(result.chunkIndex, result);
          writing = writing.then(flush);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  await writing;
  await write(programLine());
  out.end();
  await once(out, "finish");
  renameSync(tmpPath, eventsPath);
  const seconds = (performance.now() - started) / 1000;
  const meta: DatasetMeta = {
    members: request.members,
    targetEvents: request.events,
    seed: request.seed,
    events: events + 1,
    commands,
    bytes,
    commandChunks,
    byType: { ...byType, ProgramPublished: 1 },
    generateSeconds: Math.round(seconds * 10) / 10,
    generatedEventsPerSecond: Math.round(events / seconds),
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { dir, eventsPath, commandsPath, meta, cached: false };
};
