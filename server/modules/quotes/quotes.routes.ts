/** The quotes API (Invoicing core point 12): thin routes, one use case each. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';

/** Registers /api/v1/quotes. */
export function quotesRoutes(_app: App, _services: Services): void {}
