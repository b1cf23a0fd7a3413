import {
  type EventMetadata,
  type EventType,
  eventIdFor,
  genesisHash,
  hashEvent,
  type ProposedEvent,
  programStreamId,
} from "@vafa/core";
import { DrawBook } from "./draws.js";
import {
  type CommandRef,
  checkEnvelope,
  checkMetadata,
  describeIssues,
  parseCommandId,
  parseEventData,
  type StreamKind,
  streamKindOf,
} from "./envelope-schema.js";
import { type EventLocation, Findings } from "./findings.js";
import { MemberAudit } from "./member-audit.js";
import { ProgramBook, type ProgramReference } from "./programs.js";
import { checkStockAcrossStreams, type RedemptionFact, RewardAudit } from "./reward-audit.js";
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

/** What the audit keeps per stream: the chain's tail and, for a member, its replay. */
interface StreamAudit {
  kind: StreamKind;
  nextRevision: number;
  /** Recorded hash of the last event; undefined before the first, null when it had none. */
  lastHash: string | null | undefined;
  lastAt: number | null;
  /** Events per commandId so far: the index of the next eventId (spec 2). */
  commandCounts: Map<string, number>;
  member: MemberAudit | null;
  reward: RewardAudit | null;
  programVersions: Set<number> | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isLine = (item: AuditInput): item is AuditLine =>
  typeof (item as AuditLine).text === "string" && typeof (item as AuditLine).line === "number";

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
  private readonly draws = new DrawBook();
  private events = 0;
  /** The latest occurredAt of the log: a claim's age is measured against it (club-v1 §9). */
  private latestAt = Number.NEGATIVE_INFINITY;
  private readonly shard: AuditShardHooks | undefined;

  constructor(options: AuditOptions = {}, shard?: AuditShardHooks) {
    this.shard = shard;
    this.programs = new ProgramBook(options.programs ?? [], shard?.clock);
  }

  /** @internal Findings so far in the order found, and the counts of the report (parallel audit). */
  progress(): { findings: AuditFinding[]; events: number; streams: number } {
    return { findings: this.findings.list, events: this.events, streams: this.streams.size };
  }

  /**
   * @internal Whether the log read so far has checks that span streams beyond
   * what the shards settle (club-v1 §2 stock, §3 draws): a parallel audit then
   * audits the file again in one thread, so its findings stay the same.
   */
  spansStreams(): boolean {
    if (this.draws.any) return true;
    for (const s of this.streams.values())
      if (s.reward || s.kind === "draw" || (s.member && s.member.rewardRedemptions.size > 0)) return true;
    return false;
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
    this.checkStock();
    if (this.draws.any)
      for (const p of this.draws.check((id, v) => this.programs.get(id, v), { strict: false }))
        this.findings.at(p.loc, "DRAW_MISMATCH", p.message);
    const findings = this.findings.sorted();
    return { ok: findings.length === 0, streams: this.streams.size, events: this.events, findings };
  }

