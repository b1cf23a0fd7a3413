import { randomUUID } from "node:crypto";
import { createMemoryStore } from "@vafa/adapters/memory";
import { createPostgresStore } from "@vafa/adapters/postgres";
import { afterAll } from "vitest";
import {
  availablePoints,
  type Command,
  type CommandOutcome,
  createLedger,
  type EventStore,
  foldMemberEvents,
  type KeyStore,
  type Program,
  parseTime,
  pendingPoints,
} from "../index.js";
import { createTestKeyStore } from "./key-store.js";
import { baseProgram } from "./program.js";

export { baseProgram, program } from "./program.js";

const opened: Promise<EventStore>[] = [];
afterAll(async () => {
  for (const p of opened.splice(0)) await (await p).close();
});

/** An event store that opens on first use, so tests can build clubs synchronously. */
const lazyStore = (open: () => Promise<EventStore>): EventStore => {
  let store: Promise<EventStore> | undefined;
  const get = () => {
    if (!store) {
      store = open();
      opened.push(store);
    }
    return store;
  };
  return {
    appendToStream: async (...a) => (await get()).appendToStream(...a),
    appendToStreams: async (...a) => (await get()).appendToStreams(...a),
    readStream: async (...a) => (await get()).readStream(...a),
    readStreams: async (...a) => (await get()).readStreams(...a),
    listStreams: async (...a) => (await get()).listStreams(...a),
    async *readAll(options) {
      yield* (await get()).readAll(options);
    },
    subscribe: () => {
      throw new Error("subscribe is not used by the ledger tests");
    },
    close: async () => {
      if (!store) return;
      const open = store;
      store = undefined;
      opened.splice(opened.indexOf(open), 1);
      await (await open).close();
    },
  };
};

/**
 * The store the ledger tests run on: memory by default; a fresh schema on the
 * PostgreSQL server at VAFA_PG_URL when VAFA_LEDGER_STORE=postgres (CI runs the
 * whole ledger test set once that way, issue 4).
 */
export const testStore = (): EventStore => {
  const url = process.env.VAFA_PG_URL;
  if (process.env.VAFA_LEDGER_STORE !== "postgres") return createMemoryStore();
  if (!url) throw new Error("VAFA_LEDGER_STORE=postgres needs VAFA_PG_URL");
  return lazyStore(() =>
    createPostgresStore({ connectionString: url, schema: `t_${randomUUID().replaceAll("-", "")}` }),
  );
};

/** The coupon secret of the club-v1 test vectors. */
export const TEST_COUPON_SECRET = "vafa-test-secret";

export const club = (
  prog: Program = baseProgram(),
  store: EventStore = testStore(),
  couponSecret: string | undefined = TEST_COUPON_SECRET,
  /** Members' data keys (club-v1 §6): the test vectors' keys by default. */
  keyStore: KeyStore = createTestKeyStore(),
) => {
  const ledger = createLedger({ store, program: prog, keyStore, ...(couponSecret ? { couponSecret } : {}) });
  // Tests send malformed commands on purpose: execute validates them at run time.
  const run = (command: Record<string, unknown>): Promise<CommandOutcome> =>
    ledger.execute(command as Command);
  /** Runs commands and fails loudly on the first rejection. */
  const ok = async (...commands: Record<string, unknown>[]) => {
    const events = [];
    for (const c of commands) {
      const outcome = await run(c);
      if (outcome.status !== "accepted")
        throw new Error(
          `${JSON.stringify(c)} rejected: ${outcome.rejection.code} ${outcome.rejection.message}`,
        );
      events.push(...outcome.events);
    }
    return events;
  };
  const code = async (command: Record<string, unknown>) => {
    const outcome = await run(command);
    return outcome.status === "rejected" ? outcome.rejection.code : "ACCEPTED";
  };
  const stream = (memberId: string) => store.readStream(`member-${memberId}`);
  const state = async (memberId: string) =>
    foldMemberEvents(`member-${memberId}`, prog.tiers.levels[0]?.id ?? "", await stream(memberId));
  const balance = async (memberId: string, at: string) => {
    const s = await state(memberId);
    const now = parseTime(at) as number;
    return { available: availablePoints(s, now), pending: pendingPoints(s, now), debt: s.debt, tier: s.tier };
  };
  const types = async (memberId: string) => (await stream(memberId)).map((e) => e.type);
  return { ledger, store, keyStore, run, ok, code, stream, state, balance, types };
};

export const join = (memberId: string, at: string, extra: Record<string, unknown> = {}) => ({
  type: "join",
  memberId,
  at,
  kind: "person",
  ...extra,
});
export const purchase = (memberId: string, at: string, purchaseId: string, amount: string, extra = {}) => ({
  type: "purchase",
  memberId,
  at,
  purchaseId,
  amount,
  ...extra,
});
export const refund = (
  memberId: string,
  at: string,
  purchaseId: string,
  refundId: string,
  amount: string,
) => ({
  type: "refund",
  memberId,
  at,
  purchaseId,
  refundId,
  amount,
});
export const redeem = (memberId: string, at: string, redemptionId: string, points: number) => ({
  type: "redeem",
  memberId,
  at,
  redemptionId,
  points,
});
export const reverse = (memberId: string, at: string, redemptionId: string) => ({
  type: "reverse-redemption",
  memberId,
  at,
  redemptionId,
});
export const adjust = (memberId: string, at: string, adjustmentId: string, points: number) => ({
  type: "adjust",
  memberId,
  at,
  adjustmentId,
  points,
  reason: "test",
  actor: "ops@test",
});

/** The ledger rules tests' first day, and day `n` after it at `time` (UTC). */
export const T0 = "2011-01-01T10:00:00Z";
export const day = (n: number, time = "10:00:00") => {
  const d = new Date(Date.UTC(2011, 0, 1 + n));
  return `${d.toISOString().slice(0, 10)}T${time}Z`;
};
