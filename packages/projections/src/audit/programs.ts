import { jcs, type Program } from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";

const keyOf = (programId: string, version: number): string => `${programId}\u0000${version}`;

/** Compares programs by content; a missing `campaigns` equals `[]` (spec 3 default). */
const sameProgram = (a: Program, b: Program): boolean => {
  const norm = (p: Program) => ({ ...p, earn: { ...p.earn, campaigns: p.earn.campaigns ?? [] } });
  return jcs(norm(a)) === jcs(norm(b));
};

/** A program version an event names, where first named; `at` orders it in the log (parallel audit). */
export interface ProgramReference {
  programId: string;
  version: number;
  loc: EventLocation;
  at: number;
}

/** The finding for a program version the log names but never published. */
export const reportUnknownReference = (findings: Findings, r: ProgramReference): void =>
  findings.at(
    r.loc,
    "SCHEMA",
    `metadata names program ${r.programId} version ${r.version}, which the log never published`,
  );

/** A check waiting for its program. */
interface Deferred {
  programId: string;
  version: number;
  loc: EventLocation;
  run: (program: Program) => void;
}

/**
 * The program versions the audit knows: given ones and those published in the
 * log. Checks that need a program run at once when it is known, else when the
 * log has been read (an export lists `program-*` streams after `member-*`).
 */
export class ProgramBook {
  private readonly known = new Map<string, Program>();
  private readonly given = new Map<string, Program>();
  /** programIds that have a ProgramPublished in the log. */
  private readonly published = new Set<string>();
  private deferred: Deferred[] = [];
  private readonly references = new Map<string, ProgramReference>();
  /**
   * Programs read from the log before the audit (file-audit.ts), one per
   * version: a check whose program is not yet known waits for the end of its
   * stream (`endStream`), not of the log, so a stream's state is not held to
   * the end. Run there, it sees what it would see at the end of the log (its
   * stream is over) and its findings keep their order within the stream.
   */
  private readonly ahead = new Map<string, Program>();
  /** streamId -> its checks waiting for a program read ahead, in order. */
  private readonly waiting = new Map<string, Deferred[]>();
  /** Keys of the programs read ahead that checks ran with: each must be the one the log ends with. */
  private readonly aheadUsed = new Set<string>();
  /** A program read ahead was not the one in force at the end: the audit must be redone without them. */
  aheadFailed = false;

  constructor(
    programs: readonly Program[],
    private readonly clock: () => number = () => 0,
    programsAhead: readonly Program[] = [],
  ) {
    for (const p of programs) {
      this.known.set(keyOf(p.programId, p.version), p);
      this.given.set(keyOf(p.programId, p.version), p);
    }
    for (const p of programsAhead) this.ahead.set(keyOf(p.programId, p.version), p);
  }

  /** Registers a published program; returns false when a given program of that version differs. */
  publish(program: Program): boolean {
    const key = keyOf(program.programId, program.version);
    this.published.add(program.programId);
    const given = this.given.get(key);
    if (given && !sameProgram(given, program)) return false;
    if (!given) this.known.set(key, program);
    return true;
  }

  get(programId: string, version: number): Program | undefined {
    return this.known.get(keyOf(programId, version));
  }

  /**
   * Runs `run` with the program in force for an event: now when it is known,
   * at the end of the event's stream when it was read ahead, else at `finish`.
   */
  withProgram(programId: string, version: number, loc: EventLocation, run: (program: Program) => void): void {
    const p = this.get(programId, version);
    if (p) {
      run(p);
      return;
    }
    const check = { programId, version, loc, run };
    if (!this.ahead.has(keyOf(programId, version))) {
      this.deferred.push(check);
      return;
    }
    const list = this.waiting.get(loc.streamId);
    if (list) list.push(check);
    else this.waiting.set(loc.streamId, [check]);
  }

  /** The stream has ended (it does not come back): its checks waiting for a program read ahead run. */
  endStream(streamId: string): void {
    const list = this.waiting.get(streamId);
    if (!list) return;
    this.waiting.delete(streamId);
    for (const d of list) {
      const key = keyOf(d.programId, d.version);
      this.aheadUsed.add(key);
      d.run(this.ahead.get(key) as Program);
    }
  }

  /** Notes the program version an event names (first place only: a handful of versions per log). */
  reference(programId: string, version: number, loc: EventLocation): void {
    const key = keyOf(programId, version);
    if (!this.references.has(key)) this.references.set(key, { programId, version, loc, at: this.clock() });
  }

  /**
   * Runs deferred checks whose program became known. A version that is still
   * unknown while the log publishes that program is a SCHEMA finding (once per
   * version); without any publication the program checks are simply skipped.
   */
  finish(findings: Findings): void {
    for (const r of this.finishDeferred()) reportUnknownReference(findings, r);
  }

  /** Runs the deferred checks; returns the referenced versions that are unknown while their program is published. */
  finishDeferred(): ProgramReference[] {
    for (const streamId of [...this.waiting.keys()]) this.endStream(streamId);
    for (const key of this.aheadUsed) {
      const final = this.known.get(key);
      if (!final || jcs(final) !== jcs(this.ahead.get(key))) this.aheadFailed = true;
    }
    for (const d of this.deferred) {
      const p = this.get(d.programId, d.version);
      if (p) d.run(p);
    }
    this.deferred = [];
    return [...this.references.values()].filter(
      (r) => this.published.has(r.programId) && !this.get(r.programId, r.version),
    );
  }
}
