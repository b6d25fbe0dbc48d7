/** Per-process identity state: the deployment keys for user fields (loaded once) and the login limiter. */
import type { Services } from '../../context.ts';
import { LoginLimiter } from './login-limiter.ts';
import { loadUserKeys, type UserKeys } from './users.repo.ts';

/** What sign-up and sign-in need besides the services. */
export interface IdentityRuntime {
  services: Services;
  /** The URL people use; passkeys are bound to its host and origin. */
  publicUrl: string;
  /** Failed attempts, counted in the database so every node shares them. */
  limiter: LoginLimiter;
  userKeys(): Promise<UserKeys>;
  /**
   * Runs work after the answer was sent (mails whose presence must not show in the timing);
   * failures are logged without details. `settle` waits for all of it (closing, tests).
   */
  background(task: () => Promise<unknown>): void;
  settle(): Promise<void>;
}

/** Creates the runtime; keys are loaded on first use, so building the app needs no database. */
export function createIdentityRuntime(
  services: Services,
  publicUrl = 'http://localhost:5005',
): IdentityRuntime {
  let keys: Promise<UserKeys> | undefined;
  const running = new Set<Promise<unknown>>();
  const userKeys = () => {
    keys ??= loadUserKeys(services).catch((e: unknown) => {
      keys = undefined;
      throw e;
    });
    return keys;
  };
  return {
    services,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    limiter: new LoginLimiter(services, async () => (await userKeys()).index),
    userKeys,
    background(task) {
      const p = Promise.resolve()
        .then(task)
        .catch((err: unknown) =>
          services.log.error({ err: { name: (err as Error).name } }, 'background identity work failed'),
        )
        .finally(() => running.delete(p));
      running.add(p);
    },
    async settle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
