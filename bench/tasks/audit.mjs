import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, renameSync } from "node:fs";
// The built package (run.ts builds it first), in plain Node: the workers load
// its .js, as `vafa audit` does.
import {
  auditEvents,
  auditNdjsonFileParallel,
  readNdjsonLines,
} from "../../packages/projections/dist/index.js";

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`task needs --${name}`);
  return v;
};
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (fromMs) => (performance.now() - fromMs) / 1000;

// `vafa audit --events` as the library runs it: one thread (auditEvents over
// the file's lines) or `--workers N` threads (auditNdjsonFileParallel), on
// the first `--limit` events of the export (cut once, cached beside it).

const path = arg("events");
const workers = Number(arg("workers"));
const limit = Number(arg("limit"));

/** The first `limit` lines of the export, written once next to it. */
const slice = async () => {
  const out = `${path}.first-${limit}.ndjson`;
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp`;
  const writer = createWriteStream(tmp);
  let lines = 0;
  outer: for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      start = nl + 1;
      if (++lines === limit) {
        writer.write(buf.subarray(0, start));
        break outer;
      }
    }
    writer.write(buf);
  }
  await new Promise((resolve, reject) => writer.end((e) => (e ? reject(e) : resolve())));
  renameSync(tmp, out);
  return out;
};

const file = await slice();
const t0 = performance.now();
const report =
  workers > 1 ? await auditNdjsonFileParallel(file, { workers }) : await auditEvents(readNdjsonLines(file));
const s = seconds(t0);
const maxRssMiB = round(process.resourceUsage().maxRSS / 1024);
const result = {
  workers,
  events: report.events,
  streams: report.streams,
  findings: report.findings.length,
  findingsDigest: createHash("sha256").update(JSON.stringify(report.findings)).digest("hex").slice(0, 16),
  seconds: round(s, 2),
  eventsPerSecond: Math.round(report.events / s),
  maxRssMiB,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
