import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

// The embedded store serves one process: a second one on the same file would void the first
// one's claims and apply its deliveries again. The lock file names the owning process; a lock
// whose process is gone (killed, crashed) is taken over.

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws naming the process that holds it; returns the release function. */
export function acquireOwnerLock(databasePath: string): () => void {
  const path = `${databasePath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          unlinkSync(path);
        } catch (error) {
          // Already gone: nothing to release. Anything else (a permission change) is the caller's to see.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new Error(
        `${databasePath} is in use by process ${holder}: one reconciler process owns an embedded store (use MONGODB_URI for several replicas, or another DATA_DIR)`,
      );
    }
    unlinkSync(path);
  }
  throw new Error(`could not take the lock ${path}`);
}
