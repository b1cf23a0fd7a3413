import { type DrawHeldData, genesisHash, type HashedBody, hashEvent, type Program } from "@vafa/core";
import { DrawBook, type DrawProblem, MEMBER, TICKET_TYPES } from "./draws.js";

// `vafa draw-verify`: one draw re-derived from a log alone (club spec §3).

/** What `vafa draw-verify` reports. */
export interface DrawVerification {
  ok: boolean;
  drawId: string;
  /** The recorded DrawHeld, when there is one. */
  recorded: DrawHeldData | undefined;
  problems: DrawProblem[];
}

interface LogEvent extends HashedBody {
  metadata: { programId: string; programVersion: number; prevHash?: string; hash?: string };
}

/**
 * Re-derives one draw from a log (a store's events or an export): tickets,
 * winners and prizes from the member events and the revealed seed, and the
 * seed commitment. The events a ticket count reads are also checked against
 * their hash chain, so a changed ticket purchase names its member.
 */
export const verifyDraw = async (
  events: AsyncIterable<LogEvent> | Iterable<LogEvent>,
  options: { drawId: string; programs?: readonly Program[] },
): Promise<DrawVerification> => {
  const book = new DrawBook();
  const programs = new Map<string, Program>();
  const key = (id: string, v: number) => `${id}\u0000${v}`;
  for (const p of options.programs ?? []) programs.set(key(p.programId, p.version), p);
  const tampered: DrawProblem[] = [];
  const lastHash = new Map<string, string>();
  for await (const e of events) {
    const loc = { streamId: e.streamId, revision: e.revision, eventId: e.eventId };
    if (e.streamId.startsWith(MEMBER)) {
      const previous = lastHash.get(e.streamId) ?? genesisHash(e.streamId);
      const m = e.metadata;
      lastHash.set(e.streamId, m.hash ?? "");
      if (TICKET_TYPES.has(e.type) && !chainHolds(e, previous))
        tampered.push({
          loc,
          memberId: e.streamId.slice(MEMBER.length),
          message: `${e.streamId} revision ${e.revision}: ${e.type} does not match its hash chain (changed after it was written)`,
        });
      book.memberEvent(e.streamId, e, loc);
    } else if (e.type === "DrawHeld") book.drawHeld(e as never, loc);
    else if (e.type === "ProgramPublished") {
      const program = (e.data as { program: Program }).program;
      if (!programs.has(key(program.programId, program.version)))
        programs.set(key(program.programId, program.version), program);
      book.published(program, e.occurredAt);
    }
  }
  const recorded = book.recorded(options.drawId);
  if (!recorded)
    return {
      ok: false,
      drawId: options.drawId,
      recorded,
      problems: [
        {
          loc: { streamId: `draw-${options.drawId}`, revision: null, eventId: null },
          message: `draw ${options.drawId} has not been held: no DrawHeld in stream draw-${options.drawId}`,
        },
      ],
    };
  let problems: DrawProblem[];
  try {
    problems = book.check((id, v) => programs.get(key(id, v)), { strict: true, drawId: options.drawId });
  } catch (error) {
    problems = [
      {
        loc: { streamId: `draw-${options.drawId}`, revision: 0, eventId: null },
        message: `the log cannot be read as draw events: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  const all = [...tampered, ...problems];
  return { ok: all.length === 0, drawId: options.drawId, recorded, problems: all };
};

const chainHolds = (e: LogEvent, previous: string): boolean => {
  // A missing hash never equals the one computed: no check of its own.
  const { prevHash, hash } = e.metadata;
  if (prevHash !== previous) return false;
  try {
    const { streamId, revision, eventId, type, occurredAt, data } = e;
    return hashEvent(prevHash, { streamId, revision, eventId, type, occurredAt, data }) === hash;
  } catch {
    return false;
  }
};
