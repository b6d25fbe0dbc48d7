/**
 * The API's own description (Invoicing core point 14; ADR 0023): an OpenAPI 3.1 document generated
 * from the routes' TypeBox schemas at `/api/openapi.json`, and a docs page at `/api/docs` whose
 * assets are served from node_modules (never a CDN), so the CSP of security-headers.ts holds as is.
 *
 * Nothing here lists routes by hand: every /api route that any module registers after
 * `installOpenApi` appears, with a tag (its first path segment after /api/v1), a summary (its own,
 * or one derived from method and path), the security schemes, the error shape for 4xx and 5xx, and
 * the Idempotency-Key header when the route opts in with `config: { idempotent: true }`.
 */
import swagger from '@fastify/swagger';
import swaggerUi, { type FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { API_SCOPES } from '../modules/clients/index.ts';
import { PUBLIC_API_ROUTES } from './auth.ts';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency.ts';

/** Where the document and the docs page live; auth.ts serves exactly these without a token. */
export const OPENAPI_PATH = PUBLIC_API_ROUTES.document;
export const DOCS_PREFIX = PUBLIC_API_ROUTES.docsPrefix;

/** The error body every 4xx and 5xx carries (server/http/errors.ts). */
const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable snake_case code, e.g. invoice_already_issued' }),
      message: Type.String({ description: 'For developers, in English; never personal data' }),
      issues: Type.Optional(
        Type.Array(
          Type.Object({
            path: Type.String({ description: 'Dotted path of the field, e.g. lines.0.vatRate' }),
            code: Type.String(),
            message: Type.String(),
          }),
        ),
      ),
      requestId: Type.String({ description: 'Quote it when asking for support' }),
    }),
  },
  { title: 'Error' },
);

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The tag of an /api path: its first segment after the version, e.g. `customers`. */
export function tagOf(url: string): string {
  const parts = url.split('/').filter(Boolean);
  const afterVersion = /^v\d+$/.test(parts[1] ?? '') ? parts[2] : parts[1];
  return afterVersion ?? 'api';
}

const words = (segment: string) => segment.replace(/[-_.]/g, ' ');
const singular = (segment: string) => words(segment).replace(/(?<!s)s$/, '');
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A readable summary for a route that does not set its own: `GET /customers` → "List customers",
 * `GET /customers/:id` → "Get a customer", `POST /clients/:id/revoke` → "Revoke client",
 * `GET /invoices/:id/payments` → "List invoice payments", `PUT /business/security` → "Set
 * business security".
 */
export function summaryOf(method: string, url: string): string {
  const parts = url
    .replace(/^\/api\/(v\d+\/)?/, '')
    .split('/')
    .filter(Boolean);
  const isParam = (p: string | undefined) => p?.startsWith(':') ?? false;
  const last = parts.at(-1) ?? 'api';
  if (isParam(last)) {
    const thing = singular(parts.at(-2) ?? 'record');
    const verb = { get: 'Get', patch: 'Change', put: 'Replace', delete: 'Delete' }[method] ?? 'Act on';
    return `${verb} a ${thing}`;
  }
  if (method === 'post' && isParam(parts.at(-2)) && !last.endsWith('s')) {
    return `${capital(words(last))} ${singular(parts.at(-3) ?? '')}`.trim();
  }
  const owners = parts.slice(0, -1).filter((p) => !isParam(p));
  const owner = owners.length > 0 ? `${singular(owners.at(-1) ?? '')} ` : '';
  const isPlural = /[^s]s$/.test(last);
  switch (method) {
    case 'get':
      return last.includes('.')
        ? `Download ${owner}${words(last)}`
        : `${isPlural ? 'List' : 'Get'} ${owner}${words(last)}`;
    case 'post':
      return isPlural ? `Create ${owner}${singular(last)}` : `${capital(words(last))} ${owner}`.trim();
    case 'put':
      return `Set ${owner}${words(last)}`;
    case 'patch':
      return `Change ${owner}${words(last)}`;
    default:
      return `Delete ${owner}${words(last)}`;
  }
}

type Json = Record<string, unknown>;

