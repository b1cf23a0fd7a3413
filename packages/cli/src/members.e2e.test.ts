import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFileKeyStore } from "@vafa/adapters/file-keys";
import { testDataKey } from "@vafa/core";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, ndjson, readJson, readNdjson, tempDir } from "./testing/files.js";
import { cliEntry, vafa } from "./testing/vafa.js";

// `vafa members`, `vafa member <id>` and `vafa outbox` (club-v1 §4, §5, §8) on
// the club golden vectors: from the export with the vectors' keys
// (--test-data-keys), and from a PGlite store restored from it with a file key
// store holding the same keys (the forgotten member's destroyed).

const T = { asOf: "2011-05-01T00:00:00Z", since: "2010-12-31T00:00:00Z" };

beforeAll(async () => {
  await cliEntry();
}, 300_000);

for (const name of ["club-gregorian", "club-jalali"]) {
  describe(`8 vafa members / member / outbox on the ${name} vector`, () => {
    const dir = fixture(`vectors/${name}`);
    const events = join(dir, "expected-events.ndjson");
    const expectedMembers = readFileSync(join(dir, "expected-members.json"), "utf8");
    const expectedOutbox = readFileSync(join(dir, "expected-outbox.json"), "utf8");
    const same = (stdout: string, expected: string) =>
      expect(stdout).toBe(`${JSON.stringify(JSON.parse(expected), null, 2)}\n`);
    const work = tempDir(`members-${name}`);
    const store = `pglite:${join(work, "db")}`;
    const keyDir = join(work, "keys");

    it("members --events --test-data-keys: exactly expected-members.json", async () => {
      const r = await vafa(["members", "--events", events, "--as-of", T.asOf, "--test-data-keys"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      same(r.stdout, expectedMembers);
    });

    it("outbox --events --test-data-keys: exactly expected-outbox.json; ndjson and csv carry the same messages", async () => {
      const args = ["outbox", "--events", events, "--since", T.since, "--as-of", T.asOf, "--test-data-keys"];
      const r = await vafa(args);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      same(r.stdout, expectedOutbox);
      const lines = await vafa([...args, "--format", "ndjson"]);
      expect(ndjson(lines.stdout)).toEqual(JSON.parse(expectedOutbox));
      const csv = await vafa([...args, "--format", "csv", "--channel", "email"]);
      const rows = csv.stdout.trimEnd().split("\n");
      expect(rows[0]).toBe("messageKey,ruleId,memberId,channel,to,lang,text,dueAt");
      expect(rows.length - 1).toBe(
        (JSON.parse(expectedOutbox) as { channel: string }[]).filter((m) => m.channel === "email").length,
      );
    });

    it("from a restored PGlite store with a file key store: the same members and outbox", async () => {
      expect((await vafa(["restore", "--store", store, events])).code).toBe(0);
      const keys = await createFileKeyStore(keyDir, { generate: testDataKey });
      for (const m of ["ali", "nina", "reza", "sara"]) await keys.create(m);
      await keys.destroy("reza");
      await keys.close?.();
      const source = ["--store", store, "--key-store", `file:${keyDir}`];
      const m = await vafa(["members", ...source, "--as-of", T.asOf]);
      expect(m.code).toBe(0);
      same(m.stdout, expectedMembers);
      const o = await vafa(["outbox", ...source, "--since", T.since, "--as-of", T.asOf]);
      expect(o.code).toBe(0);
      same(o.stdout, expectedOutbox);
    });

    it("member <id>: the whole timeline, notes opened, a forgotten member's values absent", async () => {
      const nina = await vafa(["member", "nina", "--events", events, "--as-of", T.asOf, "--test-data-keys"]);
      expect(nina.code).toBe(0);
      const rows = JSON.parse(nina.stdout) as { type: string; data: Record<string, unknown> }[];
      expect(rows.length).toBe(readNdjson(events).filter((e) => e.streamId === "member-nina").length);
      expect(rows.find((r) => r.type === "NoteAdded")?.data.text).toBe("key account");
      const table = await vafa([
        "member",
        "reza",
        "--events",
        events,
        "--as-of",
        T.asOf,
        "--test-data-keys",
        "--format",
        "table",
      ]);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain("MemberForgotten");
      expect(table.stdout).toContain("name=(erased)");
      expect(table.stdout).not.toContain("Reza");
      const unknown = await vafa(["member", "nobody", "--events", events, "--as-of", T.asOf]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("UNKNOWN_MEMBER");
    });

    it("without keys: sealed values absent, a warning on stderr, nothing to send", async () => {
      const r = await vafa(["members", "--events", events, "--as-of", T.asOf]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("no key store");
      expect(r.stdout).not.toContain("Ali");
      const o = await vafa(["outbox", "--events", events, "--since", T.since, "--as-of", T.asOf]);
      expect(JSON.parse(o.stdout)).toEqual([]);
    });
  });
}

describe("8 --events is verified as the other queries read it", () => {
  it("a changed line is HASH_MISMATCH naming it (exit 1); --no-verify reads it anyway", async () => {
    const events = join(fixture("vectors/club-gregorian"), "expected-events.ndjson");
    const lines = readFileSync(events, "utf8").split("\n");
    const i = lines.findIndex((l) => l.includes('"purchaseId":"a1"'));
    lines[i] = (lines[i] as string).replace('"amount":"400"', '"amount":"4000"');
    const changed = join(tempDir("members-tampered"), "events.ndjson");
    writeFileSync(changed, lines.join("\n"));
    const args = ["outbox", "--events", changed, "--since", T.since, "--as-of", T.asOf, "--test-data-keys"];
    const r = await vafa(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`HASH_MISMATCH --events ${changed} line ${i + 1}`);
    expect((await vafa([...args, "--no-verify"])).code).toBe(0);
  });
});

describe("8 members and outbox exist only under a club program (club-v1 §10)", () => {
  it("an L1 export: exit 1 naming the reason; --since after --as-of is a usage error", async () => {
    const events = join(fixture("vectors/gregorian"), "expected-events.ndjson");
    const r = await vafa(["members", "--events", events, "--as-of", T.asOf]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("club program");
    const o = await vafa(["outbox", "--events", events, "--since", T.asOf, "--as-of", T.since]);
    expect(o.code).toBe(2);
    expect(readJson(join(fixture("vectors/gregorian"), "expected-kpis.json"))).not.toHaveProperty(
      "messagesSent",
    );
  });
});
