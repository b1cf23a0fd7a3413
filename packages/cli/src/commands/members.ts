import type { KeyStore, MessageChannel, StoredEvent } from "@vafa/core";
import {
  ClubProjection,
  type KeyLookup,
  membersAsOf,
  memberTimeline,
  type OutboxMessage,
  outbox,
  type TimelineRow,
} from "@vafa/projections";
import { failure } from "../errors.js";
import { type EventSourceOptions, sourceEvents } from "../event-source.js";
import type { CliIo } from "../io.js";
import { writeOut } from "../io.js";
import { type KeyStoreFlags, openKeyStore } from "../key-stores.js";
import { type JsonValue, type OutputFormat, render, renderCsv } from "../output-format.js";
import { openStore } from "../stores.js";

// `vafa members`, `vafa member <id>` and `vafa outbox` (club-v1 §4, §5, §8).
// Every event is read into the club projection (sealed values stay sealed),
// then the keys of the members with sealed values are read once from the key
// store and handed to the projection's queries as a lookup.

export interface ClubReadOptions extends EventSourceOptions, KeyStoreFlags {}

/** The club projection of the source and a key lookup preloaded from its key store. */
const readClub = async (
  options: ClubReadOptions,
  io: CliIo,
  wanted: (club: ClubProjection) => readonly string[],
): Promise<{ club: ClubProjection; keys: KeyLookup }> => {
  const club = new ClubProjection();
  const loaded = new Map<string, Uint8Array>();
  const preload = async (keyStore: KeyStore | undefined): Promise<void> => {
    const ids = wanted(club).filter((id) => club.member(id)?.sealed === true);
    if (ids.length === 0) return;
    if (keyStore === undefined) {
      await writeOut(
        io.stderr,
        "vafa: personal values are sealed and no key store was given: they are shown as absent (pass --key-store, or read the store that holds the keys)\n",
      );
      return;
    }
    for (const id of ids) {
      const key = await keyStore.get(id);
      if (key !== undefined) loaded.set(id, key);
    }
  };
  const flags: KeyStoreFlags = {
    ...(options.keyStore !== undefined ? { keyStore: options.keyStore } : {}),
    ...(options.testDataKeys !== undefined ? { testDataKeys: options.testDataKeys } : {}),
  };
  if (options.events !== undefined) {
    for await (const event of sourceEvents(options)) club.apply(event);
    const keyStore = await openKeyStore(flags);
    try {
      await preload(keyStore);
    } finally {
      await keyStore?.close?.();
    }
  } else {
    const store = await openStore(options.store);
    try {
      for await (const event of store.readAll()) club.apply(event as StoredEvent);
      const keyStore = await openKeyStore({ ...flags, store: options.store, eventStore: store });
      try {
        await preload(keyStore);
      } finally {
        await keyStore?.close?.();
      }
    } finally {
      await store.close().catch(() => undefined);
    }
  }
  return { club, keys: (memberId) => loaded.get(memberId) };
};

const allMembers = (club: ClubProjection): string[] => club.members().map((m) => m.memberId);

export interface MembersOptions extends ClubReadOptions {
  /** Normalised ISO time. */
  asOf: string;
  format: OutputFormat;
}

/** `vafa members`: the members projection as of T (club-v1 §4, §10). */
export const runMembers = async (options: MembersOptions, io: CliIo): Promise<number> => {
  const { club, keys } = await readClub(options, io, allMembers);
  const rows = membersAsOf(club, options.asOf, keys);
  await writeOut(io.stdout, render(rows as unknown as JsonValue, options.format));
  return 0;
};

export interface MemberOptions extends MembersOptions {
  memberId: string;
}

/** One line of the data of a timeline row, for a table or CSV: `key=value`, objects as JSON, erased values named. */
export const describeData = (row: TimelineRow): string => {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(row.data)) {
    if (key === "allocations") continue;
    parts.push(`${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  for (const key of row.erased ?? []) parts.push(`${key}=(erased)`);
  return parts.join(" ");
};

/** `vafa member <id>`: the member's whole timeline as of T, as JSON (with data) or a table/CSV (one line each). */
export const runMember = async (options: MemberOptions, io: CliIo): Promise<number> => {
  const { club, keys } = await readClub(options, io, () => [options.memberId]);
  const rows = memberTimeline(club, options.memberId, options.asOf, keys);
  if (rows === undefined)
    throw failure(
      `UNKNOWN_MEMBER: no member ${options.memberId} in the events; check the id (vafa members --as-of ... lists them)`,
    );
  const out =
    options.format === "json"
      ? rows
      : rows.map((r) => ({
          revision: r.revision,
          occurredAt: r.occurredAt,
          type: r.type,
          pointsBefore: r.pointsBefore,
          pointsAfter: r.pointsAfter,
          details: describeData(r),
        }));
  await writeOut(io.stdout, render(out as unknown as JsonValue, options.format));
  return 0;
};

export const OUTBOX_FORMATS = ["json", "csv", "ndjson"] as const;
export type OutboxFormat = (typeof OUTBOX_FORMATS)[number];

export interface OutboxOptions extends ClubReadOptions {
  /** Normalised ISO times: the interval (since, asOf]. */
  since: string;
  asOf: string;
  channel?: MessageChannel;
  format: OutboxFormat;
}

const renderOutbox = (messages: OutboxMessage[], format: OutboxFormat): string => {
  if (format === "ndjson") return messages.map((m) => `${JSON.stringify(m)}\n`).join("");
  if (format === "csv") {
    // A header even with no message: a host's pipeline reads the same columns every time.
    const header = "messageKey,ruleId,memberId,channel,to,lang,text,dueAt\n";
    return messages.length === 0 ? header : renderCsv(messages as unknown as JsonValue);
  }
  return `${JSON.stringify(messages, null, 2)}\n`;
};

/** `vafa outbox`: the messages due in (since, T] (club-v1 §5, §8). */
export const runOutbox = async (options: OutboxOptions, io: CliIo): Promise<number> => {
  const { club, keys } = await readClub(options, io, allMembers);
  const messages = outbox(
    club,
    options.since,
    options.asOf,
    keys,
    options.channel === undefined ? {} : { channel: options.channel },
  );
  await writeOut(io.stdout, renderOutbox(messages, options.format));
  return 0;
};
