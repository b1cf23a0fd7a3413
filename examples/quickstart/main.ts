/**
 * Quickstart: a loyalty club on four months of a real UK online shop.
 *
 *   pnpm demo                      # embedded PGlite store in ./.vafa (durable)
 *   pnpm demo -- --memory          # in-memory store (nothing kept)
 *   pnpm demo -- --dir /tmp/club   # another PGlite directory
 *
 * Run it twice: the second run finds the members of the first and appends
 * nothing, because every command is idempotent.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createLedger, type EventStore, type Program } from "@vafa/core";
import { countMembers, firstAt, importCommands, parseNdjson } from "./club.js";
import { summarize } from "./summary.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/online-retail/${name}`, import.meta.url));

export interface QuickstartOptions {
  store: EventStore;
  /** Where to write lines (default: console.log). */
  print?: (line: string) => void;
  /** Only the first `limit` commands of the slice (tests use it to stay fast). */
  limit?: number;
  /** Called every 250 commands. */
  onProgress?: (done: number, total: number) => void;
}

export interface QuickstartResult {
  membersBefore: number;
  membersAfter: number;
  accepted: number;
  replays: number;
  rejected: number;
  events: number;
}

/** Runs the club on the store: publish, import the slice, print balances and counts. */
export const runQuickstart = async (options: QuickstartOptions): Promise<QuickstartResult> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const program = JSON.parse(readFileSync(fixture("program.json"), "utf8")) as Program;
  const commands = parseNdjson(readFileSync(fixture("slice-commands.ndjson"), "utf8")).slice(
    0,
    options.limit,
  );
  const { store } = options;

  const membersBefore = await countMembers(store);
  print(`members already in the store: ${membersBefore}`);

  const ledger = createLedger({ store, program });
  print(`importing ${commands.length} commands of fixtures/online-retail/slice-commands.ndjson...`);
  const started = performance.now();
  const summary = await importCommands(ledger, commands, firstAt(commands), (done) =>
    options.onProgress?.(done, commands.length),
  );
  const seconds = (performance.now() - started) / 1000;
  const rejected = Object.values(summary.rejected).reduce((a, b) => a + (b ?? 0), 0);
  const membersAfter = await countMembers(store);

  print(`commands: ${commands.length} in ${seconds.toFixed(1)} s`);
  print(`  decided now:         ${summary.accepted} (sweeps are decided at every run)`);
  print(`  already applied:     ${summary.replays} (replays of earlier commands: nothing appended)`);
  print(`  rejected:            ${rejected} ${JSON.stringify(summary.rejected)}`);
  print(`events appended by this run: ${summary.events}`);
  print(`members now: ${membersAfter}`);
  if (membersBefore > 0 && summary.events === 0)
    print("nothing was applied twice: this run appended no events");

  await summarize(store, program, print);
  return {
    membersBefore,
    membersAfter,
    accepted: summary.accepted,
    replays: summary.replays,
    rejected,
    events: summary.events,
  };
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: { memory: { type: "boolean", default: false }, dir: { type: "string", default: "./.vafa" } },
  });
  let store: EventStore;
  if (values.memory) {
    const { createMemoryStore } = await import("@vafa/adapters/memory");
    store = createMemoryStore();
    console.log("store: memory (nothing is kept after this run)");
  } else {
    const { createPgliteStore } = await import("@vafa/adapters/pglite");
    store = await createPgliteStore({ dataDir: values.dir });
    console.log(`store: pglite:${values.dir} (embedded PostgreSQL; run again to see idempotency)`);
  }
  try {
    await runQuickstart({
      store,
      onProgress: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${total} commands...`);
      },
    });
  } finally {
    await store.close();
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    const e = error as { code?: string; message?: string };
    console.error(`quickstart failed: ${e.code ? `${e.code}: ` : ""}${e.message ?? String(error)}`);
    process.exit(1);
  });
}
