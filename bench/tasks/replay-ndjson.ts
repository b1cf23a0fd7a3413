import { writeFileSync } from "node:fs";
import { createLedgerProjection, rebuildFromNdjson } from "@vafa/projections";
import { AS_OF } from "../lib/program.js";
import { rfmDigest } from "../lib/rfm-digest.js";
import { arg, finish, round, seconds, startRssSampler } from "../lib/task.js";

// End to end from the NDJSON export: rebuild the ledger projection (no history
// kept: memory bounded by lots and purchases), then RFM, balances and liability
// as of the end of the history. Runs with Node's default heap limit.
// `--settle`: the events up to T only, each member reduced to its answers as of
// T when its stream ends (memory per member, not per lot); a file that is not
// stream by stream is read again the plain way.

const path = arg("events");
const rfmOut = arg("rfm-out");
const settle = process.argv.includes("--settle");
const rss = startRssSampler();
const t0 = performance.now();
let projection = createLedgerProjection({ keepHistory: false });
const settled = projection;
let rebuilt = settle
  ? await rebuildFromNdjson(path, settled, {
      until: AS_OF,
      onStreamEnd: (id) => settled.settleAsOfStream(id, AS_OF, { rfm: true }),
    })
  : await rebuildFromNdjson(path, projection);
const reopened = projection.reopened;
if (reopened) {
  projection = createLedgerProjection({ keepHistory: false });
  rebuilt = await rebuildFromNdjson(path, projection);
}
const replaySeconds = seconds(t0);
const t1 = performance.now();
const rfm = projection.rfmAsOf(AS_OF);
const rfmSeconds = seconds(t1);
const t2 = performance.now();
const balances = projection.balancesAsOf(AS_OF);
const liability = projection.liabilityAsOf(AS_OF);
const otherSeconds = seconds(t2);
const total = seconds(t0);
writeFileSync(rfmOut, JSON.stringify(rfm));
rss.stop();
finish({
  settle,
  reopened,
  events: rebuilt.applied + rebuilt.skipped,
  badLines: rebuilt.badLineCount,
  replaySeconds: round(replaySeconds, 2),
  rfmSeconds: round(rfmSeconds, 2),
  balancesLiabilitySeconds: round(otherSeconds, 2),
  rfmFullReplaySeconds: round(replaySeconds + rfmSeconds, 2),
  totalSeconds: round(total, 2),
  eventsPerSecond: Math.round(rebuilt.applied / replaySeconds),
  rfmRows: rfm.length,
  rfmDigest: rfmDigest(rfm),
  balances: balances.length,
  liabilityPoints: liability.points,
  peakRssMiB: round(rss.peakMiB()),
});
