import type { EventStore, KeyStore, Ledger } from "@vafa/core";
import { ClubProjection, type OutboxMessage, outbox, rebuildFromStore } from "@vafa/projections";

// The host's side of the outbox (club-v1 §5): read what is due, hand each SMS
// to the gateway with the messageKey as its idempotency key, and record what
// the gateway answered with a `message-sent` command. The key makes the pair
// "send, then record" safe to repeat: after a crash between the two, the next
// run finds the message still due (nothing recorded), sends it again with the
// same key, and the gateway answers with the first id without sending twice.

/** Thrown by `crashAfterSending`: the process "dies" after a send, before its record. */
export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";
}

export interface SendOutboxOptions {
  store: EventStore;
  ledger: Ledger;
  /** Members' data keys: names and phone numbers are sealed (club-v1 §6). */
  keyStore: KeyStore;
  gatewayUrl: string;
  /** The interval (since, asOf]; `asOf` also dates each `message-sent`. */
  since: string;
  asOf: string;
  /** Pass the messageKey as the gateway's idempotency key (default true). */
  useIdempotencyKey?: boolean;
  /** Crash right after the n-th send of this run, before recording it (tests). */
  crashAfterSending?: number;
}

export interface SendOutboxResult {
  /** The messages the outbox listed. */
  due: OutboxMessage[];
  /** Gateway answers recorded as `message-sent`. */
  recorded: number;
}

/** The SMS outbox for (since, asOf], as of now in the store. */
export const dueSms = async (
  store: EventStore,
  keyStore: KeyStore,
  since: string,
  asOf: string,
): Promise<OutboxMessage[]> => {
  const club = new ClubProjection();
  await rebuildFromStore(store, club);
  // The projection's key lookup is synchronous: read the keys it needs first.
  const keys = new Map<string, Uint8Array>();
  for (const member of club.members()) {
    if (!member.sealed) continue;
    const key = await keyStore.get(member.memberId);
    if (key !== undefined) keys.set(member.memberId, key);
  }
  return outbox(club, since, asOf, (id) => keys.get(id), { channel: "sms" });
};

/** One run of the host's sender. */
export const sendOutbox = async (options: SendOutboxOptions): Promise<SendOutboxResult> => {
  const due = await dueSms(options.store, options.keyStore, options.since, options.asOf);
  let sent = 0;
  let recorded = 0;
  for (const message of due) {
    const response = await fetch(`${options.gatewayUrl}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.useIdempotencyKey === false ? {} : { "idempotency-key": message.messageKey }),
      },
      body: JSON.stringify({ to: message.to, text: message.text }),
    });
    if (!response.ok) throw new Error(`gateway answered ${response.status} for ${message.messageKey}`);
    const { id } = (await response.json()) as { id: string };
    sent++;
    if (sent === options.crashAfterSending)
      throw new SimulatedCrash(`crashed after sending ${message.messageKey}, before recording it`);
    const outcome = await options.ledger.execute({
      type: "message-sent",
      memberId: message.memberId,
      at: options.asOf,
      messageKey: message.messageKey,
      channel: message.channel,
      providerMessageId: id,
    });
    if (outcome.status !== "accepted")
      throw new Error(
        `message-sent ${message.messageKey}: ${outcome.rejection.code} ${outcome.rejection.message}`,
      );
    recorded++;
  }
  return { due, recorded };
};
