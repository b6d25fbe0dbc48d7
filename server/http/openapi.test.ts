/**
 * The API's description (Invoicing core point 14, ADR 0023): a structurally valid OpenAPI 3.1
 * document that lists every registered /api route, with tags, summaries, the error shape and the
 * security schemes, and a docs page whose assets are served by Kluis itself under its CSP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../app.ts';
import { makeServices, type TestServices } from '../test/harness.ts';
import { type ApiRoute, isPublicApiRoute } from './auth.ts';

let s: TestServices;
let app: App;
let apiRoutes: readonly ApiRoute[];
// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked generically
let doc: any;

before(async () => {
  s = await makeServices();
  ({ app, apiRoutes } = await buildApp({ services: s }));
  await app.ready();
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200, res.body);
  doc = res.json();
});
after(async () => {
  await app.close();
  await s.close();
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Resolves a local JSON pointer like `#/components/schemas/Error` in the document. */
function resolve(ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `only local references: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function* refs(node: unknown, at = '#'): Generator<[string, string]> {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* refs(v, `${at}/${i}`);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') yield [at, v];
      else yield* refs(v, `${at}/${k}`);
    }
  }
}

describe('GET /api/openapi.json', () => {
  test('is an OpenAPI 3.1 document: info, paths, operations with responses, every $ref resolves', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.ok(Object.keys(doc.paths).length > 10);
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      assert.match(path, /^\/api\//, 'only the API is described');
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const o = op as { responses?: object; tags?: string[]; summary?: string };
        assert.ok(o.responses && Object.keys(o.responses).length > 0, `${method} ${path} has responses`);
        assert.ok(o.tags && o.tags.length > 0, `${method} ${path} has a tag`);
        assert.ok(o.summary && o.summary.length > 3, `${method} ${path} has a summary`);
        const responses = o.responses as Record<string, { $ref?: string }>;
        assert.equal(responses['4XX']?.$ref, '#/components/responses/ClientError', `${method} ${path}`);
        assert.equal(responses['401']?.$ref, '#/components/responses/Unauthenticated');
      }
    }
    let count = 0;
    for (const [at, ref] of refs(doc)) {
      count++;
      assert.notEqual(resolve(ref), undefined, `${ref} at ${at} resolves`);
    }
    assert.ok(count > 0);
  });

  test('every registered /api route is described (so a new route cannot be left out)', () => {
    const described = apiRoutes.filter((r) => r.method !== 'HEAD' && !isPublicApiRoute(r.method, r.url));
    assert.ok(described.length > 10);
    for (const route of described) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      assert.ok(
        doc.paths[path]?.[route.method.toLowerCase()],
        `${route.method} ${route.url} is in the document`,
      );
    }
    assert.ok(doc.paths['/api/v1/customers'].post, 'the customers API is there');
    assert.ok(doc.paths['/api/v1/invoices/{id}/issue'].post, 'the invoices API is there');
  });

  test('security: a bearer JWT, and the client-credentials flow at /oidc/token with the scopes', () => {
    const schemes = doc.components.securitySchemes;
    assert.deepEqual(schemes.bearer, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: schemes.bearer.description,
    });
    assert.equal(schemes.clientCredentials.flows.clientCredentials.tokenUrl, '/oidc/token');
    assert.ok('customers:write' in schemes.clientCredentials.flows.clientCredentials.scopes);
    assert.deepEqual(doc.security, [{ bearer: [] }, { clientCredentials: [] }]);
  });

  test('the error shape is the one errors.ts sends', async () => {
    const error = doc.components.schemas.Error;
    assert.deepEqual(error.properties.error.required.sort(), ['code', 'message', 'requestId']);
    const res = await app.inject({ method: 'GET', url: '/api/v1/customers' });
    assert.deepEqual(Object.keys(res.json().error).sort(), ['code', 'message', 'requestId']);
  });

  test('creating calls document the Idempotency-Key header', () => {
    for (const path of ['/api/v1/customers', '/api/v1/invoices', '/api/v1/invoices/{id}/credit-notes']) {
      const params = doc.paths[path].post.parameters as { in: string; name: string }[];
      assert.ok(
        params.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
        `${path} documents Idempotency-Key`,
      );
    }
  });
});

describe('the docs page', () => {
  test('loads without a token, with its assets served by Kluis under the same CSP', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(page.body, /https?:\/\//, 'nothing from another origin');
    assert.doesNotMatch(page.body, /<script>|<style>| style=/, 'no inline script or style');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self';/);
    const assets = [...page.body.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.includes('static/swagger-ui-bundle.js'));
    for (const asset of assets) {
      const res = await app.inject({ method: 'GET', url: `/api/docs/${asset}` });
      assert.equal(res.statusCode, 200, asset);
    }
    const init = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    assert.match(init.body, /validatorUrl: false|validatorUrl: null/, 'no call to validator.swagger.io');
    const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(json.json().openapi, '3.1.0');
  });

  test('other /api/docs paths and non-GET methods still need a token', async () => {
    for (const [method, url] of [
      ['GET', '/api/docs/nothing'],
      ['POST', '/api/openapi.json'],
      ['GET', '/api/docs/../v1/customers'],
      ['GET', '/api/docs/static/../../../package.json'],
      ['GET', '/api/docs/static/..%2f..%2f..%2fpackage.json'],
      ['GET', '/api/docs/static/%2e%2e/%2e%2e/package.json'],
    ] as const) {
      const res = await app.inject({ method, url });
      assert.ok([401, 404].includes(res.statusCode), `${method} ${url}: ${res.statusCode}`);
      if (res.statusCode === 404) assert.doesNotMatch(res.body, /"items"|"dependencies"/);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/docs/nothing' })).statusCode, 401);
  });
});
