/** Per-process identity state: the deployment keys for user fields (loaded once) and the login limiter. */
import type { Services } from '../../context.ts';
import { LoginLimiter } from './login-limiter.ts';
import { loadUserKeys, type UserKeys } from './users.repo.ts';

/** What sign-up and sign-in need besides the services. */
export interface IdentityRuntime {
  services: Services;
  /** The URL people use; passkeys are bound to its host and origin. */
  publicUrl: string;
  limiter: LoginLimiter;
  userKeys(): Promise<UserKeys>;
}

/** Creates the runtime; keys are loaded on first use, so building the app needs no database. */
export function createIdentityRuntime(
  services: Services,
  publicUrl = 'http://localhost:5005',
): IdentityRuntime {
  let keys: Promise<UserKeys> | undefined;
  return {
    services,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    limiter: new LoginLimiter(services.clock),
    userKeys() {
      keys ??= loadUserKeys(services).catch((e: unknown) => {
        keys = undefined;
        throw e;
      });
      return keys;
    },
  };
}
