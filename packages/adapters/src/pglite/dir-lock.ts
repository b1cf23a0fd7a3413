import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { VafaError } from "@vafa/core";

/** The lock file inside a PGlite data directory: its holder's pid, host and start time as JSON. */
export const LOCK_FILE = "vafa.lock";

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** A lock file whose content cannot be read is taken as a crash between create and write once it is this old. */
const UNREADABLE_STALE_MS = 5_000;

const readOwner = (path: string): LockOwner | null => {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.host === "string"
      ? { pid: owner.pid, host: owner.host, since: String(owner.since ?? "") }
      : null;
  } catch {
    return null;
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** A holder that is gone: a dead process on this host, or an unreadable file left by a crash. */
const isStale = (path: string, owner: LockOwner | null): boolean => {
  if (owner === null) {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_STALE_MS;
    } catch {
      return true;
    }
  }
  return owner.host === hostname() && owner.pid !== process.pid && !isAlive(owner.pid);
};

/** Thrown when another process (or another store in this one) holds the directory. */
const lockedError = (dir: string, owner: LockOwner | null, lockPath: string): VafaError =>
  new VafaError(
    "STORE_LOCKED",
    `the PGlite store ${dir} is in use by ${owner ? `process ${owner.pid}${owner.host === hostname() ? "" : ` on ${owner.host}`}` : "another process"}`,
    `PGlite allows one process per folder: wait for it to finish, or if no such process runs, delete ${lockPath}`,
  );

/**
 * Takes the exclusive lock of a PGlite data directory (which must exist): PGlite
 * runs PostgreSQL inside one process, and two processes on one folder destroy
 * it. The lock is a file created with O_EXCL holding our pid; a lock whose
 * holder died (SIGKILL, power loss) on this host is taken over, so a crashed
 * import can be run again at once. Returns the release function.
 */
export const lockDataDir = (dir: string): (() => void) => {
  const lockPath = join(dir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        if (readOwner(lockPath)?.pid === process.pid) unlinkSafe(lockPath);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readOwner(lockPath);
    if (!isStale(lockPath, owner)) throw lockedError(dir, owner, lockPath);
    // Move the stale file aside atomically; if what we moved is a fresh lock of
    // a process that won the same race, put it back and give up.
    const aside = `${lockPath}.stale-${process.pid}`;
    try {
      renameSync(lockPath, aside);
    } catch {
      continue;
    }
    const moved = readOwner(aside);
    if (owner !== null && moved !== null && moved.pid !== owner.pid) {
      try {
        linkSync(aside, lockPath);
      } catch {
        // someone else holds it now; either way we do not
      }
      unlinkSafe(aside);
      throw lockedError(dir, moved, lockPath);
    }
    unlinkSafe(aside);
  }
  throw lockedError(dir, readOwner(lockPath), lockPath);
};

const unlinkSafe = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
};
