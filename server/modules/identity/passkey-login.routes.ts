/**
 * Passwordless sign-in with a passkey on the sign-in page (Identity point 6): the page's script
 * asks for options (no user named, user verification required), the authenticator offers a
 * discoverable passkey of this site, and the answer signs the person in. The challenge lives in
 * the interaction (sealed in the database) and is used once, whatever the outcome.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { AppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import { recordInEachBusiness } from './accounts.service.ts';
import { finishPasswordlessSignIn, startPasswordlessSignIn } from './passkeys.service.ts';
import type { IdentityRuntime } from './runtime.ts';

/** Where the interaction keeps the challenge of a passwordless answer it is waiting for. */
const CHALLENGE = 'kluis_passwordless_challenge';

/** Registers the passwordless endpoints of an interaction. */
export function passkeyLoginRoutes(
  app: App,
  rt: IdentityRuntime,
  getProvider: () => Promise<Provider>,
): void {
  const interaction = async (request: FastifyRequest, reply: FastifyReply) => {
    const provider = await getProvider();
    try {
      const d = await provider.interactionDetails(request.raw, reply.raw);
      if (d.uid !== (request.params as { uid: string }).uid || d.prompt.name !== 'login')
        throw new Error('stale');
      return { provider, d };
    } catch {
      throw new AppError('conflict', 'session_expired', 'This sign-in attempt has expired; start again');
    }
  };
  const keep = (d: { exp: number; save(ttl: number): Promise<string> }) =>
    d.save(Math.max(1, d.exp - Math.floor(Date.now() / 1000)));

  app.get('/auth/interaction/:uid/passkey-login-options', async (request, reply) => {
    const { d } = await interaction(request, reply);
    const options = await startPasswordlessSignIn(rt);
    d.result = { ...(d.result ?? {}), [CHALLENGE]: options.challenge };
    await keep(d);
    return reply.header('cache-control', 'no-store').send(options);
  });

  app.post(
    '/auth/interaction/:uid/passkey-login',
    { config: { rateLimit: { max: 10, timeWindow: 60_000 } } },
    async (request, reply) => {
      const { provider, d } = await interaction(request, reply);
      const result = (d.result ?? {}) as Record<string, unknown>;
      const challenge = result[CHALLENGE];
      if (typeof challenge !== 'string') {
        throw new AppError('conflict', 'no_pending_sign_in', 'Ask for passkey options first');
      }
      d.result = { ...result, [CHALLENGE]: null };
      await keep(d);
      const meta = { ip: request.ip, requestId: String(request.id) };
      const userId = await finishPasswordlessSignIn(
        rt,
        request.body as AuthenticationResponseJSON,
        challenge,
        meta,
      );
      await recordInEachBusiness(rt, userId, 'user.signed_in', meta, { factor: 'passkey_passwordless' });
      const redirectTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { login: { accountId: userId, remember: false } },
        { mergeWithLastSubmission: false },
      );
      return reply.header('cache-control', 'no-store').send({ redirectTo });
    },
  );
}
