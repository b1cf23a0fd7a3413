// One `vafa <query> --events <file>` end to end through the built CLI, in
// this process (so its maxRSS is the query's peak), as users run it: plain
// Node, no TypeScript loader, worker threads on the built .js.
// Usage: node bench/tasks/cli-query.mjs --query rfm --events F --times T[,T2] [--no-verify]
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { runCli } from "../../packages/cli/dist/cli.js";
import { arg } from "../lib/plain-task.mjs";

const query = arg("query");
const path = arg("events");
const times = arg("times").split(",");
let bytes = 0;
/** RFM's output is kept, to compare its rows with DuckDB's (bench/lib/rfm-digest.ts, same lines). */
const kept = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    bytes += chunk.length;
    if (query === "rfm") kept.push(chunk);
    done();
  },
});
const argv =
  query === "kpis" || query === "rollforward"
    ? [query, "--events", path, "--from", times[0], "--to", times[1]]
    : [query, "--events", path, "--as-of", times[0]];
// DuckDB checks no hashes: `--no-verify` gives the like-for-like time.
if (process.argv.includes("--no-verify")) argv.push("--no-verify");
const t0 = performance.now();
const code = await runCli(argv, {
  stdin: process.stdin,
  stdout: sink,
  stderr: process.stderr,
  onInterrupt: () => () => undefined,
});
const seconds = (performance.now() - t0) / 1000;
if (code !== 0) throw new Error(`vafa ${argv.join(" ")} exited ${code}`);
const result = {
  query: argv.includes("--no-verify") ? `${query} --no-verify` : query,
  seconds: Math.round(seconds * 100) / 100,
  outputBytes: bytes,
};
if (query === "rfm") {
  const rows = JSON.parse(Buffer.concat(kept).toString("utf8"));
  const lines = [...rows]
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .map((r) => `${r.memberId},${r.recencyDays},${r.frequency},${r.monetary},${r.r},${r.f},${r.m}`);
  result.rfmRows = rows.length;
  result.rfmDigest = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
}
const maxRssMiB = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
process.stdout.write(`RESULT ${JSON.stringify({ ...result, maxRssMiB })}\n`);
