import { EVENT_TYPES, type EventType, ID_PATTERN, parseTime, SCHEMA_VERSION } from "@vafa/core";
import type { z } from "zod";

// Envelope and metadata rules of spec 2, checked by the audit (spec 7 SCHEMA).

// Hand-written checks rather than zod objects: they run once per event of
// exports with millions of events, and zod's allocation cost dominated the audit.
const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_OUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ENVELOPE_KEYS = new Set([
  "streamId",
  "revision",
  "eventId",
  "type",
  "occurredAt",
  "recordedAt",
  "data",
  "metadata",
  "position",
]);
const METADATA_KEYS = new Set([
  "schemaVersion",
  "programId",
  "programVersion",
  "commandId",
  "correlationId",
  "actor",
  "prevHash",
  "hash",
]);
const TYPES = new Set<string>(EVENT_TYPES);

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const twoDigits = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/**
 * `parseTime(v) !== undefined` for a UTC ISO time with milliseconds, read
 * from its digits: core's parse makes a Date and its text to prove the date
 * real, several times per event.
 */
export const isTimeOut = (v: unknown): v is string => {
  if (typeof v !== "string" || !ISO_OUT.test(v)) return false;
  const year = twoDigits(v, 0) * 100 + twoDigits(v, 2);
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  if (twoDigits(v, 11) > 23 || twoDigits(v, 14) > 59 || twoDigits(v, 17) > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number));
};

const threeDigits = (s: string, i: number): number => twoDigits(s, i) * 10 + s.charCodeAt(i + 2) - 48;

/**
 * `Date.parse(v)` of a time that passed `isTimeOut`, from its digits (days
 * from the civil date, proleptic Gregorian as ECMAScript counts them):
 * Date.parse reads the text again, several times per event.
 */
export const timeOutMs = (v: string): number => {
  const month = twoDigits(v, 5);
  const y = twoDigits(v, 0) * 100 + twoDigits(v, 2) - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + twoDigits(v, 8) - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return (
    ((days * 24 + twoDigits(v, 11)) * 60 + twoDigits(v, 14)) * 60000 +
    twoDigits(v, 17) * 1000 +
    threeDigits(v, 20)
  );
};

/** `Date.parse(v)`, from the digits when `v` is a UTC ISO time with milliseconds. */
export const timeMs = (v: string): number => (isTimeOut(v) ? timeOutMs(v) : Date.parse(v));

const isSafeInt = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** An "unknown key" problem per key of `o` not in `known`, in Object.keys order. */
const pushUnknownKeys = (o: object, known: Set<string>, prefix: string, problems: string[]): void => {
  // for...in lists a plain object's keys in that order (Object.prototype has
  // no enumerable key), without an array per event.
  if (Object.getPrototypeOf(o) === Object.prototype) {
    for (const key in o) if (!known.has(key)) problems.push(`${prefix}.${key}: unknown key`);
  } else
    for (const key of Object.keys(o)) if (!known.has(key)) problems.push(`${prefix}.${key}: unknown key`);
};

export interface CheckedEnvelope {
  streamId: string;
  revision: number;
  eventId: string;
  type: EventType;
  occurredAt: string;
  recordedAt: string;
}

/**
 * The envelope of spec 2 (data and metadata are checked apart); problems or
 * the checked fields. `derivedId`: the eventId re-derives (`isDerivedEventId`),
 * so it is a UUID without testing its text.
 */
export const checkEnvelope = (
  raw: Record<string, unknown>,
  derivedId = false,
): { problems: string[]; envelope?: CheckedEnvelope } => {
  const problems: string[] = [];
  pushUnknownKeys(raw, ENVELOPE_KEYS, "envelope", problems);
  if (!isText(raw.streamId)) problems.push("envelope.streamId: must be a non-empty string");
  if (!isSafeInt(raw.revision, 0)) problems.push("envelope.revision: must be an integer >= 0");
  if (typeof raw.eventId !== "string" || (!derivedId && !UUID.test(raw.eventId)))
    problems.push("envelope.eventId: must be a UUID");
  if (!TYPES.has(raw.type as string)) problems.push(`envelope.type: unknown event type`);
  if (!isTimeOut(raw.occurredAt))
    problems.push("envelope.occurredAt: must be a UTC ISO time with milliseconds");
  const recordedAt = raw.recordedAt;
  if (!isTimeOut(recordedAt) && (typeof recordedAt !== "string" || parseTime(recordedAt) === undefined))
    problems.push("envelope.recordedAt: must be a time");
  if (!("data" in raw)) problems.push("envelope.data: missing");
  const position = raw.position;
  if (position !== undefined && !["bigint", "number", "string"].includes(typeof position))
    problems.push("envelope.position: must be a number");
  if (problems.length > 0) return { problems };
  return { problems, envelope: raw as unknown as CheckedEnvelope };
};

