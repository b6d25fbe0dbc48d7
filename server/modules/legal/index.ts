/** The legal module's surface: the privacy center's routes, settings, and the hooks other modules call. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { noticesRoutes } from '../notices/notices.routes.ts';
import { subprocessorsRoutes } from '../subprocessors/subprocessors.routes.ts';
import { legalRoutes } from './legal.routes.ts';
import { DEFAULT_LEGAL_SETTINGS, type LegalSettings } from './legal.settings.ts';

export { announceAgreementVersion, recordSignUpAcceptance } from './agreement.service.ts';
export { assertPrivacyContact, findNoticeRecipient, setPrivacyContact } from './contact.service.ts';
export { CURRENT_AGREEMENT, DOCUMENT_VERSIONS } from './documents.ts';
export { DEFAULT_LEGAL_SETTINGS, type LegalSettings, legalSettingsFrom } from './legal.settings.ts';

/** Registers the legal pages and the agreement, contact, register, subprocessor and notices API. */
export function privacyCenterRoutes(
  app: App,
  services: Services,
  settings: LegalSettings = DEFAULT_LEGAL_SETTINGS,
): void {
  legalRoutes(app, services, settings);
  subprocessorsRoutes(app, services);
  // The app's notices area: contact banner, agreement gate, notices (ADR 0060).
  noticesRoutes(app, services, settings);
}
