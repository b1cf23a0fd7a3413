import { type EventMetadata, type Program, type ProposedEvent, programStreamId } from "@vafa/core";
import {
  bestEffortMetadata,
  checkEventId,
  checkHash,
  checkRevision,
  computeHash,
  isDerivedEventId,
  kindOfType,
  knownHexPrevHash,
} from "./chain-checks.js";
import { checkCommand } from "./command-checks.js";
import { parseEventData } from "./data-check.js";
import { DrawBook } from "./draws.js";
import { checkEnvelope, checkMetadata, describeIssues, timeOutMs } from "./envelope-schema.js";
import { type EventLocation, Findings } from "./findings.js";
import { ProgramBook, type ProgramReference } from "./programs.js";
import {
  checkAcrossStreams,
  endMemberStream,
  membersOf,
  newStreamAudit,
  type StreamAudit,
  spansStreams,
} from "./streams.js";
import type { AuditFinding, AuditInput, AuditLine, AuditOptions, AuditReport } from "./types.js";

/**
 * @internal What one shard of the parallel audit (parallel.ts) plugs in: the
 * checks that span streams (repeated stray eventIds, first reference of a
 * program version) are settled across shards, in log order.
 */
export interface AuditShardHooks {
  /** The position in the whole log of the item being pushed (its line). */
  clock(): number;
  /** An eventId that does not re-derive: the repeat check is done across shards, not here. */
  strayEventId(eventId: string, where: string): void;
}

/**
 * @internal How a re-readable log (a file) is audited in less memory
 * (file-audit.ts): the result is the same, or the audit says it must be
 * redone without these (`mustRedo`).
 */
export interface AuditPass {
  /** Each stream comes whole: a member stream's replay is dropped when another stream begins. */
  streamsWhole?: boolean;
  /** The programs the log publishes, read ahead (`programsPublishedIn`; ProgramBook's `ahead`). */
  programsAhead?: readonly Program[];
}

/**
 * @internal Off, the audit runs the format checks of spec 2 in full and reads
 * times with Date.parse: a test compares its findings with the fast paths'.
 */
export const auditFastPaths = { on: true };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// `null` and other non-objects are events too (SCHEMA findings): the audit never throws on bad input.
const isLine = (item: AuditInput): item is AuditLine =>
  typeof item === "object" &&
  item !== null &&
  typeof (item as AuditLine).text === "string" &&
  typeof (item as AuditLine).line === "number";

/**
 * The audit of spec 7, fed one event (or export line) at a time: memory grows
 * with streams and their member state, never with the number of events.
 * Events may come stream by stream (an export) or in global order (a store).
 */
export class Auditor {
  private readonly findings = new Findings();
  private readonly programs: ProgramBook;
  private readonly streams = new Map<string, StreamAudit>();
  /** eventIds that do not re-derive: only these can repeat (a derived id names its stream, command and index). */
  private readonly strayIds = new Map<string, string>();
  /** Prize draws (club spec §3), checked once the log has been read. */
  private readonly draws: DrawBook;
  private events = 0;
  /** The latest occurredAt of the log: a claim's age is measured against it (club-v1 §9). */
  private latestAt = Number.NEGATIVE_INFINITY;
  private readonly shard: AuditShardHooks | undefined;
  private readonly dataKeys: AuditOptions["dataKeys"];
  private readonly streamsWhole: boolean;
  /** The stream of the last event (`streamsWhole`). */
  private current: { streamId: string; s: StreamAudit } | undefined;
  /** A stream came back after another began (`streamsWhole`): nothing more is audited, see `mustRedo`. */
  private cameBack = false;

  constructor(options: AuditOptions = {}, shard?: AuditShardHooks, pass: AuditPass = {}) {
    this.shard = shard;
    this.dataKeys = options.dataKeys;
    this.streamsWhole = pass.streamsWhole === true;
    this.programs = new ProgramBook(options.programs ?? [], shard?.clock, pass.programsAhead);
    const known = [...(options.programs ?? []), ...(pass.programsAhead ?? [])];
    this.draws = new DrawBook(!pass.programsAhead || known.some((p) => (p.draws?.length ?? 0) > 0));
  }

