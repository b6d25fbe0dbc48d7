/**
 * `/auth/invitation?t=…`: the page behind an invitation mail (Identity point 2). The token stays
 * in the query string and the form body, which the request log never records.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import {
  type InvitationError,
  invitationDonePage,
  invitationGonePage,
  invitationPage,
} from './invitation.pages.ts';
import { acceptInvitationOnPage, describeInvitation } from './invitation-page.service.ts';
import { pickLang } from './pages.ts';
import type { IdentityRuntime } from './runtime.ts';

type Form = Record<string, string>;

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

const field = (request: FastifyRequest, name: string) =>
  ((request.body ?? {}) as Form)[name] ?? (request.query as Form)[name];
const tokenOf = (request: FastifyRequest) => {
  const token = field(request, 't') ?? '';
  return /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
};

const KNOWN: InvitationError[] = [
  'invalid_credentials',
  'second_factor_invalid',
  'second_factor_required',
  'too_many_attempts',
  'validation_failed',
];

/** Registers the invitation page. */
export async function invitationRoutes(app: App, rt: IdentityRuntime): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get('/auth/invitation', async (request, reply) => {
      const lang = pickLang(field(request, 'lang'), request.headers['accept-language']);
      const token = tokenOf(request);
      const found = token ? await describeInvitation(rt, token) : ({ ok: false, reason: 'unknown' } as const);
      if (!found.ok || !token)
        return html(reply, 404, invitationGonePage(lang, found.ok ? 'unknown' : found.reason));
      return html(reply, 200, invitationPage(lang, token, found.view));
    });

    scope.post(
      '/auth/invitation',
      { config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
      async (request, reply) => {
        const lang = pickLang(field(request, 'lang'), request.headers['accept-language']);
        const token = tokenOf(request);
        if (!token) return html(reply, 404, invitationGonePage(lang, 'unknown'));
        try {
          const { role } = await acceptInvitationOnPage(
            rt,
            { token, password: field(request, 'password') ?? '', code: field(request, 'code') ?? '', lang },
            { ip: request.ip, requestId: String(request.id) },
          );
          return html(reply, 200, invitationDonePage(lang, role, `${rt.publicUrl}/`));
        } catch (e) {
          if (!isAppError(e)) throw e;
          const found = await describeInvitation(rt, token);
          if (!found.ok) return html(reply, 404, invitationGonePage(lang, found.reason));
          const code = (KNOWN as string[]).includes(e.code) ? (e.code as InvitationError) : 'other';
          const status =
            { unauthenticated: 401, rate_limited: 429, forbidden: 403, conflict: 409 }[e.kind as string] ??
            400;
          return html(
            reply,
            status,
            invitationPage(
              lang,
              token,
              found.view,
              code,
              e.issues.map((i) => i.message),
            ),
          );
        }
      },
    );
  });
}
