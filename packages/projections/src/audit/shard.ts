import { idStartsWith, StreamIdReader, streamHash } from "../stream-route.js";
import { Auditor, type AuditPass } from "./audit.js";
import { Findings } from "./findings.js";
import { HeadTracker, type PlacedHead } from "./head.js";
import { type ProgramReference, reportUnknownReference } from "./programs.js";
import type { AuditFinding, AuditOptions, AuditReport } from "./types.js";

// One shard of the parallel audit (spec 7): every shard reads every line of
// the export, audits the streams it owns (by a hash of the streamId) and
// replays the program streams of the others without reporting them, so its
// program book at each event is the one of a single-threaded audit. The
// checks that span streams (a stray eventId repeated in another stream, the
// first reference to an unknown program version) and the order of findings
// no stream owns are settled when the shards are merged, by log position.

const NEWLINE = 0x0a;
const CR = 0x0d;
const PROGRAM = Buffer.from("program-");
const BLANK = /^[ \t]*$/;

/** The shard (of `count`) that owns a stream. */
const shardOf = (streamId: string, count: number): number => streamHash(streamId) % count;

/** A line's text as the CLI reads it (`readLines`): BOM dropped on line 1, one trailing CR dropped. */
const lineText = (buf: Buffer, start: number, end: number, line: number): string => {
  const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
  const text = buf.toString("utf8", start, stop);
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};

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
  /** The heads of the owned streams (by line), when asked for (`ShardAuditor` `head`). */
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
  private line = 0;
  private shadow = false;
  private shadowEvents = 0;
  private shadowStreams = 0;
  private readonly strays: Stray[] = [];
  private readonly unplacedLines: [number, number][] = [];
  private readonly reader = new StreamIdReader();
  private readonly head: HeadTracker | undefined;

  constructor(
    private readonly index: number,
    private readonly count: number,
    options: AuditOptions = {},
    head?: ShardHeadOptions,
    pass: AuditPass = {},
  ) {
    // Each non-blank line is owned by one shard, which feeds it to its head tracker.
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
   * Audits the owned lines of a chunk. Every chunk but the last ends with a
   * newline; the last (`final`) is one line without its newline.
   */
  pushChunk(buf: Buffer, final = false): void {
    this.reader.newChunk();
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      this.pushLine(buf, start, nl);
      start = nl + 1;
    }
    if (final && start < buf.length) this.pushLine(buf, start, buf.length);
  }

  private pushLine(buf: Buffer, start: number, end: number): void {
    const line = ++this.line;
    let text: string | undefined;
    let owner: number;
    let program: boolean;
    const fast = this.reader.read(buf, start, end);
    if (fast !== null) {
      owner = fast.hash % this.count;
      program = idStartsWith(buf, fast, PROGRAM);
    } else {
      text = lineText(buf, start, end, line);
      if (BLANK.test(text)) return;
      const streamId = streamIdOf(text, line);
      // A line that names no stream is unplaced: shard 0 reports it.
      owner = streamId === null ? 0 : shardOf(streamId, this.count);
      program = streamId?.startsWith("program-") ?? false;
    }
    if (owner !== this.index && !program) return;
    text ??= lineText(buf, start, end, line);
    if (owner === this.index) this.head?.pushLine(text, line);
    else this.auditor.endCurrentStream();
    const before = this.auditor.progress();
    const findingsBefore = before.findings.length;
    this.shadow = owner !== this.index;
    this.auditor.push({ line, text });
    const after = this.auditor.progress();
    if (this.shadow) {
      // Another shard reports this line; only its program publication matters here.
      after.findings.length = findingsBefore;
      this.shadowEvents += after.events - before.events;
      this.shadowStreams += after.streams - before.streams;
      this.shadow = false;
      return;
    }
    for (let i = findingsBefore; i < after.findings.length; i++)
      if ((after.findings[i] as AuditFinding).streamId === null) this.unplacedLines.push([i, line]);
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
      ...(this.head ? { heads: this.head.placed() } : {}),
    };
  }
}

/** The stream a line names, read as `Auditor.push` reads it (its own BOM and CR rules). */
const streamIdOf = (text: string, line: number): string | null => {
  let t = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (line === 1 && t.startsWith("\uFEFF")) t = t.slice(1);
  try {
    const v: unknown = JSON.parse(t);
    if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
    const id = (v as { streamId?: unknown }).streamId;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
};

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
