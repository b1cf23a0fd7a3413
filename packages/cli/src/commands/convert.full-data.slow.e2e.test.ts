import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, readNdjson, tempDir } from "../testing/files.js";
import { cliEntry, ROOT, vafa } from "../testing/vafa.js";

// The two whole data sets of ../shared/data (beside the repository, not in it:
// fixtures/*/ATTRIBUTION.md) convert with the documented mappings and import
// with no rejection. Every row the converter leaves out is in one of the
// classes docs/analyst-guide.md explains, with these counts.
const DATA = join(ROOT, "../shared/data");
const CASES = [
  {
    name: "online-retail",
    file: join(DATA, "online-retail.csv.gz"),
    rows: 541_909,
    // anonymous sales; cancellations of invoices from before the data starts; all-free invoices
    rejectedByCode: { MISSING_MEMBER: 135_080, REFUND_UNMATCHED: 437, ZERO_AMOUNT: 7 },
  },
  {
    name: "cdnow",
    file: join(DATA, "cdnow-master.txt.gz"),
    rows: 69_659,
    rejectedByCode: { ZERO_AMOUNT: 80 }, // orders worth $0
  },
] as const;

beforeAll(async () => {
  await cliEntry();
}, 300_000);

for (const c of CASES)
  describe.skipIf(!existsSync(c.file))(`8 the whole ${c.name} file (skipped: needs ${c.file})`, () => {
    it("converts with docs/mappings and imports into memory with no rejection", async () => {
      const work = tempDir(`convert-full-${c.name}`);
      const out = join(work, "commands.ndjson");
      const rejects = join(work, "rejects.ndjson");
      const mapping = join(ROOT, "docs/mappings", `${c.name}.json`);
      const converted = await vafa([
        "convert",
        "csv",
        "--mapping",
        mapping,
        c.file,
        "--out",
        out,
        "--rejects",
        rejects,
        "--json",
      ]);
      const summary = JSON.parse(converted.stdout);
      expect(summary).toMatchObject({ rows: c.rows, rejectedByCode: c.rejectedByCode });
      expect(readNdjson(rejects)).toHaveLength(summary.rejected);
      const imported = await vafa([
        "import",
        "--program",
        fixture(`${c.name}/program.json`),
        "--store",
        "memory:",
        "--json",
        out,
      ]);
      expect(JSON.parse(imported.stdout)).toMatchObject({ accepted: summary.commands, rejected: 0 });
      expect(imported.code).toBe(0);
    }, 300_000);
  });
