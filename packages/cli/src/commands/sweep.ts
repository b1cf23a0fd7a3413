import { createLedger, type KeyStore } from "@vafa/core";
import { readCouponSecret } from "../coupon-secret.js";
import { EXIT, failure } from "../errors.js";
import { type CliIo, writeOut } from "../io.js";
import { checkKeyStoreFlags, ledgerKeyStore } from "../ledger-keys.js";
import { loadProgram } from "../program-file.js";
import { openStore } from "../stores.js";

export interface SweepOptions {
  program: string;
  store: string;
  /** Normalised ISO time. */
  at: string;
  json?: boolean;
  couponSecretFile?: string;
  /** `--key-store` (club-v1 §6); default: the store's own key table. */
  keyStore?: string;
  /** `--test-data-keys`: the golden vectors' derived keys. */
  testDataKeys?: boolean;
}

/**
 * `vafa sweep` (spec 5.6): runs due expiries, birthdays and tier reviews for
 * every member at `at`. The program is published first if its version is new
 * (dated at `at`).
 */
export const runSweep = async (options: SweepOptions, io: CliIo): Promise<number> => {
  const program = await loadProgram(options.program);
  const couponSecret = await readCouponSecret(program, options.couponSecretFile);
  await checkKeyStoreFlags(options, program);
  const store = await openStore(options.store, { intent: "write" });
  let keyStore: KeyStore | undefined;
  try {
    keyStore = await ledgerKeyStore(options, store, program, io);
    const ledger = createLedger({
      store,
      program,
      ...(couponSecret ? { couponSecret } : {}),
      ...(keyStore ? { keyStore } : {}),
    });
    const published = await ledger.publishProgram(options.at);
    const outcome = await ledger.execute({ type: "sweep", at: options.at });
    if (outcome.status === "rejected") {
      await writeOut(
        io.stderr,
        `sweep at ${options.at}: ${outcome.rejection.code} ${outcome.rejection.message}\n`,
      );
      return EXIT.failure;
    }
    const events = published.events.length + outcome.events.length;
    await writeOut(
      io.stdout,
      options.json
        ? `${JSON.stringify({ at: options.at, events })}\n`
        : `swept at ${options.at}: ${events} events appended\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Error && error.name === "CliError") throw error;
    throw failure(
      `sweep at ${options.at} stopped: ${error instanceof Error ? error.message : String(error)}; run it again, it appends only what is still due`,
      error,
    );
  } finally {
    await keyStore?.close?.().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
};
