/**
 * Security headers on every response. The CSP allows only this origin: no inline script, no
 * third-party anything (Kluis makes no outbound calls the operator did not configure, and neither
 * does its web app). HSTS is sent only over TLS, where it means something.
 */
import type { FastifyInstance } from 'fastify';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  // Only blob: frames: the web app shows an invoice's PDF from a blob it fetched with the person's
  // token (the PDF route needs the bearer header, so it cannot be framed by URL); nothing else frames.
  'frame-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Adds the headers in an onSend hook; `isTls` says whether this server terminates TLS itself. */
export function installSecurityHeaders(app: FastifyInstance, isTls: boolean): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (isTls || request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    }
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
