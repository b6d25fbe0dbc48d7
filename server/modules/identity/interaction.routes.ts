/**
 * The provider's interactions as Kluis pages: sign in and sign up (Identity points 2 and 5). The
 * provider redirects the browser here with an interaction cookie; on success the page hands the
 * result back to the provider, which continues the authorization. Consent is given implicitly for
 * the first-party web app (it is Kluis itself asking, so a consent screen would ask nothing); an
 * interactive API client of a business gets the consent page (consent.pages.ts, ADR 0017).
 * Forms post urlencoded; the interaction cookie is SameSite=Lax and scoped to this interaction,
 * so another site cannot post a sign-in into it.
 */
import { readFileSync } from 'node:fs';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { AppError, isAppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import { type RequestMeta, recordInEachBusiness, signIn, validateSignUp } from './accounts.service.ts';
import { chooseBusinessPage } from './business.pages.ts';
import {
  bindGrantToBusiness,
  businessOfGrant,
  listBusinessesOfUser,
  pickBusiness,
} from './businesses.service.ts';
import { consentPage } from './consent.pages.ts';
import { apiScopesOf, loadConsentRequest, recordConsent } from './consent.service.ts';
import { BUSINESS_PARAM, WEB_CLIENT_ID } from './oidc-provider.ts';
import {
  errorPage,
  type Lang,
  type PageError,
  pickLang,
  secondFactorPage,
  signInPage,
  signUpPage,
} from './pages.ts';
import { finishPasskeySignIn, startPasskeySignIn } from './passkeys.service.ts';
import { checkMailPage } from './recovery.pages.ts';
import { requestSignUp } from './recovery.service.ts';
import type { IdentityRuntime } from './runtime.ts';
import { hasSecondFactor, verifySecondFactor } from './two-factor.service.ts';

/** Where the interaction keeps a person who passed the password and owes a second factor. */
const PENDING = 'kluis_pending_user';
/** Where the interaction keeps the challenge of a passkey answer it is waiting for. */
const PASSKEY_CHALLENGE = 'kluis_passkey_challenge';

const CSS = readFileSync(new URL('./kluis.css', import.meta.url));
const PASSKEY_JS = readFileSync(new URL('./passkey.js', import.meta.url));
const FORM_LIMIT = { max: 30, timeWindow: 60_000 }; // per address, on top of the per-account limiter

type Form = Record<string, string>;

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

const meta = (request: FastifyRequest): RequestMeta => ({ ip: request.ip, requestId: String(request.id) });

/** What the consent prompt says is missing from the grant. */
const missingOf = (d: { prompt: { details: unknown } }) =>
  d.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };

/** Maps a known failure to the page's message and status; anything else is a bug and rethrown. */
function pageError(e: unknown): { status: number; code: PageError; details: string[] } {
  if (!isAppError(e)) throw e;
  const known: PageError[] = [
    'invalid_credentials',
    'too_many_attempts',
    'email_taken',
    'validation_failed',
    'second_factor_invalid',
  ];
  const code = (known as string[]).includes(e.code) ? (e.code as PageError) : 'other';
  const status = { unauthenticated: 401, rate_limited: 429, conflict: 409 }[e.kind as string] ?? 400;
  return { status, code, details: e.issues.map((i) => i.message) };
}

