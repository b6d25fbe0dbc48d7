/**
 * Liveness and readiness. /healthz says the process answers; /readyz says it can serve: the
 * database is migrated and reachable and the process is not draining for shutdown. Neither
 * touches tenant data, so both are public.
 */

import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { Database } from '../db/client.ts';

const Status = Type.Object({ status: Type.String() });

/** Registers /healthz and /readyz. */
export function healthRoutes(app: App, db: Database, isDraining: () => boolean): void {
  app.get('/healthz', { schema: { response: { 200: Status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { response: { 200: Status, 503: Status } } }, async (_req, reply) => {
    const ready = !isDraining() && (await db.isReady());
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable' });
  });
}
