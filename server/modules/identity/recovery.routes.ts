/**
 * The pages of password reset and sign-up confirmation (Identity points 2 and 5). They stand
 * apart from any sign-in interaction, because the link in the mail may be opened later or in
 * another browser; afterwards the person signs in from the app as usual. Opening a link (GET)
 * only shows a form: mail scanners that fetch links must not use them up. The token travels in
 * the query string and then the form body, which the request log never records.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import type { RequestMeta } from './accounts.service.ts';
import { type Lang, pickLang } from './pages.ts';
import {
  confirmedPage,
  confirmPage,
  forgotPage,
  forgotSentPage,
  linkGonePage,
  resetDonePage,
  resetPage,
} from './recovery.pages.ts';
import {
  confirmAddress,
  isLinkUsable,
  requestPasswordReset,
  resetPassword,
  validateResetRequest,
} from './recovery.service.ts';
import type { IdentityRuntime } from './runtime.ts';

type Form = Record<string, string>;
const FORM_LIMIT = { max: 30, timeWindow: 60_000 }; // per address

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

const meta = (request: FastifyRequest): RequestMeta => ({ ip: request.ip, requestId: String(request.id) });
const langOf = (request: FastifyRequest) =>
  pickLang(
    ((request.body ?? {}) as Form).lang ?? (request.query as Form).lang,
    request.headers['accept-language'],
  );
/** The link's token: in the query string when opened (never logged), in the form when posted. */
const tokenOf = (request: FastifyRequest) => {
  const token = ((request.body ?? {}) as Form).t ?? (request.query as Form).t ?? '';
  return /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
};

/** Registers /auth/forgot, /auth/reset and /auth/confirm. */
export async function recoveryRoutes(app: App, rt: IdentityRuntime): Promise<void> {
  // Mails still on their way are sent before the app closes.
  app.addHook('onClose', async () => rt.settle());
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get('/auth/forgot', async (request, reply) => html(reply, 200, forgotPage(langOf(request))));

    scope.post('/auth/forgot', { config: { rateLimit: FORM_LIMIT } }, async (request, reply) => {
      const lang = langOf(request);
      const typed = String(((request.body ?? {}) as Form).email ?? '');
      let email: string;
      try {
        email = validateResetRequest(typed);
      } catch (e) {
        if (!isAppError(e)) throw e;
        return html(reply, 400, forgotPage(lang, typed, 'invalid'));
      }
      // The lookup and the mail happen after the answer: same page, same time, account or not.
      const m = meta(request);
      rt.background(() => requestPasswordReset(rt, email, m));
      return html(reply, 200, forgotSentPage(lang));
    });

    const linkPage = (render: (lang: Lang, token: string) => string) =>
      async function show(request: FastifyRequest, reply: FastifyReply) {
        const lang = langOf(request);
        const token = tokenOf(request);
        if (!token || !(await isLinkUsable(rt, token))) return html(reply, 404, linkGonePage(lang));
        return html(reply, 200, render(lang, token));
      };

    scope.get(
      '/auth/reset',
      linkPage((lang, token) => resetPage(lang, token)),
    );
    scope.get(
      '/auth/confirm',
      linkPage((lang, token) => confirmPage(lang, token)),
    );

    scope.post('/auth/reset', { config: { rateLimit: FORM_LIMIT } }, async (request, reply) => {
      const lang = langOf(request);
      const token = tokenOf(request);
      if (!token) return html(reply, 404, linkGonePage(lang));
      try {
        const password = String(((request.body ?? {}) as Form).password ?? '');
        await resetPassword(rt, { token, password, lang }, meta(request));
        return html(reply, 200, resetDonePage(lang, `${rt.publicUrl}/`));
      } catch (e) {
        if (!isAppError(e)) throw e;
        if (e.code === 'link_expired') return html(reply, 404, linkGonePage(lang));
        const details = e.issues.map((i) => i.message);
        return html(reply, 400, resetPage(lang, token, 'invalid', details));
      }
    });

    scope.post('/auth/confirm', { config: { rateLimit: FORM_LIMIT } }, async (request, reply) => {
      const lang = langOf(request);
      const token = tokenOf(request);
      if (!token) return html(reply, 404, linkGonePage(lang));
      try {
        const password = String(((request.body ?? {}) as Form).password ?? '');
        await confirmAddress(rt, { token, password }, meta(request));
        return html(reply, 200, confirmedPage(lang, `${rt.publicUrl}/`));
      } catch (e) {
        if (!isAppError(e)) throw e;
        if (e.code === 'link_expired') return html(reply, 404, linkGonePage(lang));
        if (e.code === 'too_many_attempts') return html(reply, 429, confirmPage(lang, token, 'tooMany'));
        return html(reply, 401, confirmPage(lang, token, 'wrongPassword'));
      }
    });
  });
}
