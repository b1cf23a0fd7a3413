/**
 * The outbox against a local stand-in of an SMS gateway (club-v1 §5).
 *
 *   node --import tsx examples/sms-outbox/main.ts
 *
 * A small club (names and phone numbers sealed under each member's key)
 * welcomes its members by SMS. The host's sender reads the outbox, posts each
 * message to the gateway with its messageKey as the idempotency key, and
 * records `message-sent` with the gateway's id. The first run crashes between
 * a send and its record; the second run sends that message again with the
 * same key: the gateway recognises it, and no member gets an SMS twice.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMemoryKeyStore, createMemoryStore } from "@vafa/adapters/memory";
import { type Command, createLedger, type Program } from "@vafa/core";
import { type Delivery, startGateway } from "./gateway.js";
import { dueSms, SimulatedCrash, sendOutbox } from "./sender.js";

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export const SINCE = "2024-01-01T00:00:00Z";
export const AS_OF = "2024-02-01T00:00:00Z";

export interface SmsOutboxResult {
  /** The messageKeys the outbox listed at first. */
  due: string[];
  /** What the gateway sent, in order. */
  delivered: Delivery[];
  /** `MessageSent` events in the store at the end. */
  recorded: number;
  /** What the outbox lists after both runs. */
  dueAfter: string[];
}

/** Sets up the club, runs the sender with a crash after `crashAfterSending` sends, then again. */
export const runSmsOutbox = async (
  options: { useIdempotencyKey?: boolean; crashAfterSending?: number; print?: (line: string) => void } = {},
): Promise<SmsOutboxResult> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const program = JSON.parse(readFileSync(here("program.json"), "utf8")) as Program;
  const commands = readFileSync(here("commands.ndjson"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Command);
  const store = createMemoryStore();
  const keyStore = createMemoryKeyStore();
  const ledger = createLedger({ store, program, keyStore });
  await ledger.publishProgram(SINCE);
  for (const c of commands) await ledger.execute(c);

  const gateway = await startGateway({ honourIdempotencyKey: true });
  try {
    const run = {
      store,
      ledger,
      keyStore,
      gatewayUrl: gateway.url,
      since: SINCE,
      asOf: AS_OF,
      ...(options.useIdempotencyKey === false ? { useIdempotencyKey: false } : {}),
    };
    const due = (await dueSms(store, keyStore, SINCE, AS_OF)).map((m) => m.messageKey);
    print(`outbox (${SINCE}, ${AS_OF}]: ${due.length} SMS due`);
    for (const key of due) print(`  ${key}`);
    try {
      await sendOutbox({ ...run, crashAfterSending: options.crashAfterSending ?? 2 });
      print("first run: finished");
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      print(`first run: ${error.message}`);
    }
    const second = await sendOutbox(run);
    print(`second run: ${second.due.length} still due, ${second.recorded} recorded`);
    let recorded = 0;
    for await (const e of store.readAll()) if (e.type === "MessageSent") recorded++;
    const dueAfter = (await dueSms(store, keyStore, SINCE, AS_OF)).map((m) => m.messageKey);
    print(`gateway sent ${gateway.delivered.length} SMS:`);
    for (const d of gateway.delivered) print(`  ${d.id} to ${d.to}: ${d.text}`);
    print(`message-sent recorded: ${recorded}; still due: ${dueAfter.length}`);
    return { due, delivered: [...gateway.delivered], recorded, dueAfter };
  } finally {
    await gateway.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runSmsOutbox();
