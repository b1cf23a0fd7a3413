import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Calendar, loadExport } from "./testing/audit-export.js";
import { ChainBrokenError, ChainVerifier, verifyChain } from "./verify-chain.js";

// Spec 2 hash chain, checked as a streaming stage (issue 9: queries over a file verify it).

const drain = async (events: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of events) n++;
  return n;
};

describe.each<Calendar>(["gregorian", "jalali"])("verifyChain over the %s golden export", (calendar) => {
  const events = loadExport(calendar);

  it("passes every event of an untouched export through, in order", async () => {
    const verifier = new ChainVerifier();
    expect(await drain(verifyChain(events, verifier))).toBe(events.length);
    expect(verifier.verified).toBe(events.length);
  });

  it("passes streams interleaved (a store's global order)", async () => {
    const global = [...events].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    expect(await drain(verifyChain(global))).toBe(events.length);
  });

  it("stops at the first changed, removed or reordered event, before yielding it", () => {
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: events.length - 1 }),
        fc.constantFrom("data", "occurredAt", "remove", "prevHash"),
        async (index, change) => {
          const tampered = structuredClone(events);
          const target = tampered[index] as (typeof tampered)[number];
          if (change === "data") target.data = { ...target.data, tampered: 1 };
          else if (change === "occurredAt") target.occurredAt = "2099-01-01T00:00:00.000Z";
          else if (change === "prevHash") target.metadata.prevHash = "0".repeat(64);
          else {
            // removing the last event of a stream is invisible to the chain (the head digest finds it)
            const next = tampered[index + 1];
            if (next === undefined || next.streamId !== target.streamId) return;
            tampered.splice(index, 1);
          }
          const seen: unknown[] = [];
          const error = await (async () => {
            for await (const e of verifyChain(tampered)) seen.push(e);
          })().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ChainBrokenError);
          expect(error).toMatchObject({ code: "HASH_MISMATCH", streamId: target.streamId });
          expect(seen).toHaveLength(index);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("rebuildFromNdjson with a chain verifier", () => {
  it("applies an untouched export and stops at a tampered line, even one its type filter skips", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { LedgerProjection } = await import("./ledger.js");
    const { rebuildFromNdjson, RFM_EVENT_TYPES } = await import("./rebuild.js");
    const events = loadExport("gregorian");
    const dir = mkdtempSync(join(tmpdir(), "vafa-chain-"));
    const clean = join(dir, "clean.ndjson");
    writeFileSync(clean, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const verifier = new ChainVerifier();
    const result = await rebuildFromNdjson(clean, new LedgerProjection(), { chain: verifier });
    expect(result.applied).toBe(events.length);
    expect(verifier.verified).toBe(events.length);

    const index = events.findIndex((e) => e.type === "PointsRedeemed");
    const tampered = structuredClone(events);
    (tampered[index] as (typeof tampered)[number]).data.points += 1;
    const bad = join(dir, "bad.ndjson");
    writeFileSync(bad, `${tampered.map((e) => JSON.stringify(e)).join("\n")}\n`);
    await expect(
      rebuildFromNdjson(bad, new LedgerProjection(), { chain: new ChainVerifier(), types: RFM_EVENT_TYPES }),
    ).rejects.toMatchObject({ code: "HASH_MISMATCH", streamId: tampered[index]?.streamId });
  });
});