  /** club-v1 §2 stock across reward and member streams. */
  private checkStock(): void {
    const rewards = new Map<string, RewardAudit>();
    const redemptions = new Map<string, RedemptionFact>();
    for (const [streamId, s] of this.streams) {
      if (s.reward) rewards.set(s.reward.rewardId, s.reward);
      if (s.member)
        for (const [redemptionId, fact] of s.member.rewardRedemptions)
          redemptions.set(`${streamId.slice("member-".length)}/${redemptionId}`, fact);
    }
    if (rewards.size === 0 && redemptions.size === 0) return;
    checkStockAcrossStreams(rewards, redemptions, this.latestAt, this.programs, this.findings);
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
      const kind = streamKindOf(streamId);
      s = {
        kind,
        nextRevision: 0,
        lastHash: undefined,
        lastAt: null,
        commandCounts: new Map(),
        member: kind === "member" ? new MemberAudit(streamId, this.findings, this.programs) : null,
        reward:
          kind === "reward"
            ? new RewardAudit(streamId.slice("reward-".length), this.findings, this.programs)
            : null,
        programVersions: kind === "program" ? new Set() : null,
      };
      this.streams.set(streamId, s);
    }
    return s;
  }

  private check(raw: Record<string, unknown>, streamId: string): void {
    this.events++;
    const isNewStream = !this.streams.has(streamId);
    const s = this.stream(streamId);
    const loc: EventLocation = {
      streamId,
      revision: typeof raw.revision === "number" ? raw.revision : null,
      eventId: typeof raw.eventId === "string" ? raw.eventId : null,
    };
    const meta = isRecord(raw.metadata) ? raw.metadata : {};

    const { problems: envelopeProblems, envelope } = checkEnvelope(raw);
    if (envelopeProblems.length > 0) this.findings.at(loc, "SCHEMA", envelopeProblems.slice(0, 3).join("; "));
    const metadataProblems = checkMetadata(raw.metadata);
    if (metadataProblems.length > 0) this.findings.at(loc, "SCHEMA", metadataProblems.slice(0, 3).join("; "));
    const metadataOk = metadataProblems.length === 0;
    if (isNewStream && s.kind === "other")
      this.findings.at(
        loc,
        "SCHEMA",
        `stream ${streamId} is neither member-<memberId>, program-<programId>, reward-<rewardId> nor draw-<drawId>`,
      );

    this.checkRevision(s, raw.revision, loc);
    this.checkHash(s, raw, meta, loc);
    const at = typeof raw.occurredAt === "string" ? Date.parse(raw.occurredAt) : Number.NaN;
    if (!Number.isNaN(at)) {
      if (at > this.latestAt) this.latestAt = at;
      // club-v1 §2: reward streams follow append order, not time order; a draw
      // stream holds one DrawHeld (§3): neither has a time order to keep.
      if (s.kind !== "reward" && s.kind !== "draw" && s.lastAt !== null && at < s.lastAt)
        this.findings.at(loc, "TIME_REVERSED", `occurredAt ${raw.occurredAt} is before the previous event's`);
      s.lastAt = at;
    }
    const commandId = typeof meta.commandId === "string" ? meta.commandId : null;
    if (commandId !== null) this.checkEventId(s, streamId, commandId, loc);

    if (!envelope) return;
    const type = envelope.type;
    const wrongKind = s.kind === "other" ? type === "ProgramPublished" : kindOfType(type) !== s.kind;
    if (wrongKind && s.kind !== "other")
      this.findings.at(loc, "SCHEMA", `${type} in ${s.kind} stream ${streamId}`);
    const data = parseEventData(type, raw.data);
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
    if (metadataOk) this.checkCommand(event, loc);
    if (s.member) {
      if (metadataOk) this.programs.reference(event.metadata.programId, event.metadata.programVersion, loc);
      s.member.apply(event, loc);
      this.draws.memberEvent(streamId, event, loc);
    } else if (s.reward) {
      if (metadataOk) this.programs.reference(event.metadata.programId, event.metadata.programVersion, loc);
      s.reward.apply(event, loc);
    } else if (s.programVersions && event.type === "ProgramPublished") {
      this.published(s.programVersions, event, loc);
      this.draws.published((event as ProposedEvent<"ProgramPublished">).data.program, event.occurredAt);
    } else if (s.kind === "draw" && event.type === "DrawHeld") {
      if (metadataOk) this.programs.reference(event.metadata.programId, event.metadata.programVersion, loc);
      this.draws.drawHeld(event as ProposedEvent<"DrawHeld">, loc);
    }
  }

  private checkRevision(s: StreamAudit, revision: unknown, loc: EventLocation): void {
    if (typeof revision !== "number" || !Number.isInteger(revision)) return; // a SCHEMA finding already
    if (revision !== s.nextRevision)
      this.findings.at(loc, "REVISION_GAP", `revision ${revision} where ${s.nextRevision} comes next`);
    s.nextRevision = revision + 1;
  }

  /** The event's hash from its recorded prevHash, and the link to the previous recorded hash (spec 2). */
  private checkHash(
    s: StreamAudit,
    raw: Record<string, unknown>,
    meta: Record<string, unknown>,
    loc: EventLocation,
  ) {
    const prevHash = meta.prevHash;
    const hash = meta.hash;
    const isFirst = s.lastHash === undefined;
    const expectedPrev = isFirst ? genesisHash(loc.streamId) : s.lastHash;
    s.lastHash = typeof hash === "string" ? hash : null;
    if (typeof prevHash !== "string" || typeof hash !== "string") {
      this.findings.at(loc, "HASH_MISMATCH", "the event has no prevHash and hash to verify");
      return;
    }
    const problems: string[] = [];
    let computed: string | null = null;
    try {
      computed = hashEvent(prevHash, {
        streamId: loc.streamId,
        revision: raw.revision as number,
        eventId: raw.eventId as string,
        type: raw.type as string,
        occurredAt: raw.occurredAt as string,
        data: raw.data,
      });
    } catch {
      problems.push("the event body cannot be hashed");
    }
    if (computed !== null && computed !== hash) problems.push("hash does not match the event's content");
    if (expectedPrev !== null && prevHash !== expectedPrev)
      problems.push(
        isFirst ? "prevHash is not the stream's genesis hash" : "prevHash is not the previous event's hash",
      );
    if (problems.length > 0) this.findings.at(loc, "HASH_MISMATCH", problems.join("; "));
  }

  private checkEventId(s: StreamAudit, streamId: string, commandId: string, loc: EventLocation): void {
    const index = s.commandCounts.get(commandId) ?? 0;
    s.commandCounts.set(commandId, index + 1);
    if (loc.eventId === null) return;
    const expected = eventIdFor(streamId, commandId, index);
    if (loc.eventId === expected) return;
    this.findings.at(
      loc,
      "SCHEMA",
      `eventId does not re-derive from ${streamId}|${commandId}|${index} (${expected})`,
    );
    const first = this.strayIds.get(loc.eventId);
    if (this.shard) this.shard.strayEventId(loc.eventId, `${streamId}@${loc.revision ?? "?"}`);
    else if (first !== undefined)
      this.findings.at(loc, "SCHEMA", `eventId repeats in the log (first at ${first})`);
    else this.strayIds.set(loc.eventId, `${streamId}@${loc.revision ?? "?"}`);
  }

  /** commandId, correlationId and actor against the event (spec 2). */
  private checkCommand(e: ProposedEvent, loc: EventLocation): void {
    const m: EventMetadata = e.metadata;
    const ref = parseCommandId(m.commandId);
    if (!ref) {
      this.findings.at(loc, "SCHEMA", `commandId ${m.commandId} is not <command type>:<its own id>`);
      return;
    }
    const problems: string[] = [];
    const owner = this.ownerCommand(e);
    if (owner && !owner.some((o) => sameRef(o, ref)))
      problems.push(`${describe(e)} cannot come from ${m.commandId}`);
    if (ref.kind === "publish" && e.type !== "ProgramPublished")
      problems.push(`${e.type} from ${m.commandId}`);
    // Every event of the referral reaction (its bonus, and the due items and tier
    // it runs first on the referrer) carries the referee's purchase (spec 2, 5.2).
    const correlated =
      ref.kind === "referral" ? isPurchaseCommand(m.correlationId) : m.correlationId === m.commandId;
    if (!correlated) problems.push(`correlationId ${m.correlationId} for command ${m.commandId}`);
    if ((ref.kind === "adjust") !== (m.actor !== undefined))
      problems.push(
        ref.kind === "adjust" ? "an adjust event without actor" : "actor on an event of no adjust command",
      );
    const dataActor = (e.data as { actor?: unknown }).actor;
    if (typeof dataActor === "string" && m.actor !== undefined && dataActor !== m.actor)
      problems.push(`metadata actor ${m.actor} differs from data actor ${dataActor}`);
    if (problems.length > 0) this.findings.at(loc, "SCHEMA", problems.join("; "));
  }

  /** The commands that may append this event, or null when any member command may (due items, tiers). */
  private ownerCommand(e: ProposedEvent): CommandRef[] | null {
    const d = e.data as Record<string, unknown>;
    const id = (key: string) => String(d[key]);
    switch (e.type) {
      case "MemberJoined":
        return [{ kind: "join", id: id("memberId") }];
      case "PurchaseRecorded":
        return [{ kind: "purchase", id: id("purchaseId") }];
      case "PurchaseRefunded":
      case "PointsClawedBack":
        return [{ kind: "refund", id: id("refundId") }];
      case "PointsRedeemed":
        return [{ kind: "redeem", id: id("redemptionId") }];
      case "RedemptionReversed":
        return [{ kind: "reverse-redemption", id: id("redemptionId") }];
      case "PointsDebited":
        return [{ kind: "adjust", id: id("adjustmentId") }];
      case "FeedbackSubmitted":
        return [{ kind: "feedback", id: id("feedbackId") }];
      case "CouponIssued":
        return [{ kind: "redeem", id: id("couponId") }];
      case "CouponUsed":
        return [{ kind: "use-coupon", id: id("couponId") }];
      case "CouponVoided":
        return [{ kind: "reverse-redemption", id: id("couponId") }];
      case "RewardClaimed":
      case "RewardReleased":
        return [{ kind: "claim", memberId: id("memberId"), redemptionId: id("redemptionId") }];
      case "DrawEntered":
        return [{ kind: "enter-draw", id: id("entryId") }];
      case "DrawWon":
      case "DrawHeld":
        return [{ kind: "draw", id: id("drawId") }];
      case "ProgramPublished": {
        const p = d.program as { programId: string; version: number };
        return [{ kind: "publish", programId: p.programId, version: p.version }];
      }
      case "PointsEarned":
        switch (d.reason) {
          case "signup":
            return [{ kind: "join", id: e.streamId.slice("member-".length) }];
          case "purchase":
            return [{ kind: "purchase", id: id("purchaseId") }];
          case "referral":
            return [{ kind: "referral", id: id("refereeId") }];
          case "adjustment":
            return [{ kind: "adjust", id: id("adjustmentId") }];
          case "draw":
            return [{ kind: "draw", id: id("drawId") }];
          default:
            return null;
        }
      default:
        return null;
    }
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

/** Usable fields of metadata that failed its schema (program checks skip a NaN version). */
const bestEffortMetadata = (meta: Record<string, unknown>): EventMetadata => ({
  schemaVersion: typeof meta.schemaVersion === "number" ? meta.schemaVersion : Number.NaN,
  programId: typeof meta.programId === "string" ? meta.programId : "",
  programVersion: typeof meta.programVersion === "number" ? meta.programVersion : Number.NaN,
  commandId: typeof meta.commandId === "string" ? meta.commandId : "",
  correlationId: typeof meta.correlationId === "string" ? meta.correlationId : "",
  prevHash: typeof meta.prevHash === "string" ? meta.prevHash : "",
  hash: typeof meta.hash === "string" ? meta.hash : "",
});

/** `purchase:<purchaseId>`: the correlationId of every event of the referral reaction. */
const isPurchaseCommand = (id: string): boolean => {
  const ref = parseCommandId(id);
  return ref?.kind === "purchase";
};

const sameRef = (a: CommandRef, b: CommandRef): boolean => {
  if (a.kind !== b.kind) return false;
  if (a.kind === "publish" && b.kind === "publish")
    return a.programId === b.programId && a.version === b.version;
  if (a.kind === "sweep") return true;
  if (a.kind === "claim" && b.kind === "claim")
    return a.memberId === b.memberId && a.redemptionId === b.redemptionId;
  return (a as { id: string }).id === (b as { id: string }).id;
};

/** The kind of stream an event type belongs in. */
const kindOfType = (type: EventType): StreamKind =>
  type === "ProgramPublished"
    ? "program"
    : type === "RewardClaimed" || type === "RewardReleased"
      ? "reward"
      : type === "DrawHeld"
        ? "draw"
        : "member";

const describe = (e: ProposedEvent): string =>
  e.type === "PointsEarned"
    ? `a ${(e.data as { reason: string }).reason} PointsEarned`
    : (e.type as EventType);

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
