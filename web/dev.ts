/**
 * `npm run dev`: the server restarts on change (node --watch) and the web app reloads in place (Vite
 * with hot module replacement). The browser talks only to Vite at http://localhost:5173, which
 * forwards the server's paths to Kluis on port 5005; Kluis is told that 5173 is its public URL, so
 * the OpenID Connect issuer and redirect URI match what the browser sees.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createServer } from 'vite';

const root = import.meta.dirname;
const DEV_PORT = 5173;
const SERVER_PORT = 5005;
const target = `http://127.0.0.1:${SERVER_PORT}`;

const server = spawn(process.execPath, ['--watch', path.join(root, '..', 'server', 'main.ts')], {
  stdio: 'inherit',
  env: {
    // biome-ignore lint/style/noProcessEnv: passes the developer's own settings to the server unread
    ...process.env,
    PORT: String(SERVER_PORT),
    KLUIS_PUBLIC_URL: `http://localhost:${DEV_PORT}`,
  },
});

const proxy = Object.fromEntries(
  [
    '/api',
    '/oidc',
    '/auth/interaction',
    '/auth/kluis.css',
    '/auth/passkey.js',
    '/healthz',
    '/readyz',
    '/docs',
  ].map((p) => [p, { target, changeOrigin: false, xfwd: false }]),
);

const vite = await createServer({
  configFile: path.join(root, 'vite.config.ts'),
  server: { port: DEV_PORT, strictPort: true, proxy },
});
await vite.listen();
vite.printUrls();

const stop = async () => {
  server.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
