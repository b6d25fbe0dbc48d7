/**
 * Opens what both the server and the CLI need, in the same order: the data-dir lock (embedded
 * only), the master key, the database (migrated), and the services built on them.
 */
import path from 'node:path';
import { createBlobStore } from './blobs/index.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { Keyring } from './crypto/keyring.ts';
import { loadMasterKeys } from './crypto/master-key.ts';
import { openDatabase } from './db/client.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import type { Logger } from './log.ts';
import { createMailer } from './mail/index.ts';

/** Services plus the function that closes them in reverse order. */
export interface Opened {
  services: Services;
  close(): Promise<void>;
}

/** Opens and migrates; `purpose` names the holder of the embedded data-dir lock. */
export async function openServices(config: Config, log: Logger, purpose: string): Promise<Opened> {
  const lock = config.databaseUrl ? undefined : lockDataDir(config.dataDir, purpose);
  try {
    const masters = loadMasterKeys(config, log);
    const db = await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: path.join(config.dataDir, 'pg') },
    );
    await db.migrate();
    const blobs = createBlobStore(config);
    const services: Services = {
      db,
      keyring: new Keyring(masters.current, masters.others),
      clock: systemClock,
      log,
      blobs,
      mailer: createMailer(config, blobs, systemClock),
      publicUrl: config.publicUrl,
    };
    return {
      services,
      async close() {
        try {
          await db.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}
