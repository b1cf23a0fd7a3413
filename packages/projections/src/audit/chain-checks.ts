import { hash } from "node:crypto";
import {
  EVENT_ID_NAMESPACE,
  type EventMetadata,
  type EventType,
  eventIdFor,
  genesisHash,
  hashEvent,
} from "@vafa/core";
import type { CheckedEnvelope, StreamKind } from "./envelope-schema.js";
import type { EventLocation, Findings } from "./findings.js";

// Per-stream envelope checks of spec 2: revisions, the hash chain, derived eventIds.

/** The tail of one stream's chain, as far as the audit has read it. */
export interface ChainTail {
  nextRevision: number;
  /** Recorded hash of the last event; undefined before the first, null when it had none. */
  lastHash: string | null | undefined;
  /** Events per commandId so far: the index of the next eventId (spec 2). */
  commandCounts: Map<string, number>;
  /** lastHash equals the hash computed from its event: 64 hex digits. */
  lastHashHex?: boolean;
}

export const checkRevision = (
  findings: Findings,
  s: ChainTail,
  revision: unknown,
  loc: EventLocation,
): void => {
  if (!Number.isInteger(revision)) return; // a SCHEMA finding already
  if (revision !== s.nextRevision)
    findings.at(loc, "REVISION_GAP", `revision ${revision} where ${s.nextRevision} comes next`);
  s.nextRevision = (revision as number) + 1;
};

/**
 * `hashEvent` of a valid envelope whose data's RFC 8785 text is known: its
 * eventId, occurredAt and type hold no character JSON escapes.
 */
const hashValidEvent = (prevHash: string, e: CheckedEnvelope, dataJcs: string): string | null => {
  const streamId = e.streamId as unknown as { isWellFormed(): boolean };
  if (!streamId.isWellFormed()) return null;
  return hash(
    "sha256",
    `${prevHash}\n{"data":${dataJcs},"eventId":"${e.eventId}","occurredAt":"${e.occurredAt}","revision":${e.revision},"streamId":${JSON.stringify(e.streamId)},"type":"${e.type}"}`,
    "hex",
  );
};

/**
 * The event's hash from its recorded prevHash (spec 2): undefined when the
 * event has no prevHash and hash strings, null when its body cannot be hashed.
 * `valid`: the envelope passed its checks and its data's canonical text is
 * known (`parseEventData`).
 */
export const computeHash = (
  raw: Record<string, unknown>,
  meta: Record<string, unknown>,
  streamId: string,
  valid?: { envelope: CheckedEnvelope; dataJcs: string },
): string | null | undefined => {
  const prevHash = meta.prevHash;
  if (typeof prevHash !== "string" || typeof meta.hash !== "string") return undefined;
  const computed = valid ? hashValidEvent(prevHash, valid.envelope, valid.dataJcs) : null;
  if (computed !== null) return computed;
  try {
    return hashEvent(prevHash, {
      streamId,
      revision: raw.revision as number,
      eventId: raw.eventId as string,
      type: raw.type as string,
      occurredAt: raw.occurredAt as string,
      data: raw.data,
    });
  } catch {
    return null;
  }
};

/** The prevHash the event must record: the genesis hash first, then the last recorded hash (null: none to compare). */
const expectedPrevHash = (s: ChainTail, streamId: string): string | null =>
  s.lastHash === undefined ? genesisHash(streamId) : s.lastHash;

/**
 * A string the stream's next prevHash can be compared with instead of testing
 * its 64 hex digits: the genesis hash, or the last hash when it was computed.
 */
export const knownHexPrevHash = (s: ChainTail, streamId: string): string | undefined =>
  s.lastHash === undefined
    ? genesisHash(streamId)
    : s.lastHashHex === true
      ? (s.lastHash as string)
      : undefined;

/**
 * The event's hash against its content, and the link to the previous recorded
 * hash (spec 2). `computed`: `computeHash` of the event, when the caller has it.
 */
