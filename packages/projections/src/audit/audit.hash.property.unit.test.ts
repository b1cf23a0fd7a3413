import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Calendar, exportText } from "../testing/audit-export.js";
import { auditEvents } from "./audit.js";

// Spec 7: "one tampered byte gives exactly one HASH_MISMATCH, on that event;
// checks of its content may report further findings."

const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

describe.each<Calendar>(["gregorian", "jalali"])("7 one tampered byte in the %s export", (calendar) => {
  const lines = exportText(calendar)
    .split("\n")
    .filter((l) => l !== "");
  // Positions of letters and digits inside each line's `data` (one byte each in UTF-8).
  const targets = lines.map((line) => {
    const start = line.indexOf('"data":') + 7;
    const end = line.indexOf(',"metadata":');
    const positions: number[] = [];
    for (let i = start; i < end; i++) if (ALNUM.includes(line[i] as string)) positions.push(i);
    return positions;
  });

  it("7 gives exactly one HASH_MISMATCH, naming exactly that stream and revision", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: lines.length - 1 }),
        fc.nat(),
        fc.constantFrom(...ALNUM),
        async (lineIndex, pick, replacement) => {
          const positions = targets[lineIndex] as number[];
          const at = positions[pick % positions.length] as number;
          const line = lines[lineIndex] as string;
          fc.pre(line[at] !== replacement);
          const tampered = line.slice(0, at) + replacement + line.slice(at + 1);
          let event: { streamId: string; revision: number; eventId: string };
          try {
            event = JSON.parse(tampered);
          } catch {
            return fc.pre(false); // e.g. a digit replaced by a letter outside a string
          }
          const edited = lines.map((l, i) => ({ line: i + 1, text: i === lineIndex ? tampered : l }));
          const report = await auditEvents(edited);
          const hashes = report.findings.filter((f) => f.code === "HASH_MISMATCH");
          expect(hashes.map((f) => [f.streamId, f.revision, f.eventId])).toEqual([
            [event.streamId, event.revision, event.eventId],
          ]);
          expect(report.ok).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});
