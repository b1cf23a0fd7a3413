import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createMemoryStore } from "@vafa/adapters/memory";
import { type Command, createLedger, type EventEnvelope, toEnvelope } from "@vafa/core";
import { BENCH_PROGRAM } from "../lib/program.js";
import { arg, finish, round } from "../lib/task.js";

// Command throughput of the ledger (createLedger + memory store) on the
// recorded commands of the data set, one fresh store per chunk of members (a
// sweep covers exactly the chunk's members, as in the generator). Then every
// stream the ledger appended is compared with the data set: ids, hashes and
// JSON must be equal, which is what proves the generator valid.

const dir = arg("dir");
const chunks = Number(arg("chunks"));
const eventsPath = arg("events");
const limit = Number(arg("limit"));

const comparable = (e: EventEnvelope): string =>
  JSON.stringify(toEnvelope({ ...e, recordedAt: e.occurredAt }));

let commands = 0;
let rejected = 0;
const firstRejections: string[] = [];
let busyMs = 0;
const streams = new Map<string, string[]>();
for (let chunk = 0; chunk < chunks; chunk++) {
  if (commands >= limit) break;
  const lines = readFileSync(`${dir}/commands-${chunk}.ndjson`, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .slice(0, limit - commands);
  const parsed = lines.map((l) => JSON.parse(l) as Command);
  const store = createMemoryStore();
  const ledger = createLedger({ store, program: BENCH_PROGRAM });
  const t0 = performance.now();
  await ledger.publishProgram((parsed[0] as { at: string }).at);
  for (const command of parsed) {
    const outcome = await ledger.execute(command);
    commands++;
    if (outcome.status === "rejected") {
      rejected++;
      if (firstRejections.length < 5)
        firstRejections.push(`${JSON.stringify(command)} -> ${outcome.rejection.code}`);
    }
  }
  busyMs += performance.now() - t0;
  for (const streamId of await store.listStreams("member-"))
    streams.set(
      streamId,
      (await store.readStream(streamId)).map((e) => comparable(e)),
    );
}

// Compare with the data set: its first streams are these chunks' members.
const lastStream = [...streams.keys()].sort().at(-1);
let compared = 0;
let mismatches = 0;
const firstMismatches: string[] = [];
const seen = new Set<string>();
const input = createInterface({ input: createReadStream(eventsPath), crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of input) {
  const e = JSON.parse(line) as EventEnvelope;
  const expected = streams.get(e.streamId);
  if (expected === undefined) continue;
  seen.add(e.streamId);
  if (e.revision >= expected.length) continue; // the ledger ran a prefix of the commands
  const got = expected[e.revision];
  compared++;
  if (got !== comparable(e)) {
    mismatches++;
    if (firstMismatches.length < 3)
      firstMismatches.push(`generator: ${comparable(e)}\nledger:    ${got ?? "(missing)"}`);
  }
  if (seen.size === streams.size && e.revision + 1 >= expected.length) {
    // Every ledger stream reached; stop once the last one is compared in full.
    let done = true;
    for (const [id, s] of streams)
      if (id === e.streamId ? false : !seen.has(id) || s.length === 0) done = false;
    if (done && e.streamId === lastStream) break;
  }
}
let ledgerEvents = 0;
for (const s of streams.values()) ledgerEvents += s.length;
if (ledgerEvents !== compared) mismatches += Math.abs(ledgerEvents - compared);

finish({
  commands,
  rejected,
  firstRejections,
  seconds: round(busyMs / 1000, 2),
  commandsPerSecond: Math.round(commands / (busyMs / 1000)),
  ledgerEvents,
  compared,
  mismatches,
  firstMismatches,
});