  /**
   * @internal The report of this pass is not the audit's: a stream came back
   * (the log is not stream by stream) or a program read ahead was not the one
   * in force; audit the log again with a plain `Auditor`. Final after `finish`.
   */
  get mustRedo(): boolean {
    return this.cameBack || this.programs.aheadFailed || this.draws.ticketsMissed;
  }

  /** @internal Findings so far in the order found, and the counts of the report (parallel audit). */
  progress(): { findings: AuditFinding[]; events: number; streams: number } {
    return { findings: this.findings.list, events: this.events, streams: this.streams.size };
  }

  /** @internal The streams met so far (parallel audit). */
  streamIds(): string[] {
    return [...this.streams.keys()];
  }

  /**
   * @internal Whether the log read so far has checks that span streams beyond
   * what the shards settle (club-v1 §2 stock, §3 draws): a parallel audit then
   * audits the file again in one thread, so its findings stay the same.
   */
  spansStreams(): boolean {
    return spansStreams(this.streams, this.draws, this.programs);
  }

  /**
   * @internal Ends a shard of the parallel audit: like `finish`, but the
   * references to program versions the log never published are returned
   * (the first one across shards is reported), and nothing is sorted.
   */
  finishShard(): ProgramReference[] {
    for (const s of this.streams.values()) s.member?.finish();
    return this.programs.finishDeferred();
  }

  push(item: AuditInput): void {
    if (isLine(item)) {
      this.pushLine(item);
      return;
    }
    this.pushEnvelope(item as unknown, null);
  }

  finish(): AuditReport {
    for (const s of this.streams.values()) s.member?.finish();
    this.programs.finish(this.findings);
    checkAcrossStreams(this.streams, this.draws, this.latestAt, this.programs, this.findings);
    const findings = this.findings.sorted();
    const report: AuditReport = {
      ok: findings.length === 0,
      streams: this.streams.size,
      events: this.events,
      findings,
    };
    let sealed = false;
    let unchecked = 0;
    for (const member of membersOf(this.streams))
      if (member.sealedSeen) {
        sealed = true;
        unchecked += member.birthdaysUnchecked;
      }
    return sealed ? { ...report, birthdaysUnchecked: unchecked } : report;
  }

  private pushLine({ line, text }: AuditLine): void {
    let t = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (line === 1 && t.startsWith("\uFEFF")) t = t.slice(1);
    if (/^[ \t]*$/.test(t)) return;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (error) {
      this.findings.unplaced("SCHEMA", `line ${line} is not JSON (${(error as Error).message})`);
      return;
    }
    this.pushEnvelope(value, line);
  }

