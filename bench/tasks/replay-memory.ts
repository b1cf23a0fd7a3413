import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createLedgerProjection, type ProjectionEvent } from "@vafa/projections";
import { AS_OF, BENCH_PROGRAM, KPI_FROM, KPI_TO } from "../lib/program.js";
import { arg, finish, round, seconds } from "../lib/task.js";

// Replay of the ledger projection from events already parsed in memory, and
// its queries, against a plain fold over the same objects in the same process.

const path = arg("events");
const limit = Number(arg("limit"));
const events: ProjectionEvent[] = [];
const input = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of input) {
  if (events.length >= limit) break;
  events.push(JSON.parse(line) as ProjectionEvent);
}
input.close();

// Baseline: a plain fold (switch on type, sum points) over the same objects.
const fold = (): number => {
  let sum = 0;
  for (const e of events) {
    const d = e.data as { points?: number };
    if (e.type === "PointsEarned" || e.type === "RedemptionReversed") sum += d.points ?? 0;
    else if (e.type === "PointsRedeemed" || e.type === "PointsExpired" || e.type === "PointsClawedBack")
      sum -= d.points ?? 0;
  }
  return sum;
};
fold(); // warm up
const b0 = performance.now();
const net = fold();
const baselineSeconds = seconds(b0);

const runs: { apply: number; queries: number }[] = [];
let answers = {};
for (let run = 0; run < 2; run++) {
  const t0 = performance.now();
  // A slice may not reach the program stream (written last): give the program.
  const projection = createLedgerProjection({ program: BENCH_PROGRAM });
  for (const e of events) projection.apply(e);
  const apply = seconds(t0);
  const t1 = performance.now();
  const rfm = projection.rfmAsOf(AS_OF);
  const balances = projection.balancesAsOf(AS_OF);
  const liability = projection.liabilityAsOf(AS_OF);
  const kpis = projection.kpis(KPI_FROM, KPI_TO);
  const rollforward = projection.rollforward(KPI_FROM, KPI_TO);
  runs.push({ apply, queries: seconds(t1) });
  answers = {
    rfmRows: rfm.length,
    balances: balances.length,
    liabilityPoints: liability.points,
    activeMembers: kpis.activeMembers,
    closing: rollforward.closing,
  };
}
const best = runs.reduce((a, b) => (a.apply + a.queries <= b.apply + b.queries ? a : b));
const total = best.apply + best.queries;
finish({
  events: events.length,
  baselineSeconds: round(baselineSeconds, 3),
  baselineEventsPerSecond: Math.round(events.length / baselineSeconds),
  applySeconds: round(best.apply, 3),
  querySeconds: round(best.queries, 3),
  eventsPerSecond: Math.round(events.length / total),
  applyEventsPerSecond: Math.round(events.length / best.apply),
  net,
  ...answers,
});
