import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StoredEvent } from "@vafa/core";
import { afterEach, describe, expect, it } from "vitest";
// Test tooling of the adapters package (not published): the gRPC stand-in of EventStoreDB.
import { type StandIn, startStandIn } from "../../../adapters/src/testing/esdb-standin/server.js";
import { openStore } from "../stores.js";
import { tempDir } from "../testing/files.js";
import { program } from "../testing/program.js";
import { startVafa, type VafaResult } from "../testing/vafa.js";

// club-v1 §2 on a store without atomic multi-stream appends (EventStoreDB): the
// claim is appended first, then the member's redemption. A `vafa import` killed
// (SIGKILL) right after the claim is stored and before the redemption leaves a
// held claim; running the same import again completes the redemption with that
// claim, or a sweep more than a day later releases it as `orphaned`. Either way
// the stock is never overdrawn and the audit is clean.

const clubProgram = program({
  programId: "claim-crash",
  tiers: { levels: [{ id: "base", threshold: "0", multiplier: "1" }] },
  rewards: [{ id: "lamp", cost: 300, stock: 1 }],
});
const ndjson = (commands: object[]) => `${commands.map((c) => JSON.stringify(c)).join("\n")}\n`;

const readAll = async (url: string): Promise<StoredEvent[]> => {
  const store = await openStore(url);
  try {
    const out: StoredEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  } finally {
    await store.close();
  }
};

describe("club-v1 §2: SIGKILL between claim and redemption on EventStoreDB (stand-in)", () => {
  let standIn: StandIn | undefined;
  afterEach(async () => {
    await standIn?.stop();
  });

  const setUp = async () => {
    const dir = tempDir("vafa-claim-crash-");
    let kill: (() => void) | undefined;
    standIn = await startStandIn({
      onStored: (streamId) => {
        if (streamId.startsWith("reward-") && kill) {
          kill();
          kill = undefined;
        }
      },
    });
    const prog = join(dir, "program.json");
    writeFileSync(prog, JSON.stringify(clubProgram));
    const vafa = async (args: string[]): Promise<VafaResult> =>
      (
        await startVafa([
          ...args.slice(0, 1),
          "--program",
          prog,
          "--store",
          standIn?.url ?? "",
          ...args.slice(1),
        ])
      ).done;
    const setup = join(dir, "setup.ndjson");
    writeFileSync(
      setup,
      ndjson([
        { type: "join", memberId: "m", at: "2012-01-01T00:00:00Z", kind: "person" },
        { type: "purchase", memberId: "m", at: "2012-01-01T01:00:00Z", purchaseId: "p1", amount: "500" },
      ]),
    );
    expect((await vafa(["import", setup])).code).toBe(0);
    const redeem = join(dir, "redeem.ndjson");
    writeFileSync(
      redeem,
      ndjson([
        { type: "redeem", memberId: "m", at: "2012-01-02T00:00:00Z", redemptionId: "r1", rewardId: "lamp" },
      ]),
    );
    const run = await startVafa(["import", "--program", prog, "--store", standIn.url, redeem]);
    kill = () => run.kill("SIGKILL");
    const killed = await run.done;
    expect(killed.signal, `${killed.code} ${killed.stdout} ${killed.stderr}`).toBe("SIGKILL");
    const url = standIn.url;
    const after = await readAll(url);
    expect(after.filter((e) => e.type === "RewardClaimed")).toHaveLength(1);
    expect(after.filter((e) => e.type === "PointsRedeemed")).toHaveLength(0);
    return { url, vafa, redeem };
  };

  const auditClean = async (vafa: (args: string[]) => Promise<VafaResult>) => {
    const audit = await vafa(["audit", "--json"]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, findings: [] });
  };

  it("running the same import again completes the redemption with the held claim", async () => {
    const { url, vafa, redeem } = await setUp();
    const again = await vafa(["import", redeem]);
    expect(again.code, again.stderr).toBe(0);
    const events = await readAll(url);
    expect(events.filter((e) => e.type === "RewardClaimed")).toHaveLength(1);
    expect(events.filter((e) => e.type === "PointsRedeemed")).toHaveLength(1);
    expect(events.filter((e) => e.type === "RewardReleased")).toHaveLength(0);
    await auditClean(vafa);
  }, 120_000);

  it("a sweep more than a day later releases the orphaned claim", async () => {
    const { url, vafa } = await setUp();
    const sweep = await vafa(["sweep", "--at", "2012-01-03T00:00:00.001Z"]);
    expect(sweep.code, sweep.stderr).toBe(0);
    const released = (await readAll(url)).filter((e) => e.type === "RewardReleased");
    expect(released.map((e) => (e.data as { reason: string }).reason)).toEqual(["orphaned"]);
    await auditClean(vafa);
  }, 120_000);
});
