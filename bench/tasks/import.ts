import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createPgliteStore } from "@vafa/adapters/pglite";
import { createPostgresStore } from "@vafa/adapters/postgres";
import { type Command, type CommandOutcome, createLedger, type EventStore } from "@vafa/core";
import { runImport } from "../../packages/cli/src/commands/import.js";
import type { CliIo } from "../../packages/cli/src/io.js";
import { BENCH_PROGRAM } from "../lib/program.js";
import { arg, finish, round } from "../lib/task.js";

// Import throughput (issue 11): the first `--limit` recorded commands of the
// data set, run one way (`--via execute | executeMany | cli`) into one store
// (`--store memory | pglite | postgres`). `cli` is `vafa import` in this
// process (runImport, the command's code) on an NDJSON file, without the
// process start. PGlite writes to a temporary directory with full durability,
// as the CLI's default store does.

const dir = arg("dir");
const chunks = Number(arg("chunks"));
const limit = Number(arg("limit"));
const via = arg("via") as "execute" | "executeMany" | "cli";
const storeKind = arg("store") as "memory" | "pglite" | "postgres";
const BATCH = 2000;

const commands: string[] = [];
for (let chunk = 0; chunk < chunks && commands.length < limit; chunk++)
  for (const line of readFileSync(`${dir}/commands-${chunk}.ndjson`, "utf8").split("\n"))
    if (line !== "" && commands.length < limit) commands.push(line);

const work = mkdtempSync(join(tmpdir(), "vafa-bench-import-"));
const pgUrl = process.env.VAFA_PG_URL;
const schema = `bench_${Date.now().toString(36)}_${process.pid}`;
if (storeKind === "postgres" && !pgUrl) throw new Error("--store postgres needs VAFA_PG_URL");

const openStore = (): Promise<EventStore> =>
  storeKind === "memory"
    ? Promise.resolve(createMemoryStore())
    : storeKind === "pglite"
      ? createPgliteStore({ dataDir: join(work, "db") })
      : createPostgresStore({ connectionString: pgUrl as string, schema });

let accepted = 0;
let rejected = 0;
const started = performance.now();
let cpuBefore = process.cpuUsage();
if (via === "cli") {
  const input = join(work, "commands.ndjson");
  const programFile = join(work, "program.json");
  writeFileSync(input, `${commands.join("\n")}\n`);
  writeFileSync(programFile, JSON.stringify(BENCH_PROGRAM));
  const store =
    storeKind === "memory"
      ? "memory:"
      : storeKind === "pglite"
        ? `pglite:${join(work, "db")}`
        : `${pgUrl}${pgUrl?.includes("?") ? "&" : "?"}schema=${schema}`;
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout,
    stderr: new PassThrough().resume(),
    onInterrupt: () => () => {},
  };
  const t0 = performance.now();
  cpuBefore = process.cpuUsage();
  await runImport({ program: programFile, store, json: true, input }, io);
  const summary = JSON.parse(out) as { accepted: number; rejected: number };
  accepted = summary.accepted;
  rejected = summary.rejected;
  report(performance.now() - t0);
} else {
  // The generator wrote them from `Command` values; the ledger checks each one again.
  const parsed = commands.map((l) => JSON.parse(l) as Command);
  const store = await openStore();
  const ledger = createLedger({ store, program: BENCH_PROGRAM });
  await ledger.publishProgram((parsed[0] as Command).at);
  const t0 = performance.now();
  cpuBefore = process.cpuUsage();
  if (via === "execute")
    for (const command of parsed) {
      const outcome = await ledger.execute(command);
      if (outcome.status === "accepted") accepted++;
      else rejected++;
    }
  else {
    // As `vafa import` does: each call chained after the one before (`after`), so it is
    // decided while that one is stored; one call in flight besides the one being decided.
    const count = (outcomes: readonly CommandOutcome[]) => {
      for (const outcome of outcomes) {
        if (outcome.status === "accepted") accepted++;
        else rejected++;
      }
    };
    let before: Promise<CommandOutcome[]> | undefined;
    for (let i = 0; i < parsed.length; i += BATCH) {
      const call = ledger.executeMany(parsed.slice(i, i + BATCH), before ? { after: before } : {});
      if (before) count(await before);
      before = call;
    }
    if (before) count(await before);
  }
  const ms = performance.now() - t0;
  await store.close();
  report(ms);
}

function report(ms: number): void {
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  rmSync(work, { recursive: true, force: true });
  finish({
    via,
    store: storeKind,
    commands: commands.length,
    accepted,
    rejected,
    seconds: round(ms / 1000, 3),
    commandsPerSecond: Math.round(commands.length / (ms / 1000)),
    // CPU of this process while importing: a loaded machine inflates wall time, not this
    // (PGlite runs in this process; a PostgreSQL server's own CPU is not counted).
    cpuSeconds: round(cpuSeconds, 2),
    commandsPerCpuSecond: Math.round(commands.length / cpuSeconds),
    totalSeconds: round((performance.now() - started) / 1000, 2),
  });
}
