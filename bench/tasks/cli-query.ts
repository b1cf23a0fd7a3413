import { Writable } from "node:stream";
// The built CLI (run.ts builds it first), as users run it: its worker threads load .js.
import { runCli } from "../../packages/cli/dist/cli.js";
import { type RfmLike, rfmDigest } from "../lib/rfm-digest.js";
import { arg, finish, round, seconds } from "../lib/task.js";

// One `vafa <query> --events <file>` end to end, in this process (so its
// maxRSS is the query's peak): output counted, not kept.

const query = arg("query");
const path = arg("events");
const times = arg("times").split(",");
let bytes = 0;
/** RFM's output is kept, to compare its rows with DuckDB's. */
const kept: Buffer[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    bytes += chunk.length;
    if (query === "rfm") kept.push(chunk);
    done();
  },
});
const argv =
  query === "kpis" || query === "rollforward"
    ? [query, "--events", path, "--from", times[0] as string, "--to", times[1] as string]
    : [query, "--events", path, "--as-of", times[0] as string];
const t0 = performance.now();
const code = await runCli(argv, {
  stdin: process.stdin,
  stdout: sink,
  stderr: process.stderr,
  onInterrupt: () => () => undefined,
});
const s = seconds(t0);
if (code !== 0) throw new Error(`vafa ${argv.join(" ")} exited ${code}`);
const rows = query === "rfm" ? (JSON.parse(Buffer.concat(kept).toString("utf8")) as RfmLike[]) : undefined;
finish({
  query,
  seconds: round(s, 2),
  outputBytes: bytes,
  ...(rows ? { rfmRows: rows.length, rfmDigest: rfmDigest(rows) } : {}),
});