/**
 * The metadata of spec 2; problems (empty when it is valid). `prevHex`,
 * `hashHex`: strings known to be 64 hex digits (the genesis hash, a computed
 * hash); a prevHash or hash equal to one is not tested digit by digit.
 */
export const checkMetadata = (meta: unknown, prevHex?: string, hashHex?: string): string[] => {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta))
    return ["metadata: must be an object"];
  const m = meta as Record<string, unknown>;
  const problems: string[] = [];
  pushUnknownKeys(m, METADATA_KEYS, "metadata", problems);
  if (m.schemaVersion !== SCHEMA_VERSION) problems.push(`metadata.schemaVersion: must be ${SCHEMA_VERSION}`);
  if (typeof m.programId !== "string" || !ID_PATTERN.test(m.programId))
    problems.push("metadata.programId: must be an id");
  if (!isSafeInt(m.programVersion, 1)) problems.push("metadata.programVersion: must be an integer >= 1");
  if (!isText(m.commandId)) problems.push("metadata.commandId: must be a non-empty string");
  if (!isText(m.correlationId)) problems.push("metadata.correlationId: must be a non-empty string");
  if (m.actor !== undefined && !isText(m.actor)) problems.push("metadata.actor: must be a non-empty string");
  if (typeof m.prevHash !== "string" || (m.prevHash !== prevHex && !HEX64.test(m.prevHash)))
    problems.push("metadata.prevHash: must be 64 hex digits");
  if (typeof m.hash !== "string" || (m.hash !== hashHex && !HEX64.test(m.hash)))
    problems.push("metadata.hash: must be 64 hex digits");
  return problems;
};

export type StreamKind = "member" | "program" | "reward" | "draw" | "other";

export const streamKindOf = (streamId: string): StreamKind => {
  if (streamId.startsWith("member-") && ID_PATTERN.test(streamId.slice(7))) return "member";
  if (streamId.startsWith("program-") && ID_PATTERN.test(streamId.slice(8))) return "program";
  if (streamId.startsWith("reward-") && ID_PATTERN.test(streamId.slice(7))) return "reward";
  if (streamId.startsWith("draw-") && ID_PATTERN.test(streamId.slice(5))) return "draw";
  return "other";
};

/** Short text of the first problems of a zod error (event data), for a finding message. */
export const describeIssues = (error: z.ZodError, prefix: string): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${[prefix, ...i.path].filter((p) => p !== "").join(".")}: ${i.message}`)
    .join("; ");

const SWEEP = /^sweep:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PUBLISH = /^publish:([A-Za-z0-9][A-Za-z0-9._:-]{0,127}):([1-9][0-9]*)$/;
const OWN =
  /^(join|purchase|refund|redeem|reverse-redemption|adjust|feedback|referral|use-coupon|enter-draw|draw|update-profile|add-note|forget):(.+)$/;
/** club-v1 §10: a messageKey is any non-empty string, not an id. */
const MESSAGE_SENT = /^message-sent:(.+)$/s;
const CLAIM = /^claim:([^/]+)\/([^/]+)$/;

export type CommandRef =
  | { kind: "sweep" }
  | { kind: "publish"; programId: string; version: number }
  | { kind: "claim"; memberId: string; redemptionId: string }
  | {
      kind:
        | "join"
        | "purchase"
        | "refund"
        | "redeem"
        | "reverse-redemption"
        | "adjust"
        | "feedback"
        | "referral"
        | "use-coupon"
        | "enter-draw"
        | "draw"
        | "update-profile"
        | "add-note"
        | "forget"
        | "message-sent";
      id: string;
    };

/** The last commandId parsed: the events of one command come one after another. */
let lastCommand: { commandId: string; ref: CommandRef | undefined } | undefined;

/** Parses `<command type>:<its own id>` of spec 2, or undefined when it is none (the result is shared: read only). */
export const parseCommandId = (commandId: string): CommandRef | undefined => {
  if (lastCommand?.commandId === commandId) return lastCommand.ref;
  const ref = parseCommandIdText(commandId);
  lastCommand = { commandId, ref };
  return ref;
};

const parseCommandIdText = (commandId: string): CommandRef | undefined => {
  if (SWEEP.test(commandId))
    return parseTime(commandId.slice(6)) === undefined ? undefined : { kind: "sweep" };
  const pub = PUBLISH.exec(commandId);
  if (pub) return { kind: "publish", programId: pub[1] as string, version: Number(pub[2]) };
  const claim = CLAIM.exec(commandId);
  if (claim && ID_PATTERN.test(claim[1] as string) && ID_PATTERN.test(claim[2] as string))
    return { kind: "claim", memberId: claim[1] as string, redemptionId: claim[2] as string };
  const sent = MESSAGE_SENT.exec(commandId);
  if (sent) return { kind: "message-sent", id: sent[1] as string };
  const own = OWN.exec(commandId);
  if (own && ID_PATTERN.test(own[2] as string)) return { kind: own[1] as "join", id: own[2] as string };
  return undefined;
};
