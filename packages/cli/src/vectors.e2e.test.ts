import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, ndjson, readJson, readNdjson, tempDir, withoutRecordedAt } from "./testing/files.js";
import { cliEntry, vafa } from "./testing/vafa.js";

// The built CLI on the golden vectors (fixtures/vectors/README.md): the same
// answers over memory, PGlite and an export file.
const CASES = {
  gregorian: { asOf: "2011-05-15T00:00:00Z", from: "2011-03-01T00:00:00Z", to: "2011-06-01T00:00:00Z" },
  jalali: { asOf: "2012-04-01T00:00:00Z", from: "2012-02-20T00:00:00Z", to: "2012-04-20T00:00:00Z" },
} as const;

const lineAndCode = (rows: Record<string, unknown>[]) => rows.map((r) => ({ line: r.line, code: r.code }));

beforeAll(async () => {
  await cliEntry();
}, 300_000);

for (const [calendar, period] of Object.entries(CASES)) {
  describe(`8 vafa on the ${calendar} vectors`, () => {
    const dir = fixture(`vectors/${calendar}`);
    const work = tempDir(`vectors-${calendar}`);
    const store = `pglite:${join(work, "db")}`;
    const exportFile = join(work, "events.ndjson");
    const importArgs = ["import", "--program", join(dir, "program.json"), "--json"];
    const commands = join(dir, "commands.ndjson");

    it("8 import --json on memory: the expected summary and rejects, exit 3", async () => {
      const rejects = join(work, "memory-rejects.ndjson");
      const r = await vafa([...importArgs, "--store", "memory:", "--rejects", rejects, commands]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toEqual(readJson(join(dir, "expected-summary.json")));
      expect(lineAndCode(readNdjson(rejects))).toEqual(
        lineAndCode(readNdjson(join(dir, "expected-rejects.ndjson"))),
      );
    });

    it("8 import into PGlite, then export: the expected events in every field but recordedAt", async () => {
      const rejects = join(work, "pglite-rejects.ndjson");
      const r = await vafa([...importArgs, "--store", store, "--rejects", rejects, commands]);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toEqual(readJson(join(dir, "expected-summary.json")));
      expect(lineAndCode(readNdjson(rejects))).toEqual(
        lineAndCode(readNdjson(join(dir, "expected-rejects.ndjson"))),
      );

      const e = await vafa(["export", "--store", store]);
      expect(e.code).toBe(0);
      writeFileSync(exportFile, e.stdout);
      const exported = ndjson(e.stdout);
      expect(withoutRecordedAt(exported)).toEqual(
        withoutRecordedAt(readNdjson(join(dir, "expected-events.ndjson"))),
      );
      // Spec 2 envelope key order, as the vectors write it.
      const firstLine = e.stdout.split("\n")[0] as string;
      expect(Object.keys(JSON.parse(firstLine))).toEqual([
        "streamId",
        "revision",
        "eventId",
        "type",
        "occurredAt",
        "recordedAt",
        "data",
        "metadata",
      ]);
    });

    // Issue 11: batched import into a PostgreSQL server, byte for byte the same (needs VAFA_PG_URL).
    const pgUrl = process.env.VAFA_PG_URL;
    if (pgUrl)
      it("8 import into PostgreSQL (batched), then export: the expected events in every field but recordedAt", async () => {
        const url = new URL(pgUrl);
        url.searchParams.set("schema", `v_${calendar}_${Date.now().toString(36)}`);
        const r = await vafa([...importArgs, "--store", url.toString(), commands]);
        expect(r.code).toBe(3);
        expect(JSON.parse(r.stdout)).toEqual(readJson(join(dir, "expected-summary.json")));
        const e = await vafa(["export", "--store", url.toString()]);
        expect(e.code).toBe(0);
        expect(withoutRecordedAt(ndjson(e.stdout))).toEqual(
          withoutRecordedAt(readNdjson(join(dir, "expected-events.ndjson"))),
        );
      });
    else it.skip("8 import into PostgreSQL: skipped because VAFA_PG_URL is not set (no server)", () => {});

    // One calendar is enough for the replay (each PGlite start costs seconds).
    if (calendar === "gregorian")
      it("8 import again: replays append nothing and count as accepted", async () => {
        const r = await vafa([...importArgs, "--store", store, commands]);
        expect(r.code).toBe(3);
        const expected = readJson(join(dir, "expected-summary.json")) as {
          accepted: number;
          rejected: number;
        };
        expect(JSON.parse(r.stdout)).toEqual({
          accepted: expected.accepted,
          rejected: expected.rejected,
          events: 0,
        });
      });

    for (const query of ["balances", "rfm", "liability", "kpis", "rollforward"] as const) {
      it(`6 ${query} --format json over the export equals the expected file`, async () => {
        const when =
          query === "kpis" || query === "rollforward"
            ? ["--from", period.from, "--to", period.to]
            : ["--as-of", period.asOf];
        const r = await vafa([query, "--events", exportFile, ...when]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual(readJson(join(dir, `expected-${query}.json`)));
      });
    }

    it("7 audit of the export (with the program file) is clean, exit 0", async () => {
      const r = await vafa([
        "audit",
        "--events",
        exportFile,
        "--program",
        join(dir, "program.json"),
        "--json",
      ]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        ok: true,
        streams: expect.any(Number),
        events: ndjson(readFileSync(exportFile, "utf8")).length,
        findings: [],
        head: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });
  });
}
