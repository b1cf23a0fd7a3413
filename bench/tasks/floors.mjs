import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
// The built packages (run.ts builds them first), in plain Node.
import { createMemoryStore } from "../../packages/adapters/dist/memory/index.js";
import { createPgliteStore } from "../../packages/adapters/dist/pglite/index.js";
import { createPostgresStore } from "../../packages/adapters/dist/postgres/index.js";
import { createLedger, eventIdFor, hashEvent } from "../../packages/core/dist/index.js";
import { arg, round } from "../lib/plain-task.mjs";

// Floors (issue 11): the least time the work the specs require can take on this
// machine, so each target can be read against what is possible here.
// - per event of an export: read and split the lines, JSON.parse, the hash of
//   spec 2 (RFC 8785 body + SHA-256) and the eventId re-derived (UUID v5); the
//   audit must do all three, `rfm --events` the first two;
// - per command: the id and hash of each event it makes (spec 2), nothing else:
//   no validation, no decision, no store; `vafa import` parses its line too;
// - per store: the exact appends the ledger made for the commands (recorded on a
//   memory store), replayed into a new PGlite store and PostgreSQL schema: the
//   store's own time, with no ledger work in the process; and the same events
//   inserted by PGlite itself into a bare table with the store's columns and
//   keys, in this process, one statement per append call: no revision or
//   duplicate check, no streams table, no transaction of ours, no thread.

const eventsPath = arg("events");
const lineLimit = Number(arg("lines"));
const dir = arg("dir");
const commandLimit = Number(arg("commands"));
const program = JSON.parse(readFileSync(arg("program"), "utf8"));
const BATCH = 2000;
const cores = availableParallelism();

/** Calls `each` on the first `lineLimit` lines of the export; resolves with µs per line. */
const perLine = async (each) => {
  let rest = "";
  let lines = 0;
  const started = performance.now();
  for await (const chunk of createReadStream(eventsPath, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      if (lines === lineLimit) break;
      lines++;
      each(line);
    }
    if (lines === lineLimit) break;
  }
  return ((performance.now() - started) * 1000) / lines;
};

/** The best of three passes (the first warms the JIT and the page cache). */
const best = async (each) => Math.min(await perLine(each), await perLine(each), await perLine(each));

let sink = 0;
const parseUs = await best((line) => {
  sink += JSON.parse(line).revision;
});
const chainUs = await best((line) => {
  const e = JSON.parse(line);
  if (hashEvent(e.metadata.prevHash, e) === e.metadata.hash) sink++;
});
// The index of an event within its command's events in its stream (spec 2's name).
let lastKey = "";
let index = 0;
const auditUs = await best((line) => {
  const e = JSON.parse(line);
  if (hashEvent(e.metadata.prevHash, e) === e.metadata.hash) sink++;
  const key = `${e.streamId}|${e.metadata.commandId}`;
  index = key === lastKey ? index + 1 : 0;
  lastKey = key;
  if (eventIdFor(e.streamId, e.metadata.commandId, index) === e.eventId) sink++;
});

// The commands, their appends recorded as the ledger makes them (chained calls, as `vafa import`).
const commandLines = readFileSync(join(dir, "commands-0.ndjson"), "utf8")
  .split("\n")
  .filter((l) => l !== "")
  .slice(0, commandLimit);
const commands = commandLines.map((l) => JSON.parse(l));
const memory = createMemoryStore();
const calls = [];
const recording = Object.create(memory, {
  appendToStream: {
    value: (streamId, events, options) => {
      calls.push([{ streamId, events, expectedRevision: options.expectedRevision }]);
      return memory.appendToStream(streamId, events, options);
    },
  },
  appendToStreams: {
    value: (appends) => {
      calls.push(appends);
      return memory.appendToStreams(appends);
    },
  },
});
const ledger = createLedger({ store: recording, program });
await ledger.publishProgram(commands[0].at);
let before;
for (let i = 0; i < commands.length; i += BATCH) {
  const call = ledger.executeMany(commands.slice(i, i + BATCH), before ? { after: before } : {});
  if (before) await before;
  before = call;
}
await before;
const events = calls.flatMap((appends) => appends.flatMap((a) => a.events));
const eventsPerCommand = events.length / commands.length;

