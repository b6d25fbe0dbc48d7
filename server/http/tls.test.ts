/**
 * Foundation point 18: Kluis serves HTTPS itself when given a certificate and key, and then sends
 * HSTS. The certificate is made for the test with openssl (from Debian), valid for 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../app.ts';
import { makeServices } from '../test/harness.ts';

test('HTTPS with the configured certificate, and HSTS over TLS', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kluis-tls-'));
  const s = await makeServices();
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certFile);
    const { app } = await buildApp({ services: s, https: { key: readFileSync(keyFile), cert } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const res = await new Promise<{ status: number; hsts: string | undefined; body: string }>(
      (resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/healthz', ca: cert }, (r) => {
          let body = '';
          r.on('data', (d) => (body += d));
          r.on('end', () =>
            resolve({
              status: r.statusCode ?? 0,
              hsts: r.headers['strict-transport-security'] as string,
              body,
            }),
          );
        })
          .on('error', reject)
          .end();
      },
    );
    await app.close();
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
    assert.match(res.hsts ?? '', /max-age=\d{7,}/);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
