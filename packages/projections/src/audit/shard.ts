import { Auditor, type AuditPass } from "./audit.js";
import { Findings } from "./findings.js";
import { HeadTracker, type PlacedHead } from "./head.js";
import { type ProgramReference, reportUnknownReference } from "./programs.js";
import type { AuditFinding, AuditOptions, AuditReport } from "./types.js";

// One shard of the parallel audit (spec 7): a range of the export's lines, cut
// at stream changes (ranges.ts), audited whole. Program lines outside the
// range are replayed, without reporting them, before and after it, so the
// shard's program book at each event is the one of a single-threaded audit.
// The checks that span streams (a stray eventId repeated in another stream,
// the first reference to an unknown program version) and the order of
// findings no stream owns are settled when the shards are merged, by line.

const NEWLINE = 0x0a;
const CR = 0x0d;

/** A line's text as the CLI reads it (`readLines`): BOM dropped on line 1, one trailing CR dropped. */
export const lineText = (buf: Buffer, start: number, end: number, line: number): string => {
  const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
  const text = buf.toString("utf8", start, stop);
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};

/** A program line outside a shard's range, replayed there (`ShardAuditor.replay`). */
export interface ProgramLine {
  line: number;
  /** As `lineText` gives it. */
  text: string;
  streamId: string;
}

/** A stray eventId met by a shard: where its report goes if another stream used it first. */
interface Stray {
  eventId: string;
  where: string;
  line: number;
  /** Index in the shard's findings where a repeat finding belongs. */
  index: number;
}

/** What a shard hands to the merge (structured-cloneable). */
export interface ShardResult {
  /** Findings in the order found; the unplaced ones carry their line in `unplacedLines`. */
  findings: AuditFinding[];
  /** For each finding index with a null stream, its line. */
  unplacedLines: [number, number][];
  strays: Stray[];
  unknownReferences: ProgramReference[];
  events: number;
  streams: number;
  /** The shard saw stock or draws (club-v1 §2, §3): only a one-thread audit checks them. */
  spansStreams: boolean;
  /** The streams of the range: a stream in two ranges is a file not stream by stream. */
  streamIds: string[];
  /** The heads of the range's streams (by line), when asked for (`ShardAuditor` `head`). */
  heads?: PlacedHead[];
  /** The shard's pass must be redone the plain way (`Auditor.mustRedo`). */
  mustRedo: boolean;
}

/** What a shard computes besides the audit: the head digest's part, for `vafa audit`'s head. */
export interface ShardHeadOptions {
  /** As `HeadTracker`'s `recordedUntil`. */
  recordedUntil?: string;
}

export class ShardAuditor {
  private readonly auditor: Auditor;
  private line: number;
  private shadow = false;
  private shadowEvents = 0;
  private shadowStreams = 0;
  private readonly strays: Stray[] = [];
  private readonly unplacedLines: [number, number][] = [];
  private readonly head: HeadTracker | undefined;
  private readonly replayed = new Set<string>();

  /** `firstLine`: the number of the range's first line, less one. */
  constructor(firstLine: number, options: AuditOptions = {}, head?: ShardHeadOptions, pass: AuditPass = {}) {
    this.line = firstLine;
    // Each line belongs to one range, whose shard feeds it to its head tracker.
    this.head = head === undefined ? undefined : new HeadTracker(head);
    this.auditor = new Auditor(
      options,
      {
        clock: () => this.line,
        strayEventId: (eventId, where) => {
          if (!this.shadow)
            this.strays.push({
              eventId,
              where,
              line: this.line,
              index: this.auditor.progress().findings.length,
            });
        },
      },
      pass,
    );
  }

