/**
 * PGlite is a single-process database: two processes opening the same directory would corrupt it.
 * Whoever opens the embedded data directory (the server, or a CLI command) first takes this lock;
 * a second process is refused with a message naming the holder. A lock left by a process that no
 * longer exists (killed with SIGKILL, power loss) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** The data directory is held by another live process. */
export class DataDirLockedError extends Error {
  constructor(dir: string, holder: { pid: number; purpose: string; since: string }) {
    super(
      `The data directory ${dir} is in use by process ${holder.pid} (${holder.purpose}, since ${holder.since}). ` +
        'Only one Kluis process may open the embedded database: stop that process first, ' +
        'or set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** A held lock. */
export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock on `dir` for `purpose` ("server", "cli migrate"…), or throws DataDirLockedError. */
export function lockDataDir(dir: string, purpose: string): DataDirLock {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'kluis.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const info = { pid: process.pid, host: hostname(), purpose, since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            const current = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
            if (current.pid === process.pid) unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid: number; host?: string; purpose: string; since: string };
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // A lock file being written right now, or garbage: treat it as held, never as free.
        throw new DataDirLockedError(dir, { pid: -1, purpose: 'unknown', since: 'unknown' });
      }
      const sameHost = holder.host === undefined || holder.host === hostname();
      if (!sameHost || isAlive(holder.pid)) throw new DataDirLockedError(dir, holder);
      unlinkSync(file); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock on ${dir}`);
}