  private pushEnvelope(raw: unknown, line: number | null): void {
    const where = line === null ? "an input item" : `line ${line}`;
    if (!isRecord(raw) || typeof raw.streamId !== "string") {
      const eventId = isRecord(raw) && typeof raw.eventId === "string" ? raw.eventId : null;
      this.findings.unplaced("SCHEMA", `${where} is not an event envelope (no streamId)`, eventId);
      return;
    }
    try {
      this.check(raw, raw.streamId);
    } catch (error) {
      // Bad input never stops the audit: whatever could not be checked is a finding.
      this.findings.at(
        { streamId: raw.streamId, revision: null, eventId: null },
        "SCHEMA",
        `${where} could not be checked: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private stream(streamId: string): StreamAudit {
    let s = this.streams.get(streamId);
    if (!s) {
      s = newStreamAudit(streamId, this.findings, this.programs, this.dataKeys);
      this.streams.set(streamId, s);
    }
    return s;
  }

  private check(raw: Record<string, unknown>, streamId: string): void {
    if (this.cameBack) return;
    const isNewStream = !this.streams.has(streamId);
    const s = this.stream(streamId);
    if (this.streamsWhole && s !== this.current?.s) {
      if (s.ended) {
        this.cameBack = true;
        return;
      }
      if (this.current) this.endStream(this.current.streamId, this.current.s);
      this.current = { streamId, s };
    }
    this.events++;
    const loc: EventLocation = {
      streamId,
      revision: typeof raw.revision === "number" ? raw.revision : null,
      eventId: typeof raw.eventId === "string" ? raw.eventId : null,
    };
    const meta = isRecord(raw.metadata) ? raw.metadata : {};
    const commandId = typeof meta.commandId === "string" ? meta.commandId : null;

    // The equalities first (issue 11): an eventId that re-derives is a UUID, a
    // hash equal to one computed is 64 hex digits; the format checks read the
    // text only when they differ. Findings still come in the order below.
    const fast = auditFastPaths.on;
    const derived =
      fast &&
      commandId !== null &&
      loc.eventId !== null &&
      isDerivedEventId(loc.eventId, streamId, commandId, s.commandCounts.get(commandId) ?? 0);
    const { problems: envelopeProblems, envelope } = checkEnvelope(raw, derived);
    if (envelopeProblems.length > 0) this.findings.at(loc, "SCHEMA", envelopeProblems.slice(0, 3).join("; "));
    // The data's canonical text, when the parse could write it, spares core's `jcs` a pass.
    const data = envelope ? parseEventData(envelope.type, raw.data) : undefined;
    const dataJcs = data?.jcs;
    const valid = envelope && dataJcs !== undefined ? { envelope, dataJcs } : undefined;
    const computed = computeHash(raw, meta, streamId, valid);
    const metadataProblems = checkMetadata(
      raw.metadata,
      fast ? knownHexPrevHash(s, streamId) : undefined,
      fast && typeof computed === "string" ? computed : undefined,
    );
    if (metadataProblems.length > 0) this.findings.at(loc, "SCHEMA", metadataProblems.slice(0, 3).join("; "));
    const metadataOk = metadataProblems.length === 0;
    if (isNewStream && s.kind === "other")
      this.findings.at(
        loc,
        "SCHEMA",
        `stream ${streamId} is neither member-<memberId>, program-<programId>, reward-<rewardId> nor draw-<drawId>`,
      );

    checkRevision(this.findings, s, raw.revision, loc);
    checkHash(this.findings, s, raw, meta, loc, valid, computed);
    // A checked envelope's occurredAt passed `isTimeOut`.
    const at =
      fast && envelope
        ? timeOutMs(envelope.occurredAt)
        : typeof raw.occurredAt === "string"
          ? Date.parse(raw.occurredAt)
          : Number.NaN;
    if (!Number.isNaN(at)) {
      this.latestAt = Math.max(this.latestAt, at);
      // club-v1 §2: reward streams follow append order, not time order; a draw
      // stream holds one DrawHeld (§3): neither has a time order to keep.
      if (s.kind !== "reward" && s.kind !== "draw" && s.lastAt !== null && at < s.lastAt)
        this.findings.at(loc, "TIME_REVERSED", `occurredAt ${raw.occurredAt} is before the previous event's`);
      s.lastAt = at;
    }
    const stray =
      commandId === null ? null : checkEventId(this.findings, s, commandId, loc, fast ? derived : undefined);
    if (stray !== null) this.strayEventId(loc, stray);

    if (!envelope || !data) return;
    const type = envelope.type;
    const wrongKind = s.kind === "other" ? type === "ProgramPublished" : kindOfType(type) !== s.kind;
    if (wrongKind && s.kind !== "other")
      this.findings.at(loc, "SCHEMA", `${type} in ${s.kind} stream ${streamId}`);
    if (!data.success) {
      this.findings.at(loc, "SCHEMA", describeIssues(data.error, "data"));
      return;
    }
    if (wrongKind) return;
    // Bad metadata is reported above; the content is still replayed so later events are judged fairly.
    const event = {
      streamId: envelope.streamId,
      revision: envelope.revision,
      eventId: envelope.eventId,
      type,
      occurredAt: envelope.occurredAt,
      data: data.data,
      metadata: metadataOk ? (meta as unknown as EventMetadata) : bestEffortMetadata(meta),
    } as ProposedEvent;
    if (metadataOk) checkCommand(this.findings, event, loc);
    // An event of another kind returned above: a program stream's is a ProgramPublished, a draw stream's a DrawHeld.
    if (s.member) {
      if (metadataOk) this.programs.reference(event.metadata.programId, event.metadata.programVersion, loc);
      s.member.apply(event, loc, at);
      this.draws.memberEvent(streamId, event, loc);
      if (metadataOk && event.type === "DrawEntered")
        this.draws.drawEntered(streamId, event as ProposedEvent<"DrawEntered">, loc);
    } else if (s.reward) {
      if (metadataOk) this.programs.reference(event.metadata.programId, event.metadata.programVersion, loc);
      s.reward.apply(event, loc);
    } else if (s.programVersions) {
      this.published(s.programVersions, event, loc);
      this.draws.published((event as ProposedEvent<"ProgramPublished">).data.program, event.occurredAt);
    } else if (s.kind === "draw") {
      if (metadataOk) this.programs.reference(event.metadata.programId, event.metadata.programVersion, loc);
      this.draws.drawHeld(event as ProposedEvent<"DrawHeld">, loc);
    }
  }

  /**
   * @internal Ends the stream being read (`streamsWhole`), as the next line of
   * another stream would: a shard calls it before a line only replayed, so
   * the findings of the end are its own.
   */
  endCurrentStream(): void {
    if (this.current) this.endStream(this.current.streamId, this.current.s);
    this.current = undefined;
  }

  /** A member stream read to its end: its end-of-log checks, then those waiting for a program read ahead. */
  private endStream(streamId: string, s: StreamAudit): void {
    if (!s.member) return;
    endMemberStream(s, s.member);
    this.programs.endStream(streamId);
  }

  /** A stray eventId repeats if another event of the log already has it (spec 2). */
  private strayEventId(loc: EventLocation, eventId: string): void {
    const where = `${loc.streamId}@${loc.revision ?? "?"}`;
    const first = this.strayIds.get(eventId);
    if (this.shard) this.shard.strayEventId(eventId, where);
    else if (first !== undefined)
      this.findings.at(loc, "SCHEMA", `eventId repeats in the log (first at ${first})`);
    else this.strayIds.set(eventId, where);
  }

  private published(versions: Set<number>, e: ProposedEvent, loc: EventLocation): void {
    const program = (e as ProposedEvent<"ProgramPublished">).data.program;
    const problems: string[] = [];
    if (e.streamId !== programStreamId(program.programId))
      problems.push(`program ${program.programId} published in ${e.streamId}`);
    if (e.metadata.programId !== program.programId || e.metadata.programVersion !== program.version)
      problems.push(`metadata names ${e.metadata.programId} v${e.metadata.programVersion}`);
    if (versions.has(program.version)) problems.push(`version ${program.version} published twice`);
    versions.add(program.version);
    if (!this.programs.publish(program))
      problems.push(`version ${program.version} differs from the program given to the audit`);
    if (problems.length > 0) this.findings.at(loc, "SCHEMA", problems.join("; "));
  }
}

/**
 * Audits a log (spec 7): envelopes from a store in any order that keeps each
 * stream in revision order, or raw NDJSON export lines. Never throws on bad
 * input: everything wrong is a finding.
 */
export const auditEvents = async (
  events: AsyncIterable<AuditInput> | Iterable<AuditInput>,
  options: AuditOptions = {},
): Promise<AuditReport> => {
  const auditor = new Auditor(options);
  for await (const item of events) auditor.push(item);
  return auditor.finish();
};