  /**
   * Audits the lines of a chunk of the range, in order. Every chunk but the
   * last ends with a newline; the last (`final`) is one line without its newline.
   */
  pushChunk(buf: Buffer, final = false): void {
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      this.pushLine(lineText(buf, start, nl, ++this.line));
      start = nl + 1;
    }
    if (final && start < buf.length) this.pushLine(lineText(buf, start, buf.length, ++this.line));
  }

  private pushLine(text: string): void {
    const line = this.line;
    this.head?.pushLine(text, line);
    const findings = this.auditor.progress().findings;
    const before = findings.length;
    this.auditor.push({ line, text });
    for (let i = before; i < findings.length; i++)
      if ((findings[i] as AuditFinding).streamId === null) this.unplacedLines.push([i, line]);
  }

  /** Replays a program line of another range: only its publication matters here. */
  replay({ line, text, streamId }: ProgramLine): void {
    this.replayed.add(streamId);
    this.auditor.endCurrentStream();
    const before = this.auditor.progress();
    const findingsBefore = before.findings.length;
    this.shadow = true;
    this.auditor.push({ line, text });
    const after = this.auditor.progress();
    after.findings.length = findingsBefore;
    this.shadowEvents += after.events - before.events;
    this.shadowStreams += after.streams - before.streams;
    this.shadow = false;
  }

  finish(): ShardResult {
    const unknownReferences = this.auditor.finishShard();
    const { findings, events, streams } = this.auditor.progress();
    return {
      mustRedo: this.auditor.mustRedo,
      spansStreams: this.auditor.spansStreams(),
      findings,
      unplacedLines: this.unplacedLines,
      strays: this.strays,
      unknownReferences,
      events: events - this.shadowEvents,
      streams: streams - this.shadowStreams,
      streamIds: this.auditor.streamIds().filter((id) => !this.replayed.has(id)),
      ...(this.head ? { heads: this.head.placed() } : {}),
    };
  }
}

/**
 * The report of the whole log from its shards' results: the same findings,
 * in the same order, as a single `Auditor` fed every line.
 */
export const mergeShards = (results: readonly ShardResult[]): AuditReport => {
  // Stray eventIds in log order: a later use of one is a repeat of the first.
  const firstUse = new Map<string, string>();
  const repeats = new Map<ShardResult, Map<number, AuditFinding[]>>();
  const strays = results.flatMap((r) => r.strays.map((s) => ({ s, r }))).sort((a, b) => a.s.line - b.s.line);
  for (const { s, r } of strays) {
    const first = firstUse.get(s.eventId);
    if (first === undefined) {
      firstUse.set(s.eventId, s.where);
      continue;
    }
    const at = r.findings[s.index - 1] as AuditFinding;
    const byIndex = repeats.get(r) ?? new Map<number, AuditFinding[]>();
    repeats.set(r, byIndex);
    const list = byIndex.get(s.index) ?? [];
    list.push({
      streamId: at.streamId,
      revision: at.revision,
      eventId: s.eventId,
      code: "SCHEMA",
      message: `eventId repeats in the log (first at ${first})`,
    });
    byIndex.set(s.index, list);
  }

  const findings = new Findings();
  // Unplaced findings come in line order; placed ones keep each shard's order
  // (a stream lives in one shard), which is all the report's sort looks at.
  const unplaced = results
    .flatMap((r) => r.unplacedLines.map(([i, line]) => ({ f: r.findings[i] as AuditFinding, line })))
    .sort((a, b) => a.line - b.line);
  for (const { f } of unplaced) findings.list.push(f);
  for (const r of results) {
    const byIndex = repeats.get(r);
    r.findings.forEach((f, i) => {
      for (const extra of byIndex?.get(i) ?? []) findings.list.push(extra);
      if (f.streamId !== null) findings.list.push(f);
    });
    for (const extra of byIndex?.get(r.findings.length) ?? []) findings.list.push(extra);
  }
  const references = new Map<string, ProgramReference>();
  for (const r of results)
    for (const ref of r.unknownReferences) {
      const key = `${ref.programId}\u0000${ref.version}`;
      const known = references.get(key);
      if (!known || ref.at < known.at) references.set(key, ref);
    }
  for (const ref of [...references.values()].sort((a, b) => a.at - b.at))
    reportUnknownReference(findings, ref);

  const sorted = findings.sorted();
  return {
    ok: sorted.length === 0,
    streams: results.reduce((n, r) => n + r.streams, 0),
    events: results.reduce((n, r) => n + r.events, 0),
    findings: sorted,
  };
};