/** µs per command of naming and hashing its events (the best of three passes). */
const sealPass = () => {
  const started = performance.now();
  let last = "";
  let i = 0;
  for (const e of events) {
    const key = `${e.streamId}|${e.metadata.commandId}`;
    i = key === last ? i + 1 : 0;
    last = key;
    if (eventIdFor(e.streamId, e.metadata.commandId, i) === e.eventId) sink++;
    if (hashEvent(e.metadata.prevHash, e) === e.metadata.hash) sink++;
  }
  return ((performance.now() - started) * 1000) / commands.length;
};
const sealUs = Math.min(sealPass(), sealPass(), sealPass());
const commandParsePass = () => {
  const started = performance.now();
  for (const line of commandLines) sink += JSON.parse(line).at.length;
  return ((performance.now() - started) * 1000) / commands.length;
};
const commandParseUs = Math.min(commandParsePass(), commandParsePass(), commandParsePass());

/** Runs `work` once; its time and this process's CPU (PGlite's thread included; a PostgreSQL server's not). */
const timed = async (work) => {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    events: events.length,
    seconds: round(seconds, 3),
    eventsPerSecond: Math.round(events.length / seconds),
    commandsPerSecond: Math.round(commands.length / seconds),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
  };
};

/** Replays the recorded appends into `store`, in order; the store's own time. */
const replay = async (open) => {
  const store = await open();
  const result = await timed(async () => {
    for (const appends of calls) await store.appendToStreams(appends);
  });
  await store.close();
  return result;
};
/** The recorded events inserted by PGlite into a bare table (see above). */
const bareInsert = async (dataDir) => {
  const resolve = createRequire(new URL("../../packages/adapters/package.json", import.meta.url)).resolve;
  const driver = await import(pathToFileURL(resolve("@electric-sql/pglite")).href);
  const PGlite = driver.PGlite ?? driver.default.PGlite;
  const db = await PGlite.create({ dataDir });
  await db.exec(`CREATE TABLE events (
    position bigserial PRIMARY KEY, stream_id text COLLATE "C" NOT NULL, revision integer NOT NULL,
    event_id text NOT NULL UNIQUE, type text NOT NULL, occurred_at text NOT NULL, recorded_at text NOT NULL,
    data_text text NOT NULL, metadata_text text NOT NULL, UNIQUE (stream_id, revision))`);
  const result = await timed(async () => {
    for (const appends of calls) {
      const rows = appends.flatMap((a) =>
        a.events.map((e) => ({
          streamId: a.streamId,
          revision: e.revision,
          eventId: e.eventId,
          type: e.type,
          occurredAt: e.occurredAt,
          data: e.data,
          metadata: e.metadata,
        })),
      );
      await db.query(
        `INSERT INTO events (stream_id, revision, event_id, type, occurred_at, recorded_at, data_text, metadata_text)
       SELECT "streamId", revision, "eventId", type, "occurredAt", $1, data::text, metadata::text
         FROM json_to_recordset($2::json) AS b("streamId" text, revision integer, "eventId" text, type text,
              "occurredAt" text, data json, metadata json)`,
        [new Date().toISOString(), JSON.stringify(rows)],
      );
    }
  });
  await db.close();
  return result;
};

const work = mkdtempSync(join(tmpdir(), "vafa-bench-floors-"));
// A process's first PGlite store also pays V8's optimising compile of PGlite's
// WebAssembly (about 0.4 s and 1 CPU-s here): one replay first, as a warm-up.
const pgliteFirst = await replay(() => createPgliteStore({ dataDir: join(work, "warm-up") }));
const pglite = await replay(() => createPgliteStore({ dataDir: join(work, "db") }));
const pgliteBare = await bareInsert(join(work, "bare"));
const pgUrl = process.env.VAFA_PG_URL;
const postgres = pgUrl
  ? await replay(() =>
      createPostgresStore({
        connectionString: pgUrl,
        schema: `bench_floor_${Date.now().toString(36)}_${process.pid}`,
      }),
    )
  : undefined;
rmSync(work, { recursive: true, force: true });

process.stdout.write(
  `RESULT ${JSON.stringify({
    cores,
    lines: lineLimit,
    parseMicros: round(parseUs, 2),
    chainMicros: round(chainUs, 2),
    auditMicros: round(auditUs, 2),
    // Every core doing nothing but this, with no cost to share the work.
    auditEventsPerSecond: Math.round((cores * 1e6) / auditUs),
    chainEventsPerSecond: Math.round((cores * 1e6) / chainUs),
    commands: commands.length,
    eventsPerCommand: round(eventsPerCommand, 2),
    sealMicrosPerCommand: round(sealUs, 2),
    commandParseMicros: round(commandParseUs, 2),
    ledgerCommandsPerSecond: Math.round(1e6 / sealUs),
    cliCommandsPerSecond: Math.round(1e6 / (sealUs + commandParseUs)),
    pgliteFirst,
    pglite,
    pgliteBare,
    ...(postgres ? { postgres } : {}),
    checked: sink > 0,
    maxRssMiB: round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
