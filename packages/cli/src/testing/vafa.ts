import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));
const BUILT_MAIN = join(ROOT, "packages/cli/dist/main.js");
const TS_MAIN = join(ROOT, "packages/cli/src/main.ts");
const LOCK = join(ROOT, "packages/cli/.e2e-build.lock");
const PACKAGES = ["core", "projections", "adapters", "cli"];

const newestSourceMs = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "testing") newest = Math.max(newest, newestSourceMs(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
};

const isBuildFresh = (): boolean => {
  if (!existsSync(BUILT_MAIN)) return false;
  const builtMs = statSync(BUILT_MAIN).mtimeMs;
  return PACKAGES.every((p) => newestSourceMs(join(ROOT, "packages", p, "src")) <= builtMs);
};

let entry: string[] | undefined;

/**
 * Builds the workspace once (`tsc -b` as `pnpm build` does, shared by parallel test files through
 * a lock directory) and returns how to start the CLI: the built `dist/main.js`,
 * as a user runs it. If the build fails, falls back to the TypeScript entry
 * through tsx and says so, so the tests still exercise the same code.
 */
export const cliEntry = async (): Promise<string[]> => {
  if (entry) return entry;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than 5 minutes is stale.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    if (!isBuildFresh()) {
      // The root `build` script, run with this Node so no package manager needs to be on PATH.
      const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
      const projects = PACKAGES.map((p) => `packages/${p}`);
      const build = spawnSync(process.execPath, [tsc, "-b", ...projects], { cwd: ROOT, encoding: "utf8" });
      if (build.status !== 0) {
        process.stderr.write(
          `[cli e2e] the build failed; running the TypeScript entry through tsx instead:\n${build.stdout}${build.stderr}\n`,
        );
        entry = ["--import", "tsx", TS_MAIN];
        return entry;
      }
      // tsc keeps the mtime of unchanged outputs; mark the build as fresh.
      const now = new Date();
      utimesSync(BUILT_MAIN, now, now);
    }
    entry = [BUILT_MAIN];
    return entry;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
};

export interface VafaResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface VafaRun {
  /** Resolves when the process exits. */
  done: Promise<VafaResult>;
  pid: number | undefined;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when stdout or stderr has printed text matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
}

/** Starts `vafa args...` as a child process in the repository root. */
export const startVafa = async (
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<VafaRun> => {
  const child = spawn(process.execPath, [...(await cliEntry()), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (w.pattern.test(stdout) || w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout.setEncoding("utf8").on("data", (t: string) => {
    stdout += t;
    check();
  });
  child.stderr.setEncoding("utf8").on("data", (t: string) => {
    stderr += t;
    check();
  });
  child.stdin.end(options.stdin ?? "");
  const done = new Promise<VafaResult>((resolveDone) => {
    child.on("close", (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return {
    done,
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    waitFor: (pattern) =>
      new Promise((resolveWait) => {
        waiters.push({ pattern, resolve: resolveWait });
        check();
      }),
  };
};

/** Runs `vafa args...` to the end. */
export const vafa = async (
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<VafaResult> => (await startVafa(args, options)).done;
