import { createMemoryStore } from "../../adapters/src/memory/index.js";
import type { Program } from "../src/index.js";
import { createLedger } from "../src/index.js";

const program: Program = {
  programId: "bench",
  version: 1,
  currency: "GBP",
  calendar: "gregorian",
  earn: {
    pointsPerUnit: "1",
    rounding: "floor",
    pendingDays: 0,
    signupBonus: 0,
    birthdayBonus: 0,
    referralBonus: 0,
  },
  expiry: { policy: "rolling", days: 365 },
  tiers: {
    metric: "spend",
    windowDays: 365,
    retentionDays: 0,
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "500", multiplier: "1.5" },
    ],
  },
  redemption: { minPoints: 1, pointValue: "0.01" },
  rfm: { windowDays: 365 },
};
const N = Number(process.argv[2] ?? 20000);
const ledger = createLedger({ store: createMemoryStore(), program: program });
const members = 1000;
const cmds: Record<string, unknown>[] = [];
for (let m = 0; m < members; m++)
  cmds.push({ type: "join", memberId: `m${m}`, at: "2011-01-01T00:00:00Z", kind: "person" });
for (let i = 0; cmds.length < N; i++) {
  const m = i % members;
  const t = new Date(Date.UTC(2011, 0, 2) + i * 1000).toISOString();
  cmds.push(
    i % 10 === 9
      ? { type: "redeem", memberId: `m${m}`, at: t, redemptionId: `r${i}`, points: 1 }
      : { type: "purchase", memberId: `m${m}`, at: t, purchaseId: `p${i}`, amount: "12.50" },
  );
}
const t0 = performance.now();
const c0 = process.cpuUsage();
let acc = 0;
for (const c of cmds) if ((await ledger.execute(c)).status === "accepted") acc++;
const s = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
const cpu = (cu.user + cu.system) / 1e6;
console.log(
  `${cmds.length} commands in ${s.toFixed(2)} s: ${(cmds.length / s).toFixed(0)} commands/s, accepted ${acc}; cpu ${cpu.toFixed(2)} s: ${(cmds.length / cpu).toFixed(0)} commands per cpu-second`,
);
