/**
 * Builds the Fastify application from already-constructed services. It never listens (main.ts
 * does), so tests drive the real app with `inject`. Order matters: error handling and headers
 * first, so every route, including 404s and plugin errors, answers in the one shape.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import { AppError } from '../domain/errors.ts';
import type { Services } from './context.ts';
import type { ApiRoute } from './http/auth.ts';
import { type IdentityOptions, setupIdentity } from './http/auth-setup.ts';
import { installErrorHandling } from './http/errors.ts';
import { healthRoutes } from './http/health.routes.ts';
import { installIdempotency } from './http/idempotency.ts';
import { installOpenApi, openApiRoutes } from './http/openapi.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { webRoutes } from './http/web.routes.ts';
import { auditLogRoutes } from './modules/audit-log/audit-log.routes.ts';
import { customersRoutes } from './modules/customers/customers.routes.ts';
import { endingRoutes } from './modules/ending/ending.routes.ts';
import { breachNoticesRoutes } from './modules/incidents/breach-notices.routes.ts';
import { archiveRoutes } from './modules/invoices/archive.routes.ts';
import { brandingRoutes } from './modules/invoices/branding.routes.ts';
import { invoicesRoutes } from './modules/invoices/invoices.routes.ts';
import { paymentsRoutes } from './modules/invoices/payments.routes.ts';
import { sendRoutes } from './modules/invoices/send.routes.ts';
import { invoiceSettingsRoutes } from './modules/invoices/settings.routes.ts';
import { DEFAULT_LEGAL_SETTINGS, type LegalSettings, privacyCenterRoutes } from './modules/legal/index.ts';
import { operatorRoutes } from './modules/operator/operator.routes.ts';
import { operatorIncidentsRoutes } from './modules/operator/operator-incidents.routes.ts';
import { outboxRoutes } from './modules/outbox/outbox.routes.ts';
import { exportsRoutes } from './modules/privacy/exports.routes.ts';
import { productsRoutes } from './modules/products/products.routes.ts';
import { quotesRoutes } from './modules/quotes/quotes.routes.ts';
import { recurringRoutes } from './modules/recurring/index.ts';
import { subjectRequestsRoutes } from './modules/subject-requests/subject-requests.routes.ts';
import { supportAccessRoutes, supportOperatorRoutes } from './modules/support-access/index.ts';

/** The app type every route module receives: TypeBox schemas give types, validation and serialisation. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What buildApp needs beyond the services. */
export interface AppOptions {
  services: Services;
  /** Key and certificate when Kluis terminates TLS itself. */
  https?: { key: Buffer; cert: Buffer } | undefined;
  trustProxy?: boolean;
  /** Largest request body in bytes. */
  bodyLimit?: number;
  /** Which issuer the API trusts; defaults to the embedded provider at http://localhost:5005/oidc. */
  identity?: IdentityOptions;
  /** The operator and deployment facts the legal documents state; unconfigured defaults otherwise. */
  legal?: LegalSettings;
  /** Default days between a subscription's end and the deletion (KLUIS_ENDING_RETENTION_DAYS). */
  endingRetentionDays?: number;
}

/** What Fastify hands a validator compiler for each schema of each route. */
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
}
type Validate = (route: RouteSchema) => unknown;
type Pool = (externalSchemas: unknown, options: { customOptions?: object }) => Validate;
// The package's types describe the compiler as taking a bare schema; at run time it takes the route.
const validatorPool = AjvCompiler() as unknown as Pool;

/** Fastify's own validator compiler, with type coercion for query, params and headers only. */
function uncoercedBodies(externalSchemas: unknown, options: { customOptions?: object }): Validate {
  const coercing = validatorPool(externalSchemas, options);
  const strict = validatorPool(externalSchemas, {
    ...options,
    customOptions: { ...options.customOptions, coerceTypes: false },
  });
  return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
}

/** Returned with the app so main.ts can flip readiness off while draining. */
export interface Lifecycle {
  draining: boolean;
}

/** Builds the app; `lifecycle.draining = true` makes /readyz answer 503 during shutdown. */
export async function buildApp(
  options: AppOptions,
): Promise<{ app: App; lifecycle: Lifecycle; apiRoutes: readonly ApiRoute[] }> {
  const lifecycle: Lifecycle = { draining: false };
  const app = (
    Fastify({
      loggerInstance: options.services.log,
      ...(options.https ? { https: options.https } : {}),
      trustProxy: options.trustProxy ?? false,
      bodyLimit: options.bodyLimit ?? 1_048_576,
      // Request ids are ours: a client-supplied id could be used to confuse log correlation.
      genReqId: () => randomUUID(),
      requestIdHeader: false,
      return503OnClosing: true,
      forceCloseConnections: 'idle',
      // Query strings and params arrive as text, so scalars are coerced ('array' also wraps single
      // values); unknown properties are refused, never silently dropped; every problem is reported.
      ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
      // JSON bodies carry their own types and are never coerced: coercion would turn a `null` into
      // "" for a string-or-null field and let it through to the database.
      schemaController: {
        compilersFactory: { buildValidator: uncoercedBodies as unknown as ValidatorFactory },
      },
      // The HTTPS server type differs only in the raw server; routes never touch it.
    }) as unknown as FastifyInstance
  ).withTypeProvider<TypeBoxTypeProvider>() as App;

  installErrorHandling(app);
  installSecurityHeaders(app, options.https !== undefined);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  // Rate limits are opt-in per route (`config.rateLimit`), e.g. for sign-in; state is per process.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError(
        'rate_limited',
        'rate_limited',
        `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
      ),
  });

  // The API's description learns every route registered after this (ADR 0023).
  await installOpenApi(app, { tokenUrl: options.identity?.external ? undefined : '/oidc/token' });
  installIdempotency(app, options.services);
  healthRoutes(app, options.services.db, () => lifecycle.draining);
  // Every /api route needs a valid access token; registered before any /api route exists.
  const apiRoutes = await setupIdentity(
    app,
    options.services,
    options.identity ?? { publicUrl: 'http://localhost:5005' },
  );
  await openApiRoutes(app);
  customersRoutes(app, options.services);
  invoicesRoutes(app, options.services);
  paymentsRoutes(app, options.services);
  recurringRoutes(app, options.services);
  productsRoutes(app, options.services);
  quotesRoutes(app, options.services);
  sendRoutes(app, options.services);
  archiveRoutes(app, options.services);
  brandingRoutes(app, options.services);
  invoiceSettingsRoutes(app, options.services);
  exportsRoutes(app, options.services);
  endingRoutes(app, options.services, { retentionDays: options.endingRetentionDays ?? 30 });
  privacyCenterRoutes(app, options.services, options.legal);
  breachNoticesRoutes(app, options.services);
  auditLogRoutes(app, options.services);
  outboxRoutes(app, options.services);
  supportAccessRoutes(app, options.services);
  supportOperatorRoutes(app, options.services);
  // The operator console's API (ADR 0058): operator tokens only, under /api/operator/v1.
  operatorRoutes(app, options.services, options.legal ?? DEFAULT_LEGAL_SETTINGS);
  operatorIncidentsRoutes(app, options.services, options.legal ?? DEFAULT_LEGAL_SETTINGS);
  await subjectRequestsRoutes(app, options.services, options.legal?.publicUrl);
  // The web app last: its fallback only answers browser navigations no route above claimed.
  await webRoutes(app);
  return { app, lifecycle, apiRoutes };
}