/** Registers the interaction pages; `getProvider` builds the provider on first use. */
export async function interactionRoutes(
  app: App,
  rt: IdentityRuntime,
  getProvider: () => Promise<Provider>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get('/auth/kluis.css', async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CSS),
    );

    scope.get('/auth/passkey.js', async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(PASSKEY_JS),
    );

    /** Loads the interaction, or renders the expired page (the cookie is gone or the uid is stale). */
    const details = async (request: FastifyRequest, reply: FastifyReply, lang: Lang) => {
      const provider = await getProvider();
      try {
        const d = await provider.interactionDetails(request.raw, reply.raw);
        const { uid } = request.params as { uid: string };
        if (d.uid !== uid) throw new Error('uid mismatch');
        return { provider, d };
      } catch {
        await html(reply, 400, errorPage(lang, 'session_expired'));
        return undefined;
      }
    };

    /** Ends the interaction with a signed-in account (the provider answers with a redirect). */
    const finishLogin = async (
      provider: Provider,
      request: FastifyRequest,
      reply: FastifyReply,
      userId: string,
      amr: string[],
    ) => {
      reply.hijack();
      // amr (RFC 8176) travels into operator tokens, where the API requires a second factor (ADR 0058).
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: userId, remember: false, amr } },
        { mergeWithLastSubmission: false },
      );
    };

    /**
     * Consent for the first-party web app, for one business: the grant is reused only when it is
     * bound to that business, else a new grant is bound to it (ADR 0017).
     */
    const finishConsent = async (
      provider: Provider,
      d: Awaited<ReturnType<Provider['interactionDetails']>>,
      request: FastifyRequest,
      reply: FastifyReply,
      lang: Lang,
      businessId: string | undefined,
    ) => {
      const accountId = d.session?.accountId ?? '';
      const existing = d.grantId ? await provider.Grant.find(d.grantId) : undefined;
      const reuse =
        existing && businessId && (await businessOfGrant(rt.services, existing.jti)) === businessId;
      const grant = reuse ? existing : new provider.Grant({ accountId, clientId: WEB_CLIENT_ID });
      const missing = missingOf(d);
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      if (!reuse && existing) {
        // A grant of another business: the new one holds what the old one held, for this business.
        grant.addOIDCScope(existing.getOIDCScope());
        for (const resource of Object.keys(existing.resources ?? {})) {
          grant.addResourceScope(resource, existing.getResourceScope(resource));
        }
      }
      const grantId = await grant.save();
      if (businessId && !(await bindGrantToBusiness(rt, { grantId, userId: accountId, businessId }))) {
        return html(reply, 403, errorPage(lang, 'other'));
      }
      reply.hijack();
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return reply;
    };

    scope.get('/auth/interaction/:uid', async (request, reply) => {
      const lang = pickLang((request.query as Form).lang, request.headers['accept-language']);
      const found = await details(request, reply, lang);
      if (!found) return reply;
      const { provider, d } = found;
      if (d.prompt.name === 'login') return html(reply, 200, signInPage(lang, d.uid));
      if (d.prompt.name === 'consent' && d.params.client_id === WEB_CLIENT_ID && d.session?.accountId) {
        const list = await listBusinessesOfUser(rt.services, d.session.accountId);
        const pick = pickBusiness(list, d.params[BUSINESS_PARAM]);
        if (!pick && list.length > 1) return html(reply, 200, chooseBusinessPage(lang, d.uid, list));
        await finishConsent(provider, d, request, reply, lang, pick);
        return reply;
      }
      if (d.prompt.name === 'consent' && d.session?.accountId) {
        const asking = await loadConsentRequest(rt, String(d.params.client_id), d.session.accountId);
        if (!asking) return html(reply, 403, errorPage(lang, 'other'));
        const scopes = apiScopesOf(Object.values(missingOf(d).missingResourceScopes ?? {}).flat());
        return html(reply, 200, consentPage(lang, d.uid, { ...asking, scopes }));
      }
      return html(reply, 400, errorPage(lang, 'other'));
    });

    /**
     * The person's answer on the consent page of an interactive API client. Approval adds the
     * checked scopes to the person's grant of that client and rejects the unchecked ones (so the
     * page is not asked again for them); denial, or approving nothing, returns access_denied.
     */
    scope.post(
      '/auth/interaction/:uid/consent',
      { config: { rateLimit: FORM_LIMIT } },
      async (request, reply) => {
        const form = (request.body ?? {}) as Form;
        const lang = pickLang(form.lang, request.headers['accept-language']);
        const found = await details(request, reply, lang);
        if (!found) return reply;
        const { provider, d } = found;
        const accountId = d.session?.accountId;
        const clientId = String(d.params.client_id);
        if (d.prompt.name !== 'consent' || clientId === WEB_CLIENT_ID || !accountId) {
          return html(reply, 400, errorPage(lang, 'session_expired'));
        }
        const asking = await loadConsentRequest(rt, clientId, accountId);
        if (!asking) return html(reply, 403, errorPage(lang, 'other'));
        const missing = missingOf(d);
        const requested = apiScopesOf(Object.values(missing.missingResourceScopes ?? {}).flat());
        const approved = requested.filter((sc) => form[`scope:${sc}`] === 'on');
        if (form.decision !== 'approve' || (requested.length > 0 && approved.length === 0)) {
          await recordConsent(
            rt,
            asking,
            { userId: accountId, granted: false, scopes: requested },
            meta(request),
          );
          reply.hijack();
          await provider.interactionFinished(
            request.raw,
            reply.raw,
            { error: 'access_denied', error_description: 'The person denied access' },
            { mergeWithLastSubmission: false },
          );
          return reply;
        }
        const existing = d.grantId ? await provider.Grant.find(d.grantId) : undefined;
        const grant = existing ?? new provider.Grant({ accountId, clientId });
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
          const yes = scopes.filter((sc) => approved.includes(sc));
          const no = scopes.filter((sc) => !approved.includes(sc));
          if (yes.length > 0) grant.addResourceScope(resource, yes.join(' '));
          if (no.length > 0) grant.rejectResourceScope(resource, no.join(' '));
        }
        const grantId = await grant.save();
        await recordConsent(
          rt,
          asking,
          { userId: accountId, granted: true, scopes: approved, grantId },
          meta(request),
        );
        reply.hijack();
        await provider.interactionFinished(
          request.raw,
          reply.raw,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
        return reply;
      },
    );

    scope.post('/auth/interaction/:uid/business', async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      const lang = pickLang(form.lang, request.headers['accept-language']);
      const found = await details(request, reply, lang);
      if (!found) return reply;
      const { provider, d } = found;
      const accountId = d.session?.accountId;
      if (d.prompt.name !== 'consent' || d.params.client_id !== WEB_CLIENT_ID || !accountId) {
        return html(reply, 400, errorPage(lang, 'session_expired'));
      }
      const list = await listBusinessesOfUser(rt.services, accountId);
      const chosen = list.find((b) => b.id === form.business)?.id;
      // Only a business the person belongs to; anything else shows the choice again.
      if (!chosen) return html(reply, 400, chooseBusinessPage(lang, d.uid, list));
      await finishConsent(provider, d, request, reply, lang, chosen);
      return reply;
    });

    scope.get('/auth/interaction/:uid/signup', async (request, reply) => {
      const lang = pickLang((request.query as Form).lang, request.headers['accept-language']);
      const found = await details(request, reply, lang);
      if (!found) return reply;
      return html(reply, 200, signUpPage(lang, found.d.uid));
    });

    scope.post(
      '/auth/interaction/:uid/login',
      { config: { rateLimit: FORM_LIMIT } },
      async (request, reply) => {
        const form = (request.body ?? {}) as Form;
        const lang = pickLang(form.lang, request.headers['accept-language']);
        const found = await details(request, reply, lang);
        if (!found) return reply;
        const email = String(form.email ?? '');
        try {
          const who = await signIn(rt, { email, password: String(form.password ?? '') }, meta(request));
          const hasFactor = await hasSecondFactor(rt, who.userId);
          if (who.kind === 'operator' && !hasFactor) {
            // Operators never sign in on a password alone (Identity point 12).
            throw new AppError('forbidden', 'second_factor_required', 'A second factor is required');
          }
          if (hasFactor) {
            // The password was right; the second step is still owed. Kept in the interaction
            // itself (sealed in the database), so any app node can finish it.
            const { d } = found;
            d.result = { ...(d.result ?? {}), [PENDING]: who.userId };
            await d.save(Math.max(1, d.exp - Math.floor(Date.now() / 1000)));
            return html(reply, 200, secondFactorPage(lang, d.uid));
          }
          await recordInEachBusiness(rt, who.userId, 'user.signed_in', meta(request));
          await finishLogin(found.provider, request, reply, who.userId, ['pwd']);
          return reply;
        } catch (e) {
          if (isAppError(e) && e.code === 'second_factor_required') {
            return html(reply, 403, signInPage(lang, found.d.uid, email, 'second_factor_required'));
          }
          const { status, code } = pageError(e);
          return html(reply, status, signInPage(lang, found.d.uid, email, code));
        }
      },
    );

    scope.post(
      '/auth/interaction/:uid/second-factor',
      { config: { rateLimit: { max: 10, timeWindow: 60_000 } } },
      async (request, reply) => {
        const form = (request.body ?? {}) as Form;
        const lang = pickLang(form.lang, request.headers['accept-language']);
        const found = await details(request, reply, lang);
        if (!found) return reply;
        const userId = (found.d.result as Record<string, unknown> | undefined)?.[PENDING];
        if (typeof userId !== 'string') return html(reply, 400, errorPage(lang, 'session_expired'));
        try {
          await verifySecondFactor(rt, userId, String(form.code ?? ''), meta(request));
        } catch (e) {
          const { status, code } = pageError(e);
          return html(reply, status, secondFactorPage(lang, found.d.uid, code));
        }
        await recordInEachBusiness(rt, userId, 'user.signed_in', meta(request), { factor: 'second' });
        await finishLogin(found.provider, request, reply, userId, ['pwd', 'otp', 'mfa']);
        return reply;
      },
    );

    /** The pending person of a second step, or undefined when there is none. */
    const pendingOf = (d: { result?: unknown }) => {
      const id = (d.result as Record<string, unknown> | undefined)?.[PENDING];
      return typeof id === 'string' ? id : undefined;
    };

    scope.get('/auth/interaction/:uid/passkey-options', async (request, reply) => {
      const found = await details(request, reply, 'en');
      if (!found) return reply;
      const userId = pendingOf(found.d);
      if (!userId) throw new AppError('conflict', 'no_pending_sign_in', 'Sign in with your password first');
      const options = await startPasskeySignIn(rt, userId);
      found.d.result = { ...(found.d.result ?? {}), [PASSKEY_CHALLENGE]: options.challenge };
      await found.d.save(Math.max(1, found.d.exp - Math.floor(Date.now() / 1000)));
      return reply.header('cache-control', 'no-store').send(options);
    });

    scope.post(
      '/auth/interaction/:uid/passkey',
      { config: { rateLimit: { max: 10, timeWindow: 60_000 } } },
      async (request, reply) => {
        const found = await details(request, reply, 'en');
        if (!found) return reply;
        const result = (found.d.result ?? {}) as Record<string, unknown>;
        const userId = pendingOf(found.d);
        const challenge = result[PASSKEY_CHALLENGE];
        if (!userId || typeof challenge !== 'string') {
          throw new AppError('conflict', 'no_pending_sign_in', 'Ask for passkey options first');
        }
        // The challenge is used once, whatever the outcome.
        found.d.result = { ...result, [PASSKEY_CHALLENGE]: null };
        await found.d.save(Math.max(1, found.d.exp - Math.floor(Date.now() / 1000)));
        const answer = request.body as AuthenticationResponseJSON;
        await finishPasskeySignIn(rt, userId, answer, challenge, meta(request));
        await recordInEachBusiness(rt, userId, 'user.signed_in', meta(request), { factor: 'passkey' });
        const redirectTo = await found.provider.interactionResult(
          request.raw,
          reply.raw,
          { login: { accountId: userId, remember: false, amr: ['pwd', 'hwk', 'mfa'] } },
          { mergeWithLastSubmission: false },
        );
        return reply.header('cache-control', 'no-store').send({ redirectTo });
      },
    );

    scope.post(
      '/auth/interaction/:uid/signup',
      { config: { rateLimit: FORM_LIMIT } },
      async (request, reply) => {
        const form = (request.body ?? {}) as Form;
        const lang = pickLang(form.lang, request.headers['accept-language']);
        const found = await details(request, reply, lang);
        if (!found) return reply;
        const values = { email: String(form.email ?? ''), businessName: String(form.businessName ?? '') };
        const input = { ...values, password: String(form.password ?? ''), locale: lang };
        try {
          validateSignUp(input);
        } catch (e) {
          const { status, code, details: lines } = pageError(e);
          return html(reply, status, signUpPage(lang, found.d.uid, values, code, lines));
        }
        // Whether the address has an account must not show: every valid sign-up gets this page,
        // and the work (a new pending account, or a mail to the existing one) happens after it.
        const m = meta(request);
        rt.background(() => requestSignUp(rt, input, m));
        return html(reply, 200, checkMailPage(lang));
      },
    );
  });
}
