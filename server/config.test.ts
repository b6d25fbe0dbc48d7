/** Foundation points 4, 7, 15 and 18: one configuration schema, every problem at once, the EU and TLS guard. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
}

describe('configuration', () => {
  test('defaults run embedded on port 5005 with state under ./data', () => {
    const c = loadConfig({});
    assert.equal(c.port, 5005);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.masterKey, undefined);
    assert.match(c.dataDir, /\/data$/);
    assert.equal(c.publicUrl, 'http://localhost:5005');
  });

  test('every invalid variable is reported, not just the first', () => {
    const p = problems({
      PORT: '70000',
      KLUIS_MASTER_KEY: 'abc',
      LOG_LEVEL: 'chatty',
      KLUIS_TRUST_PROXY: 'maybe',
    });
    assert.equal(p.length, 4, p.join('\n'));
  });

  test('the master key is 32 bytes of base64 and required with a database server', () => {
    assert.deepEqual(loadConfig({ KLUIS_MASTER_KEY: KEY }).masterKey, Buffer.alloc(32, 7));
    assert.match(problems({ KLUIS_MASTER_KEY: Buffer.alloc(16).toString('base64') }).join(), /32 bytes/);
    assert.match(
      problems({ DATABASE_URL: 'postgres://127.0.0.1/kluis' }).join(),
      /KLUIS_MASTER_KEY is required/,
    );
  });

  test('loopback endpoints need neither the allow-list nor TLS', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://kluis@127.0.0.1:5432/kluis',
      KLUIS_MASTER_KEY: KEY,
      SMTP_URL: 'smtp://localhost:2525',
      S3_BUCKET: 'b',
      S3_REGION: 'eu-central-1',
      S3_ENDPOINT: 'http://[::1]:9000',
    });
    assert.equal(c.s3?.forcePathStyle, true);
  });

  test('remote endpoints must be on the allow-list and use TLS; storage regions must be in the EU', () => {
    const remote = {
      DATABASE_URL: 'postgres://kluis@db.kluis.example/kluis',
      KLUIS_MASTER_KEY: KEY,
      S3_BUCKET: 'b',
      S3_REGION: 'eu-west-2',
      S3_ENDPOINT: 'http://s3.kluis.example',
    };
    const p = problems(remote).join('\n');
    assert.match(p, /DATABASE_URL host db\.kluis\.example is not in KLUIS_ALLOWED_HOSTS/);
    assert.match(p, /DATABASE_URL must use TLS/);
    assert.match(p, /S3_REGION eu-west-2 is not in KLUIS_ALLOWED_REGIONS/, 'London is not in the EU');
    assert.match(p, /S3_ENDPOINT must use TLS/);
    const fixed = {
      ...remote,
      DATABASE_URL: `${remote.DATABASE_URL}?sslmode=verify-full`,
      S3_REGION: 'eu-central-1',
      S3_ENDPOINT: 'https://s3.kluis.example',
      KLUIS_ALLOWED_HOSTS: '.kluis.example',
    };
    assert.deepEqual(problems(fixed), []);
  });
});