export const checkHash = (
  findings: Findings,
  s: ChainTail,
  raw: Record<string, unknown>,
  meta: Record<string, unknown>,
  loc: EventLocation,
  valid?: { envelope: CheckedEnvelope; dataJcs: string },
  computed: string | null | undefined = computeHash(raw, meta, loc.streamId, valid),
): void => {
  const prevHash = meta.prevHash;
  const hash = meta.hash;
  const isFirst = s.lastHash === undefined;
  const expectedPrev = expectedPrevHash(s, loc.streamId);
  s.lastHash = typeof hash === "string" ? hash : null;
  s.lastHashHex = typeof computed === "string" && computed === hash;
  if (typeof prevHash !== "string" || typeof hash !== "string") {
    findings.at(loc, "HASH_MISMATCH", "the event has no prevHash and hash to verify");
    return;
  }
  const problems: string[] = [];
  if (computed === null || computed === undefined) problems.push("the event body cannot be hashed");
  else if (computed !== hash) problems.push("hash does not match the event's content");
  if (expectedPrev !== null && prevHash !== expectedPrev)
    problems.push(
      isFirst ? "prevHash is not the stream's genesis hash" : "prevHash is not the previous event's hash",
    );
  if (problems.length > 0) findings.at(loc, "HASH_MISMATCH", problems.join("; "));
};

// The name of spec 2's UUID v5 is written after its namespace in one buffer
// (a view per length, kept), and the digest's hex compared with the recorded
// id digit by digit: the id's text is made only when it differs (core's
// `eventIdFor` makes three buffers and six strings per event).
const NAMESPACE = Buffer.from(EVENT_ID_NAMESPACE.replaceAll("-", ""), "hex");
const NAME = Buffer.alloc(4096);
NAMESPACE.copy(NAME);
const views: Buffer[] = [];
const HEX = "0123456789abcdef";
const nibble = (hex: string, i: number): number => {
  const c = hex.charCodeAt(i);
  return c <= 0x39 ? c - 0x30 : c - 0x57;
};

/** Whether `eventId` is `eventIdFor(streamId, commandId, index)`. */
export const isDerivedEventId = (
  eventId: string,
  streamId: string,
  commandId: string,
  index: number,
): boolean => {
  const name = `${streamId}|${commandId}|${index}`;
  if (eventId.length !== 36 || 16 + name.length * 3 > NAME.length)
    return eventId === eventIdFor(streamId, commandId, index);
  const length = 16 + NAME.write(name, 16, "utf8");
  let view = views[length];
  if (view === undefined) {
    view = NAME.subarray(0, length);
    views[length] = view;
  }
  const digest = hash("sha1", view, "hex");
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (at === 8 || at === 13 || at === 18 || at === 23) {
      if (eventId.charCodeAt(at) !== 0x2d) return false;
      at++;
    }
    // Version 5 in byte 6's high digit, the RFC variant in byte 8's top bits.
    const high = i === 6 ? 5 : i === 8 ? 8 | (nibble(digest, 16) & 3) : nibble(digest, 2 * i);
    if (eventId[at] !== HEX[high] || eventId[at + 1] !== digest[2 * i + 1]) return false;
    at += 2;
  }
  return true;
};

/**
 * The eventId against streamId|commandId|index (spec 2). Returns the eventId
 * when it does not re-derive (a stray id, whose repeats the caller checks).
 * `derived`: `isDerivedEventId` of the event, when the caller has it.
 */
export const checkEventId = (
  findings: Findings,
  s: ChainTail,
  commandId: string,
  loc: EventLocation,
  derived?: boolean,
): string | null => {
  const index = s.commandCounts.get(commandId) ?? 0;
  s.commandCounts.set(commandId, index + 1);
  if (loc.eventId === null) return null;
  if (derived ?? isDerivedEventId(loc.eventId, loc.streamId, commandId, index)) return null;
  const expected = eventIdFor(loc.streamId, commandId, index);
  findings.at(
    loc,
    "SCHEMA",
    `eventId does not re-derive from ${loc.streamId}|${commandId}|${index} (${expected})`,
  );
  return loc.eventId;
};

/** Usable fields of metadata that failed its schema (program checks skip a NaN version). */
export const bestEffortMetadata = (meta: Record<string, unknown>): EventMetadata => ({
  schemaVersion: typeof meta.schemaVersion === "number" ? meta.schemaVersion : Number.NaN,
  programId: typeof meta.programId === "string" ? meta.programId : "",
  programVersion: typeof meta.programVersion === "number" ? meta.programVersion : Number.NaN,
  commandId: typeof meta.commandId === "string" ? meta.commandId : "",
  correlationId: typeof meta.correlationId === "string" ? meta.correlationId : "",
  prevHash: typeof meta.prevHash === "string" ? meta.prevHash : "",
  hash: typeof meta.hash === "string" ? meta.hash : "",
});

/** The kind of stream an event type belongs in. */
export const kindOfType = (type: EventType): StreamKind =>
  type === "ProgramPublished"
    ? "program"
    : type === "RewardClaimed" || type === "RewardReleased"
      ? "reward"
      : type === "DrawHeld"
        ? "draw"
        : "member";
