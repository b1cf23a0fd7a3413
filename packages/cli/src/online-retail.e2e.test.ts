import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, ndjson, readNdjson, tempDir } from "./testing/files.js";
import { cliEntry, vafa } from "./testing/vafa.js";

// Every command and every output format on a slice of real data (UCI Online
// Retail, fixtures/online-retail/ATTRIBUTION.md).
const PROGRAM = fixture("online-retail/program.json");
const COMMANDS = fixture("online-retail/slice-commands.ndjson");
const AS_OF = "2011-03-31T00:00:00Z";
const FROM = "2011-01-01T00:00:00Z";
const TO = "2011-04-01T00:00:00Z";
const MONEY = /^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;

beforeAll(async () => {
  await cliEntry();
}, 300_000);

describe("8 vafa on the Online Retail slice", () => {
  const work = tempDir("online-retail");
  const store = `pglite:${join(work, "db")}`;
  const exportFile = join(work, "events.ndjson");
  let memorySummary: { accepted: number; rejected: number; events: number };

  it("8 import --json on memory: every line accounted for", async () => {
    const rejects = join(work, "rejects.ndjson");
    const r = await vafa([
      "import",
      "--program",
      PROGRAM,
      "--store",
      "memory:",
      "--json",
      "--rejects",
      rejects,
      COMMANDS,
    ]);
    memorySummary = JSON.parse(r.stdout);
    const lines = ndjson(readFileSync(COMMANDS, "utf8")).length;
    expect(memorySummary.accepted + memorySummary.rejected).toBe(lines);
    expect(readNdjson(rejects)).toHaveLength(memorySummary.rejected);
    expect(r.code).toBe(memorySummary.rejected > 0 ? 3 : 0);
  });

  it("8 import into PGlite gives the same summary; sweep appends what became due", async () => {
    const r = await vafa(["import", "--program", PROGRAM, "--store", store, "--json", COMMANDS]);
    expect(JSON.parse(r.stdout)).toEqual(memorySummary);
    const s = await vafa([
      "sweep",
      "--program",
      PROGRAM,
      "--store",
      store,
      "--at",
      "2011-12-31T00:00:00Z",
      "--json",
    ]);
    expect(s.code).toBe(0);
    const swept = JSON.parse(s.stdout) as { at: string; events: number };
    expect(swept.at).toBe("2011-12-31T00:00:00.000Z");
    expect(swept.events).toBeGreaterThan(0);
  });

  it("8 export: streams sorted by id (code units), each in revision order; the export audits clean", async () => {
    const e = await vafa(["export", "--store", store, "--out", exportFile]);
    expect(e.code).toBe(0);
    const events = readNdjson(exportFile) as { streamId: string; revision: number }[];
    expect(events.length).toBeGreaterThan(memorySummary.events);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1], events[i]] as [
        { streamId: string; revision: number },
        { streamId: string; revision: number },
      ];
      if (a.streamId === b.streamId) expect(b.revision).toBe(a.revision + 1);
      else {
        expect(a.streamId < b.streamId).toBe(true);
        expect(b.revision).toBe(0);
      }
    }
    const auditFile = await vafa(["audit", "--events", exportFile, "--json"]);
    expect(auditFile.code).toBe(0);
    expect(JSON.parse(auditFile.stdout)).toMatchObject({ ok: true, events: events.length, findings: [] });
  });

  for (const query of ["balances", "rfm", "liability", "kpis", "rollforward"] as const) {
    it(`6 ${query}: json, csv and table carry the same rows (balances: the store and the export agree)`, async () => {
      const when =
        query === "kpis" || query === "rollforward" ? ["--from", FROM, "--to", TO] : ["--as-of", AS_OF];
      const fromFile = await vafa([query, "--events", exportFile, ...when, "--format", "json"]);
      expect(fromFile.code).toBe(0);
      const json = JSON.parse(fromFile.stdout);
      // One query also reads the store itself (each PGlite start costs seconds).
      if (query === "balances") {
        const fromStore = await vafa([query, "--store", store, ...when]);
        expect(JSON.parse(fromStore.stdout)).toEqual(json);
      }

      const csv = await vafa([query, "--events", exportFile, ...when, "--format", "csv"]);
      expect(csv.code).toBe(0);
      const records = parseCsv(csv.stdout, { columns: true }) as Record<string, string>[];
      const rows = Array.isArray(json) ? json : [json];
      expect(records).toHaveLength(rows.length);
      expect(rows.length).toBeGreaterThan(0);
      // Same values, flattened; money stays a plain decimal string.
      const flat = (value: unknown, prefix = "", into: Record<string, string> = {}) => {
        if (value !== null && typeof value === "object")
          for (const [k, v] of Object.entries(value)) flat(v, prefix ? `${prefix}.${k}` : k, into);
        else into[prefix] = String(value);
        return into;
      };
      expect(records).toEqual(rows.map((row) => flat(row)));
      for (const record of records)
        for (const [key, value] of Object.entries(record))
          if (/(^|\.)(value|monetary|revenue)$/.test(key)) expect(value).toMatch(MONEY);

      const table = await vafa([query, "--events", exportFile, ...when, "--format", "table"]);
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split("\n");
      if (Array.isArray(json)) {
        expect(lines).toHaveLength(json.length + 1);
        // Aligned: every column of the header starts where its values start or end.
        const header = lines[0] as string;
        expect(header.startsWith(Object.keys(json[0])[0] as string)).toBe(true);
        const firstId = String((json[0] as { memberId: string }).memberId);
        expect(lines[1]?.startsWith(firstId)).toBe(true);
      } else {
        expect(lines).toHaveLength(Object.keys(flat(json)).length);
      }
    });
  }

  it("8 report: an HTML file in English and in Persian, from the store and from the export", async () => {
    const en = join(work, "report-en.html");
    const fa = join(work, "report-fa.html");
    const a = await vafa(["report", "--store", store, "--as-of", AS_OF, "--out", en]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^wrote .*report-en\.html \(\d+ members, audit clean\)\n$/);
    const b = await vafa(["report", "--events", exportFile, "--as-of", AS_OF, "--out", fa, "--lang", "fa"]);
    expect(b.code).toBe(0);
    for (const file of [en, fa]) {
      expect(statSync(file).size).toBeGreaterThan(10_000);
      expect(readFileSync(file, "utf8")).toMatch(/^<!doctype html>/i);
    }
    expect(readFileSync(fa, "utf8")).toMatch(/dir="rtl"/);
    expect(readFileSync(en, "utf8")).toContain("online-retail-club");
  });
});