/** Adds tags, summaries, security, error responses and the idempotency header to every operation. */
function completeDocument(doc: Json): Json {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      op.tags ??= [tagOf(path)];
      for (const t of op.tags as string[]) tags.add(t);
      op.summary ??= summaryOf(method, path.replace(/\{(\w+)\}/g, ':$1'));
      const responses = (op.responses ?? {}) as Record<string, Json>;
      // A route without a response schema gets swagger's placeholder; say what it is instead.
      for (const r of Object.values(responses)) {
        if (r.description === 'Default Response') r.description = 'Success';
      }
      responses['401'] ??= { $ref: '#/components/responses/Unauthenticated' };
      responses['4XX'] ??= { $ref: '#/components/responses/ClientError' };
      responses['5XX'] ??= { $ref: '#/components/responses/ServerError' };
      op.responses = responses;
    }
  }
  const components = (doc.components ?? {}) as Json;
  const error = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  components.schemas = { ...(components.schemas as Json), Error: ErrorBody };
  components.responses = {
    Unauthenticated: {
      description: 'No valid bearer access token (code token_missing, token_invalid or token_expired)',
      content: error,
    },
    ClientError: {
      description:
        'The request cannot be processed: validation_failed (with issues per field), ' +
        'insufficient_permission, *_not_found (also for another business’s records), conflicts, ' +
        'idempotency_key_reused, idempotency_request_in_progress',
      content: error,
    },
    ServerError: { description: 'Our fault; quote the requestId', content: error },
  };
  return {
    ...doc,
    tags: [...tags].sort().map((name) => ({ name })),
    components,
  };
}

/** Options for the description: where the embedded provider's token endpoint is, if it runs. */
export interface OpenApiOptions {
  /** `/oidc/token` with the embedded provider; undefined with an external issuer. */
  tokenUrl: string | undefined;
}

/** Registers the generator. Call before any route is registered: it learns routes as they are added. */
export async function installOpenApi(app: App, options: OpenApiOptions): Promise<void> {
  const scopes = Object.fromEntries(API_SCOPES.map((s) => [s, `The ${s} permission`]));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kluis API',
        version: '1',
        description:
          'Invoicing for Dutch and EU businesses. JSON in camelCase; amounts and quantities are ' +
          'decimal strings. Lists page with `cursor` and `limit` and answer `nextCursor` (null on ' +
          'the last page). Another business’s record always answers 404. Creating calls accept ' +
          `an \`${IDEMPOTENCY_KEY_HEADER}\` header (IETF draft httpapi-idempotency-key-header).`,
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An access token of the configured issuer, naming the business',
          },
          ...(options.tokenUrl
            ? {
                clientCredentials: {
                  type: 'oauth2',
                  description: 'API clients (integrations) get a token with their id and secret',
                  flows: { clientCredentials: { tokenUrl: options.tokenUrl, scopes } },
                },
              }
            : {}),
        },
      },
      security: [{ bearer: [] }, ...(options.tokenUrl ? [{ clientCredentials: [] }] : [])],
    },
    transform: ({ schema, url, route }) => {
      const own = (schema ?? {}) as Json;
      // Only the API is described: sign-in pages, the provider and health checks are not part of it.
      if (!url.startsWith('/api/') || url === OPENAPI_PATH || url.startsWith(DOCS_PREFIX)) {
        return { schema: { ...own, hide: true } as never, url };
      }
      if (route.config?.idempotent !== true) return { schema: own as never, url };
      const headers = (own.headers ?? { type: 'object', properties: {} }) as Json;
      return {
        schema: {
          ...own,
          headers: {
            ...headers,
            properties: {
              ...(headers.properties as Json),
              [IDEMPOTENCY_KEY_HEADER.toLowerCase()]: {
                type: 'string',
                minLength: 1,
                maxLength: 255,
                description:
                  'A unique key per intended change (e.g. a UUID), kept 24 hours. A retry with the ' +
                  'same key and body replays the first response (header Idempotent-Replayed: true) ' +
                  'and changes nothing; another body answers 422 idempotency_key_reused; a retry ' +
                  'while the first is running answers 409 idempotency_request_in_progress.',
              },
            },
          },
        } as never,
        url,
      };
    },
    transformObject: (d) =>
      completeDocument(('openapiObject' in d ? d.openapiObject : d.swaggerObject) as Json) as never,
  });
}

/**
 * Registers the document and the docs page. After authentication is installed, so the route
 * inventory sees them and the test can assert they are the only /api routes open without a token.
 */
export async function openApiRoutes(app: App): Promise<void> {
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  // The plugin's declared type does not fit an app with a type provider; its options are checked here.
  const ui = swaggerUi as unknown as FastifyPluginAsync<FastifySwaggerUiOptions>;
  await app.register(ui, {
    routePrefix: DOCS_PREFIX,
    // No call to validator.swagger.io: Kluis makes no outbound calls the operator did not configure.
    validatorUrl: false,
    uiConfig: { deepLinking: true, docExpansion: 'list' },
    theme: { title: 'Kluis API' },
  });
}
