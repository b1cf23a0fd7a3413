/**
 * Event-store benchmark: append and read-all throughput of the memory store,
 * PGlite (temp dir) and PostgreSQL (when VAFA_PG_URL is set), as ratios to the
 * memory store measured in the same run. Appends are shaped like the ledger's:
 * one command = one append of 1-3 events, streams taking turns.
 *
 *   node --import tsx bench/stores.ts [--quick]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventStore, ProposedEvent } from "@vafa/core";
import { purchaseEvents } from "../packages/adapters/src/contract/fixtures.js";
import { createMemoryStore } from "../packages/adapters/src/memory/index.js";
import { createPgliteStore } from "../packages/adapters/src/pglite/index.js";
import { createPostgresStore } from "../packages/adapters/src/postgres/index.js";

// `pg` is a dependency of the adapters package, not of the workspace root
const pg = createRequire(new URL("../packages/adapters/package.json", import.meta.url))(
  "pg",
) as typeof import("pg");

const quick = process.argv.includes("--quick");
const streamCount = quick ? 50 : 1000;
const eventsPerStream = quick ? 6 : 20;

interface Command {
  streamId: string;
  events: ProposedEvent[];
  expectedRevision: number | "no_stream";
}

/** Commands of 1, 2, 3, 1, 2, 3... events per stream, streams taking turns (built before timing). */
const buildCommands = (): Command[] => {
  const perStream: Command[][] = [];
  for (let s = 0; s < streamCount; s += 1) {
    const streamId = `member-bench-${String(s).padStart(5, "0")}`;
    const commands: Command[] = [];
    let revision = 0;
    let prevHash: string | undefined;
    for (let c = 0; revision < eventsPerStream; c += 1) {
      const count = Math.min(1 + (c % 3), eventsPerStream - revision);
      const events = purchaseEvents({
        streamId,
        fromRevision: revision,
        count,
        commandId: `purchase:${s}-${c}`,
        prevHash,
      });
      commands.push({ streamId, events, expectedRevision: revision === 0 ? "no_stream" : revision - 1 });
      prevHash = events.at(-1)?.metadata.hash;
      revision += count;
    }
    perStream.push(commands);
  }
  const ordered: Command[] = [];
  for (let round = 0; perStream.some((commands) => commands.length > round); round += 1) {
    for (const commands of perStream) {
      const command = commands[round];
      if (command) ordered.push(command);
    }
  }
  return ordered;
};

interface Result {
  name: string;
  appendPerSecond: number;
  readPerSecond: number;
}

const measure = async (name: string, store: EventStore, commands: readonly Command[]): Promise<Result> => {
  const total = commands.reduce((sum, c) => sum + c.events.length, 0);
  const appendStart = performance.now();
  for (const command of commands) {
    await store.appendToStream(command.streamId, command.events, {
      expectedRevision: command.expectedRevision,
    });
  }
  const appendMs = performance.now() - appendStart;
  const readStart = performance.now();
  let read = 0;
  for await (const _event of store.readAll({ batchSize: 1000 })) read += 1;
  const readMs = performance.now() - readStart;
  if (read !== total) throw new Error(`${name}: read ${read} events, appended ${total}`);
  return { name, appendPerSecond: (total / appendMs) * 1000, readPerSecond: (read / readMs) * 1000 };
};

const main = async () => {
  const commands = buildCommands();
  const total = commands.reduce((sum, c) => sum + c.events.length, 0);
  console.log(
    `stores bench: ${streamCount} streams x ${eventsPerStream} events = ${total} events in ${commands.length} appends`,
  );
  const results: Result[] = [];

  results.push(await measure("memory", createMemoryStore(), commands));

  for (const relaxedDurability of [false, true]) {
    const dir = await mkdtemp(join(tmpdir(), "vafa-bench-"));
    try {
      const pglite = await createPgliteStore({ dataDir: dir, relaxedDurability });
      results.push(
        await measure(`pglite (temp dir${relaxedDurability ? ", relaxed" : ""})`, pglite, commands),
      );
      await pglite.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const url = process.env.VAFA_PG_URL;
  if (url) {
    const schema = `vafa_bench_${Date.now().toString(36)}`;
    const store = await createPostgresStore({ connectionString: url, schema });
    try {
      results.push(await measure("postgresql", store, commands));
    } finally {
      await store.close();
      const pool = new pg.Pool({ connectionString: url });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  } else {
    console.log("postgresql: skipped (VAFA_PG_URL is not set)");
  }

  const memory = results[0] as Result;
  const rows = results.map((r) => ({
    store: r.name,
    "append ev/s": Math.round(r.appendPerSecond),
    "append vs memory": (r.appendPerSecond / memory.appendPerSecond).toFixed(4),
    "readAll ev/s": Math.round(r.readPerSecond),
    "readAll vs memory": (r.readPerSecond / memory.readPerSecond).toFixed(4),
  }));
  console.table(rows);
};

await main();
