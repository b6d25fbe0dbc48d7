/**
 * Serves the built web app (web/dist, ADR 0070) from the same process: hashed files under /assets
 * with a year of caching, and index.html for `/` and for any other browser navigation, so the
 * app's own routes (/invoices/…, /auth/callback) survive a reload. The fallback answers only GET
 * requests that accept HTML and never paths that belong to the server (/api, /oidc, the identity
 * pages, health checks, files with an extension): those keep their JSON 404.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { App } from '../app.ts';

/** Where `npm run build` puts the app. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

/** Paths the app never claims: they are the server's, and an unknown one must stay a 404. */
const SERVER_PATHS =
  /^\/(?:api|oidc|docs|healthz|readyz|privacyverzoek)(?:[/?]|$)|^\/auth\/(?!callback(?:[/?]|$))/;

const NOT_BUILT = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Kluis</title></head>
<body><h1>Kluis</h1><p>De web-app is nog niet gebouwd: <code>npm run build</code>.</p>
<p>The web app is not built yet: <code>npm run build</code>.</p></body></html>`;

/** True when a request is a browser navigation the app should answer with index.html. */
export function isAppNavigation(url: string, accept: string | undefined): boolean {
  const pathname = url.split('?')[0] ?? '';
  if (SERVER_PATHS.test(pathname)) return false;
  if (/\.[a-z0-9]+$/i.test(pathname)) return false;
  return (accept ?? '').includes('text/html');
}

/** Registers the app's routes; `root` defaults to web/dist. A missing build serves a hint page. */
export async function webRoutes(app: App, root = WEB_DIST): Promise<void> {
  const indexFile = path.join(root, 'index.html');
  const isBuilt = existsSync(indexFile);
  // Read once: the file is small, and a rebuild (dev mode) restarts the server anyway.
  const index = isBuilt ? readFileSync(indexFile) : Buffer.from(NOT_BUILT);
  if (isBuilt && existsSync(path.join(root, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(root, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      // File names carry a content hash: a changed file gets a new name, so caching is safe.
      immutable: true,
      maxAge: '365d',
      index: false,
      dotfiles: 'deny',
    });
  }
  const sendIndex = (reply: { type: (t: string) => unknown; header: (k: string, v: string) => unknown }) => {
    reply.type('text/html; charset=utf-8');
    // Always revalidated: it names the current hashed bundles.
    reply.header('cache-control', 'no-cache');
    return index;
  };
  app.get('/', async (_request, reply) => sendIndex(reply));
  app.get('/*', async (request, reply) => {
    if (!isAppNavigation(request.url, request.headers.accept)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
