import { describe, expect, it } from "vitest";
import { createSqlKeyStore } from "./key-store.js";
import type { SqlQueryable } from "./sql-client.js";

// The statements of destroy (club-v1 §6), on a recording client: no database needed.
const recordingClient = (checkpointError?: unknown) => {
  const statements: string[] = [];
  const client: SqlQueryable = {
    async query<Row extends object>(text: string): Promise<Row[]> {
      statements.push(text.replace(/\s+/g, " ").trim());
      if (text === "CHECKPOINT" && checkpointError) throw checkpointError;
      return [];
    },
  };
  return { client, statements };
};

describe("SQL key store destroy (club-v1 §6)", () => {
  it("tombstones the key, then VACUUM FULL on the key table, then CHECKPOINT, each outside a transaction", async () => {
    const { client, statements } = recordingClient();
    await createSqlKeyStore(client, "club").destroy("reza");
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/^INSERT INTO "club"\.vafa_member_keys .* SET key = NULL/);
    expect(statements.slice(1)).toEqual(['VACUUM FULL "club".vafa_member_keys', "CHECKPOINT"]);
  });

  it("a CHECKPOINT the role may not run is a warning naming pg_checkpoint, not a failure", async () => {
    const { client } = recordingClient(Object.assign(new Error("permission denied"), { code: "42501" }));
    const warnings: string[] = [];
    await createSqlKeyStore(client, "public", { onWarning: (line) => warnings.push(line) }).destroy("reza");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/member reza is destroyed.*pg_checkpoint/);
  });

  it("any other CHECKPOINT failure is STORE_UNAVAILABLE", async () => {
    const { client } = recordingClient(Object.assign(new Error("server closed"), { code: "57P01" }));
    await expect(createSqlKeyStore(client, "public").destroy("reza")).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
  });
});
