import { Writable } from "node:stream";
import { runCli } from "../../packages/cli/src/cli.js";
import { arg, finish, round, seconds } from "../lib/task.js";

// One `vafa <query> --events <file>` end to end, in this process (so its
// maxRSS is the query's peak): output counted, not kept.

const query = arg("query");
const path = arg("events");
const times = arg("times").split(",");
let bytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    bytes += chunk.length;
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
finish({ query, seconds: round(s, 2), outputBytes: bytes });
