import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, renameSync } from "node:fs";
// The built package (run.ts builds it first), in plain Node: the workers load
// its .js, as `vafa audit` does.
import { auditNdjsonFile, auditNdjsonFileParallel } from "../../packages/projections/dist/index.js";
import { arg, round } from "../lib/plain-task.mjs";

const seconds = (fromMs) => (performance.now() - fromMs) / 1000;

// `vafa audit --events` as the library runs it: one thread (auditNdjsonFile)
// or `--workers N` threads (auditNdjsonFileParallel), on the first `--limit`
// events of the export and its program stream, which an export lists last
// (cut once, cached beside it): without it no check that needs the program runs.
// `--limit 0`: the whole export as it is. CPU time counts the worker threads.

const path = arg("events");
const workers = Number(arg("workers"));
const limit = Number(arg("limit"));

/** The streamId at the start of an export line. */
const streamOf = (line) => /^\{"streamId":("(?:[^"\\]|\\.)*")/.exec(line)?.[1];

/**
 * The first `limit` lines of the export, to the end of the stream the last one
 * is in (a stream cut short would give findings), and its program lines,
 * written once next to it.
 */
const slice = async () => {
  const out = `${path}.first-${limit}-and-program.ndjson`;
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp`;
  const writer = createWriteStream(tmp);
  let lines = 0;
  let last;
  for await (const line of linesOf(path)) {
    if (++lines > limit && streamOf(line) !== last) break;
    last = streamOf(line);
    writer.write(`${line}\n`);
  }
  for await (const line of linesOf(path))
    if (line.startsWith('{"streamId":"program-')) writer.write(`${line}\n`);
  await new Promise((resolve, reject) => writer.end((e) => (e ? reject(e) : resolve())));
  renameSync(tmp, out);
  return out;
};

/** The lines of a file. */
async function* linesOf(file) {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    yield* lines;
  }
  if (rest !== "") yield rest;
}

const file = limit > 0 ? await slice() : path;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = workers > 1 ? await auditNdjsonFileParallel(file, { workers }) : await auditNdjsonFile(file);
const s = seconds(t0);
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRssMiB = round(process.resourceUsage().maxRSS / 1024);
const result = {
  workers,
  events: report.events,
  streams: report.streams,
  findings: report.findings.length,
  findingsDigest: createHash("sha256").update(JSON.stringify(report.findings)).digest("hex").slice(0, 16),
  seconds: round(s, 2),
  eventsPerSecond: Math.round(report.events / s),
  cpuSeconds: round(cpuSeconds, 2),
  eventsPerCpuSecond: Math.round(report.events / cpuSeconds),
  maxRssMiB,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
