import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): top functions by self time.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileLine {
  fn: string;
  where: string;
  selfMs: number;
  selfPercent: number;
}

const shortUrl = (url: string): string => {
  const i = url.indexOf("/node_modules/");
  if (i >= 0) {
    const rest = url.slice(i + "/node_modules/".length).replace(/^\.pnpm\/[^/]+\/node_modules\//, "");
    return rest;
  }
  const p = url.indexOf("/packages/");
  if (p >= 0) return url.slice(p + 1);
  const b = url.indexOf("/bench/");
  if (b >= 0) return url.slice(b + 1);
  return url.replace(/^file:\/\//, "");
};

export const summariseProfile = (path: string, top = 15): ProfileLine[] => {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const byFn = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = functionName || "(anonymous)";
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : "";
    const key = `${fn}@${where}`;
    const entry = byFn.get(key) ?? { fn, where, us: 0 };
    entry.us += us;
    byFn.set(key, entry);
  }
  return [...byFn.values()]
    .filter((e) => e.fn !== "(idle)" && e.fn !== "(program)")
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({
      fn: e.fn,
      where: e.where,
      selfMs: Math.round(e.us / 1000),
      selfPercent: total ? Math.round((1000 * e.us) / total) / 10 : 0,
    }));
};

/** The main thread's profile in a directory: the one that ran a bench task (tsx's loader thread writes another). */
export const largestProfile = (dir: string): string | undefined => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  let best: string | undefined;
  let size = -1;
  for (const f of files) {
    const text = readFileSync(join(dir, f), "utf8");
    const s = text.length + (text.includes("/bench/tasks/") ? 1e12 : 0);
    if (s > size) {
      size = s;
      best = join(dir, f);
    }
  }
  return best;
};

export const formatProfile = (lines: ProfileLine[]): string =>
  lines
    .map(
      (l) =>
        `  ${String(l.selfPercent).padStart(5)}%  ${String(l.selfMs).padStart(7)} ms  ${l.fn}  ${l.where}`,
    )
    .join("\n");

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2] as string;
  const file = target.endsWith(".cpuprofile") ? target : (largestProfile(target) as string);
  console.log(formatProfile(summariseProfile(file, Number(process.argv[3] ?? 20))));
}
