import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, tempDir } from "../testing/files.js";
import { cliEntry, vafa } from "../testing/vafa.js";

// Spec 7 and 8: one tampered byte in one event of an export makes the audit
// exit 1 with exactly one HASH_MISMATCH, naming that stream and revision.
const EXPORT = fixture("vectors/gregorian/expected-events.ndjson");

interface Finding {
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  code: string;
}

/** Changes one byte inside the `data` of line `index` (0-based) at the first match of `pattern`. */
const tamper = (index: number, pattern: RegExp, replace: (found: string) => string) => {
  const lines = readFileSync(EXPORT, "utf8").split("\n");
  const original = lines[index] as string;
  const dataAt = original.indexOf('"data":');
  const match = pattern.exec(original.slice(dataAt));
  if (!match) throw new Error(`test setup: ${pattern} not in line ${index + 1}`);
  const at = dataAt + match.index;
  const changed = original.slice(0, at) + replace(match[0]) + original.slice(at + match[0].length);
  expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(original));
  lines[index] = changed;
  const event = JSON.parse(original) as { streamId: string; revision: number; eventId: string };
  return { text: lines.join("\n"), event };
};

beforeAll(async () => {
  await cliEntry();
}, 300_000);

describe("7 audit finds one tampered byte", () => {
  const work = tempDir("audit");

  it("7 the untouched export audits clean, exit 0", async () => {
    const r = await vafa(["audit", "--events", EXPORT, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, findings: [] });
  });

  const lines = readFileSync(EXPORT, "utf8").split("\n");
  const purchaseLine = lines.findIndex(
    (l) => l.includes('"type":"PurchaseRecorded"') && l.includes('"revision":3'),
  );
  const programLine = lines.findIndex((l) => l.includes('"type":"ProgramPublished"'));

  it.each([
    {
      name: "a purchase amount digit",
      index: purchaseLine,
      pattern: /"amount":"\d/,
      replace: (s: string) => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10),
    },
    {
      name: "a letter of the program currency",
      index: programLine,
      pattern: /"currency":"GBP"/,
      replace: () => '"currency":"GBQ"',
    },
  ])(
    "7 $name: exit 1, exactly one HASH_MISMATCH on that stream and revision",
    async ({ index, pattern, replace }) => {
      expect(index).toBeGreaterThanOrEqual(0);
      const { text, event } = tamper(index, pattern, replace);
      const file = join(work, `tampered-${index}.ndjson`);
      writeFileSync(file, text);
      const r = await vafa(["audit", "--events", file, "--json"]);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as { ok: boolean; findings: Finding[] };
      expect(report.ok).toBe(false);
      const hash = report.findings.filter((f) => f.code === "HASH_MISMATCH");
      expect(hash).toEqual([
        expect.objectContaining({
          streamId: event.streamId,
          revision: event.revision,
          eventId: event.eventId,
        }),
      ]);
      const human = await vafa(["audit", "--events", file]);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(
        `HASH_MISMATCH ${event.streamId} revision ${event.revision} ${event.eventId}`,
      );
    },
  );
});

describe("7 audit --workers: threads change nothing in the report", () => {
  const work = tempDir("audit-workers");

  it("7 --workers 2 prints byte for byte what --workers 1 prints, on a tampered export", async () => {
    const { text } = tamper(
      lines.findIndex((l) => l.includes('"type":"PurchaseRecorded"')),
      /"amount":"\d/,
      (s) => `${s.slice(0, -1)}${(Number(s.at(-1)) + 1) % 10}`,
    );
    const file = join(work, "tampered.ndjson");
    // A damaged line and CRLF endings on top of the changed amount.
    writeFileSync(file, `${text.split("\n").join("\r\n")}\n{not json\n`);
    const one = await vafa(["audit", "--events", file, "--json", "--workers", "1"]);
    const two = await vafa(["audit", "--events", file, "--json", "--workers", "2"]);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(one.stdout).findings.length).toBeGreaterThan(1);
  });

  it("7 --workers 2 gives the head of --workers 1, and --expect-head and --head-at act the same", async () => {
    const one = await vafa(["audit", "--events", EXPORT, "--workers", "1"]);
    const two = await vafa(["audit", "--events", EXPORT, "--workers", "2"]);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const head = /head ([0-9a-f]{64})/.exec(one.stdout)?.[1] as string;
    expect((await vafa(["audit", "--events", EXPORT, "--workers", "2", "--expect-head", head])).code).toBe(0);
    const cut = ["--head-at", "2011-03-01T00:00:00Z", "--json"];
    const cutOne = await vafa(["audit", "--events", EXPORT, "--workers", "1", ...cut]);
    const cutTwo = await vafa(["audit", "--events", EXPORT, "--workers", "2", ...cut]);
    expect(cutTwo.stdout).toBe(cutOne.stdout);
    const wrong = await vafa([
      "audit",
      "--events",
      EXPORT,
      "--workers",
      "2",
      "--expect-head",
      "0".repeat(64),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("HEAD_MISMATCH");
  });

  it("8 --workers takes auto or a count", async () => {
    const r = await vafa(["audit", "--events", EXPORT, "--workers", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers must be auto or a whole number");
  });
});

const lines = readFileSync(EXPORT, "utf8").split("\n");
