import { createLedger, type DrawHeldData, type KeyStore } from "@vafa/core";
import { EXIT, failure } from "../errors.js";
import { type CliIo, writeOut } from "../io.js";
import { checkKeyStoreFlags, ledgerKeyStore } from "../ledger-keys.js";
import { loadProgram } from "../program-file.js";
import { openStore } from "../stores.js";

export interface DrawOptions {
  program: string;
  store: string;
  draw: string;
  seed: string;
  beacon?: string;
  /** Normalised ISO time. */
  at: string;
  json?: boolean;
  /** `--key-store` (club-v1 §6); default: the store's own key table. */
  keyStore?: string;
  /** `--test-data-keys`: the golden vectors' derived keys. */
  testDataKeys?: boolean;
}

/**
 * `vafa draw` (club spec §3, §8): holds a prize draw with the revealed seed
 * (and beacon) and gives the winners their events. Running it again with the
 * same flags is a no-op that completes winners a crash left without events.
 * Exit 0 when held (or already held the same way), 3 when refused.
 */
export const runDraw = async (options: DrawOptions, io: CliIo): Promise<number> => {
  const program = await loadProgram(options.program);
  await checkKeyStoreFlags(options, program);
  const store = await openStore(options.store);
  let keyStore: KeyStore | undefined;
  try {
    // A program that encrypts needs its key store even here: the ledger opens members' streams (club-v1 §6).
    keyStore = await ledgerKeyStore(options, store, program, io);
    const ledger = createLedger({ store, program, ...(keyStore ? { keyStore } : {}) });
    await ledger.publishProgram(options.at);
    const outcome = await ledger.execute({
      type: "draw",
      at: options.at,
      drawId: options.draw,
      seed: options.seed,
      ...(options.beacon !== undefined ? { beacon: options.beacon } : {}),
    });
    if (outcome.status === "rejected") {
      const { code, message } = outcome.rejection;
      await writeOut(
        options.json ? io.stdout : io.stderr,
        options.json
          ? `${JSON.stringify({ drawId: options.draw, code, message })}\n`
          : `draw ${options.draw}: ${code} ${message}\n`,
      );
      return EXIT.rejections;
    }
    const held = (await store.readStream(`draw-${options.draw}`)).find((e) => e.type === "DrawHeld")
      ?.data as DrawHeldData;
    const summary = {
      drawId: options.draw,
      at: options.at,
      tickets: held.tickets,
      entrants: held.entrants,
      winners: held.winners,
      events: outcome.events.length,
    };
    const winners = held.winners.map((w) => `rank ${w.rank} ${w.memberId} (${w.tickets} tickets)`).join(", ");
    await writeOut(
      io.stdout,
      options.json
        ? `${JSON.stringify(summary)}\n`
        : `draw ${options.draw} at ${options.at}: ${held.tickets} tickets of ${held.entrants} entrants; ${winners || "no winners"}; ${outcome.events.length} events appended\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Error && error.name === "CliError") throw error;
    throw failure(
      `draw ${options.draw} stopped: ${error instanceof Error ? error.message : String(error)}; run the same draw again, it completes what is missing`,
      error,
    );
  } finally {
    await keyStore?.close?.().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
};
