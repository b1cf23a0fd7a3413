import {
  type DecideContext,
  type DecideInput,
  draftDecision,
  needsDataKey,
  type SealedDecision,
  sealDrafted,
} from "../decide/index.js";
import type { StoredEvent } from "../envelope.js";
import { VafaError } from "../errors.js";
import { hasSealedValue, openEventData } from "../privacy/event-data.js";
import type { KeyStore } from "../privacy/key-store.js";
import type { Program } from "../program.js";
import { encryptsPersonalData } from "../program-messages.js";

// Personal data in the application layer (club-v1 §6): the decider sees plain
// values; they are sealed under the member's key after the decision and
// before hashing, and opened when a stream is loaded.

const MEMBER_PREFIX = "member-";

const memberIdOf = (streamId: string): string => streamId.slice(MEMBER_PREFIX.length);

/** A program that encrypts cannot start without a key store (club-v1 §6). */
export const checkKeyStore = (program: Program, keyStore: KeyStore | undefined): void => {
  if (encryptsPersonalData(program) && keyStore === undefined)
    throw new VafaError(
      "KEY_STORE_MISSING",
      `program ${program.programId} sets privacy.encryptPersonalData but the ledger was given no key store`,
      "pass a keyStore to createLedger (the CLI opens the store's own key table; for EventStoreDB name one with --key-store), club-v1 §6",
    );
};

/**
 * Decides and seals one input: a member key is made (or read) only when the
 * events carry a personal value to seal, so commands without one never touch
 * the key store.
 */
export const decideSealing = async (
  input: DecideInput,
  state: Parameters<typeof draftDecision>[1],
  ctx: DecideContext,
  keyStore: KeyStore | undefined,
): Promise<SealedDecision> => {
  const d = draftDecision(input, state, ctx);
  if (keyStore === undefined || !needsDataKey(d, ctx)) return sealDrafted(state, d, ctx);
  return sealDrafted(state, d, ctx, await keyStore.create(memberIdOf(state.streamId)));
};

/**
 * A member stream's events with their sealed values opened (club-v1 §6): a
 * value whose key is gone is left out, as every read after `forget` shows it.
 * Without a key store, sealed values stay as they are and read as unknown.
 */
export const openStream = async <E extends StoredEvent>(
  streamId: string,
  events: E[],
  keyStore: KeyStore | undefined,
): Promise<E[]> => {
  if (keyStore === undefined || !streamId.startsWith(MEMBER_PREFIX)) return events;
  if (!events.some((e) => hasSealedValue(e.data))) return events;
  const key = await keyStore.get(memberIdOf(streamId));
  return events.map((e) =>
    hasSealedValue(e.data) ? { ...e, data: openEventData(e.data, e.eventId, key) } : e,
  );
};
