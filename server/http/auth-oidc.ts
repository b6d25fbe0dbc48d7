/**
 * Mounts the embedded provider at /oidc in the same Fastify app. oidc-provider is a Koa app: the
 * route hijacks the reply and hands the raw request and response to it, with the /oidc prefix moved
 * to `originalUrl` (the way the provider expects a mounted app). Fastify reads the body as bytes and
 * passes them on unparsed. The provider writes its own responses, so the security headers that the
 * app's onSend hook would add are set here first.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { App } from '../app.ts';
import type { Services } from '../context.ts';
import { findActiveClient } from '../modules/clients/index.ts';

const PREFIX = '/oidc';
const HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** The client id of a token request: from HTTP Basic or the form. */
function clientIdOf(req: IncomingMessage, form: URLSearchParams): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) return decodeURIComponent(decoded.slice(0, i));
  }
  return form.get('client_id') ?? undefined;
}

/**
 * A client-credentials request without `scope` gets every scope the client was given: the issue
 * asks that `grant_type=client_credentials` alone yields a usable token.
 */
async function withDefaultScope(services: Services, req: IncomingMessage, body: Buffer): Promise<Buffer> {
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials' || form.has('scope')) return body;
  const id = clientIdOf(req, form);
  const client = id ? await findActiveClient(services, id) : undefined;
  if (!client) return body; // the provider answers invalid_client itself
  form.set('scope', client.scopes.join(' '));
  return Buffer.from(form.toString(), 'utf8');
}

/**
 * Registers the /oidc routes. The provider is built on first use, not while the app is built: it
 * needs the database (keys, cookie secret), and an app must start even before it is migrated.
 */
export async function mountProvider(
  app: App,
  getProvider: () => Promise<Provider>,
  services: Services,
): Promise<void> {
  let callback: ReturnType<Provider['callback']> | undefined;
  const callbackOf = async () => {
    callback ??= (await getProvider()).callback();
    return callback;
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 56 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const callback = await callbackOf();
      const req = request.raw as IncomingMessage & { body?: Buffer; originalUrl?: string };
      if (Buffer.isBuffer(request.body)) {
        req.body = request.url.startsWith(`${PREFIX}/token`)
          ? await withDefaultScope(services, req, request.body)
          : request.body;
        req.headers['content-length'] = String(req.body.length);
      }
      reply.hijack();
      for (const [k, v] of Object.entries(HEADERS)) reply.raw.setHeader(k, v);
      req.originalUrl = req.url;
      req.url = (req.url ?? '').slice(PREFIX.length) || '/';
      await new Promise<void>((resolve) => {
        reply.raw.once('finish', resolve);
        reply.raw.once('close', resolve);
        void callback(req, reply.raw);
      });
    };
    scope.all(PREFIX, handler);
    scope.all(`${PREFIX}/*`, handler);
  });
}
