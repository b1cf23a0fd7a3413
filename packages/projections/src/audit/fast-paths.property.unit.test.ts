import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Calendar, exportText, loadProgram } from "../testing/audit-export.js";
import { auditEvents, auditFastPaths } from "./audit.js";
import {
  type ChainTail,
  checkHash,
  computeHash,
  isDerivedEventId,
  knownHexPrevHash,
} from "./chain-checks.js";
import { parseEventData } from "./data-check.js";
import { checkEnvelope, checkMetadata, isTimeOut, timeMs, timeOutMs } from "./envelope-schema.js";
import { Findings } from "./findings.js";

// Issue 11: the audit compares an eventId with the one re-derived, a hash with
// the one computed and reads a time's digits before (or instead of) the
// format checks of spec 2. Each fast path must give the verdict of the slow
// check it skips, on tampered lines of the golden exports (spec 7 SCHEMA,
// HASH_MISMATCH, TIME_REVERSED).

const PICK = '0123456789abcdefABCDEF-:.TZ"x ';

/** Replaces one character in the first `field`'s value of a line (its key as written in the export). */
const tamper = (line: string, field: string, pick: number, c: string): string => {
  const key = line.indexOf(`"${field}":"`);
  if (key < 0) return line;
  const start = key + field.length + 4;
  const end = line.indexOf('"', start);
  const at = start + (pick % Math.max(1, end - start));
  return line.slice(0, at) + c + line.slice(at + 1);
};

describe.each<Calendar>(["gregorian", "jalali"])("issue 11 fast paths on the %s export", (calendar) => {
  const lines = exportText(calendar)
    .split("\n")
    .filter((l) => l !== "");
  const fields = ["eventId", "prevHash", "hash", "occurredAt", "commandId", "streamId", "availableAt"];
  const edit = fc.array(
    fc.record({
      line: fc.nat({ max: lines.length - 1 }),
      field: fc.constantFrom(...fields),
      pick: fc.nat(),
      c: fc.constantFrom(...PICK),
    }),
    { maxLength: 3 },
  );
  /** A line's hash, and the next line's prevHash in the same stream, both set to the hash with one character changed. */
  const relink = fc.option(
    fc.record({ line: fc.nat({ max: lines.length - 2 }), pick: fc.nat(), c: fc.constantFrom(...PICK) }),
  );
  const relinked = (all: string[], r: { line: number; pick: number; c: string } | null): string[] => {
    if (r === null) return all;
    const e = JSON.parse(all[r.line] as string);
    const next = all.findIndex((t, i) => i > r.line && JSON.parse(t).streamId === e.streamId);
    if (next < 0) return all;
    const h = e.metadata.hash as string;
    const at = r.pick % h.length;
    const x = h.slice(0, at) + r.c + h.slice(at + 1);
    e.metadata.hash = x;
    const n = JSON.parse(all[next] as string);
    n.metadata.prevHash = x;
    const out = [...all];
    out[r.line] = JSON.stringify(e);
    out[next] = JSON.stringify(n);
    return out;
  };

  it("2 the checks given an eventId that re-derives, a known-hex prevHash and a computed hash say what the format checks say", () => {
    fc.assert(
      fc.property(edit, relink, (edits, r) => {
        const tampered = [...relinked(lines, r)];
        for (const { line, field, pick, c } of edits)
          tampered[line] = tamper(tampered[line] as string, field, pick, c);
        const tails = new Map<string, ChainTail>();
        for (const text of tampered) {
          let raw: Record<string, unknown>;
          try {
            raw = JSON.parse(text);
          } catch {
            continue;
          }
          const streamId = raw.streamId as string;
          const meta = raw.metadata as Record<string, unknown>;
          const s = tails.get(streamId) ?? { nextRevision: 0, lastHash: undefined, commandCounts: new Map() };
          tails.set(streamId, s);
          const commandId = meta.commandId as string;
          const index = s.commandCounts.get(commandId) ?? 0;
          s.commandCounts.set(commandId, index + 1);
          const derived =
            typeof raw.eventId === "string" && isDerivedEventId(raw.eventId, streamId, commandId, index);
          const checked = checkEnvelope(raw, derived);
          expect(checked).toEqual(checkEnvelope(raw));
          const envelope = checked.envelope;
          const data = envelope ? parseEventData(envelope.type, raw.data) : undefined;
          const valid = envelope && data?.jcs !== undefined ? { envelope, dataJcs: data.jcs } : undefined;
          const computed = computeHash(raw, meta, streamId, valid);
          expect(computed).toBe(computeHash(raw, meta, streamId));
          const prevHex = knownHexPrevHash(s, streamId);
          const hashHex = typeof computed === "string" ? computed : undefined;
          expect(checkMetadata(meta, prevHex, hashHex)).toEqual(checkMetadata(meta));
          const loc = { streamId, revision: raw.revision as number, eventId: raw.eventId as string };
          const fast = new Findings();
          const slow = new Findings();
          const copy = structuredClone(s);
          checkHash(fast, s, raw, meta, loc, valid, computed);
          checkHash(slow, copy, raw, meta, loc);
          expect(fast.list).toEqual(slow.list);
          if (envelope) expect(timeOutMs(envelope.occurredAt)).toBe(Date.parse(envelope.occurredAt));
          const earned = raw.data as { availableAt?: unknown };
          if (typeof earned.availableAt === "string")
            expect(timeMs(earned.availableAt)).toBe(Date.parse(earned.availableAt));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("7 the audit of tampered lines gives the findings of the audit without its fast paths, byte for byte", async () => {
    const programs = [loadProgram(calendar)];
    const audit = async (tampered: string[], on: boolean) => {
      auditFastPaths.on = on;
      try {
        return await auditEvents(
          tampered.map((text, i) => ({ line: i + 1, text })),
          { programs },
        );
      } finally {
        auditFastPaths.on = true;
      }
    };
    await fc.assert(
      fc.asyncProperty(edit, relink, async (edits, r) => {
        const tampered = [...relinked(lines, r)];
        for (const { line, field, pick, c } of edits)
          tampered[line] = tamper(tampered[line] as string, field, pick, c);
        const fast = await audit(tampered, true);
        const slow = await audit(tampered, false);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("issue 11 times read from their digits", () => {
  const iso = fc
    .date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z") })
    .filter((d) => !Number.isNaN(d.getTime()))
    .map((d) => d.toISOString())
    .filter((t) => t.length === 24);

  it("2 timeOutMs is Date.parse for every UTC ISO time with milliseconds", () => {
    fc.assert(
      fc.property(iso, (t) => {
        expect(isTimeOut(t)).toBe(true);
        expect(timeOutMs(t)).toBe(Date.parse(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("2 timeMs is Date.parse for any text, a time with one character changed included", () => {
    fc.assert(
      fc.property(iso, fc.nat(23), fc.constantFrom(...PICK), (t, at, c) => {
        const edited = t.slice(0, at) + c + t.slice(at + 1);
        expect(Object.is(timeMs(edited), Date.parse(edited))).toBe(true);
        expect(Object.is(timeMs(t), Date.parse(t))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
