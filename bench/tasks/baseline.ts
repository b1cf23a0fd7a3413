import { createReadStream } from "node:fs";
import { arg, finish, round, seconds } from "../lib/task.js";

// Baseline: stream the NDJSON, JSON.parse each line, sum the points. What any
// fold over this file costs at least; other tasks report their ratio to it.

const path = arg("events");
const t0 = performance.now();
let events = 0;
let points = 0;
let rest = "";
for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
  const text = rest + (chunk as string);
  let start = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
    const e = JSON.parse(text.slice(start, nl)) as { data: { points?: number } };
    events++;
    points += e.data.points ?? 0;
    start = nl + 1;
  }
  rest = text.slice(start);
}
const s = seconds(t0);
finish({ events, points, seconds: round(s, 2), eventsPerSecond: Math.round(events / s) });
