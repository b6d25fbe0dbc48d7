/**
 * Subprocessors (Privacy center point 4). The operator adds one (CLI); its effective date lies at
 * least the notice period ahead (30 days by default, KLUIS_SUBPROCESSOR_NOTICE_DAYS), and every
 * business's data-protection contact is mailed at once. A deployment may refuse any subprocessor
 * outside the EU/EEA or under a non-EU parent's law. Each business has a policy: notify-and-object
 * (default: it may object with a reason, which is recorded, audited and alerts the operator) or
 * prior consent (the subprocessor is not used for it until it consents).
 */
import { AppError, type FieldIssue, invalidInput, notFound } from '../../../domain/errors.ts';
import type { Ctx, Services } from '../../context.ts';
import type { PersonalCategory } from '../../db/catalogue.ts';
import { inSystem } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { CATEGORY_NL } from '../legal/annex.ts';
import { findNoticeRecipient, getPrivacyContact, tenantKeys } from '../legal/contact.service.ts';
import { isoDate } from '../legal/documents.ts';
import { EEA_COUNTRIES, type LegalSettings } from '../legal/legal.settings.ts';
import { inLegalTx, requireManager } from '../legal/legal.tx.ts';
import { insertNoticeForEach } from '../notices/notices.repo.ts';
import { enqueueObjectionAlert } from '../notices/operator-alerts.ts';
import { listTenants } from '../tenants/tenants.service.ts';
import {
  type Decision,
  findSubprocessor,
  insertDecision,
  insertSubprocessor,
  listDecisions,
  listSubprocessorRows,
  type Subprocessor,
} from './subprocessors.repo.ts';

export type { Decision, Subprocessor } from './subprocessors.repo.ts';

/** What the operator gives when adding a subprocessor. */
export interface SubprocessorInput {
  name: string;
  purpose: string;
  dataCategories: string[];
  country: string;
  parentJurisdiction: string;
  agreementReference: string;
  /** Optional later effective date; never earlier than the notice period allows. */
  effectiveFrom?: Date;
}

/** A subprocessor as one business sees it. */
export interface BusinessSubprocessor extends Subprocessor {
  /** True once the effective date has passed. */
  isEffective: boolean;
  /** Whether data of this business may go to it now: effective, and consented under prior consent. */
  isUsedForBusiness: boolean;
  objection: { at: Date; reason: string | null } | null;
  consentedAt: Date | null;
}

const DAY_MS = 86_400_000;

function check(input: SubprocessorInput, settings: LegalSettings): SubprocessorInput {
  const issues: FieldIssue[] = [];
  const text = (path: keyof SubprocessorInput, v: string, max: number) => {
    if (v.trim().length < 1 || v.trim().length > max) {
      issues.push({ path, code: `${path}_length`, message: `1 to ${max} characters` });
    }
  };
  text('name', input.name, 200);
  text('purpose', input.purpose, 500);
  text('agreementReference', input.agreementReference, 200);
  const country = input.country.trim().toUpperCase();
  const parent = input.parentJurisdiction.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    issues.push({ path: 'country', code: 'country_format', message: 'ISO 3166 alpha-2' });
  if (!/^[A-Z]{2}$/.test(parent)) {
    issues.push({ path: 'parentJurisdiction', code: 'country_format', message: 'ISO 3166 alpha-2' });
  }
  const unknown = input.dataCategories.filter((c) => !Object.hasOwn(CATEGORY_NL, c));
  if (input.dataCategories.length === 0 || unknown.length > 0) {
    issues.push({
      path: 'dataCategories',
      code: 'data_category_unknown',
      message: `Categories of the data catalogue: ${Object.keys(CATEGORY_NL).join(', ')}`,
    });
  }
  if (issues.length > 0) throw invalidInput(issues);
  if (settings.subprocessorsEuOnly && (!EEA_COUNTRIES.has(country) || !EEA_COUNTRIES.has(parent))) {
    throw new AppError(
      'unprocessable',
      'subprocessor_outside_eu',
      'This deployment accepts only subprocessors in the EU/EEA under an EU/EEA parent company',
    );
  }
  return {
    ...input,
    name: input.name.trim(),
    purpose: input.purpose.trim(),
    agreementReference: input.agreementReference.trim(),
    country,
    parentJurisdiction: parent,
    dataCategories: [...new Set(input.dataCategories)],
  };
}

/**
 * Adds a subprocessor (operator only, through the CLI) effective no sooner than the notice period,
 * and mails every business's data-protection contact. Returns it with the number of mails.
 */
export async function addSubprocessor(
  services: Services,
  settings: LegalSettings,
  input: SubprocessorInput,
): Promise<{ subprocessor: Subprocessor; mailed: number; withoutContact: number }> {
  const valid = check(input, settings);
  const now = services.clock.now();
  const earliest = new Date(now.getTime() + settings.subprocessorNoticeDays * DAY_MS);
  if (valid.effectiveFrom && valid.effectiveFrom < earliest) {
    throw new AppError(
      'unprocessable',
      'effective_date_too_soon',
      `A new subprocessor takes effect at least ${settings.subprocessorNoticeDays} days after it is announced (${isoDate(earliest)})`,
    );
  }
  const subprocessor: Subprocessor = {
    id: newId(now),
    name: valid.name,
    purpose: valid.purpose,
    dataCategories: valid.dataCategories,
    country: valid.country,
    parentJurisdiction: valid.parentJurisdiction,
    agreementReference: valid.agreementReference,
    addedAt: now,
    effectiveFrom: valid.effectiveFrom ?? earliest,
  };
  const active = (await listTenants(services)).filter((t) => t.status === 'active').map((t) => t.id);
  // The in-app notice of every business is written with the registry row: both or neither.
  await inSystem(services.db, async (tx) => {
    await insertSubprocessor(tx, subprocessor);
    await insertNoticeForEach(tx, active, {
      kind: 'subprocessor_announced',
      subjectId: subprocessor.id,
      at: now,
    });
  });
  const notice = await notifyContacts(services, settings, subprocessor);
  return { subprocessor, ...notice };
}

async function notifyContacts(
  services: Services,
  settings: LegalSettings,
  s: Subprocessor,
): Promise<{ mailed: number; withoutContact: number }> {
  let mailed = 0;
  let withoutContact = 0;
  for (const tenant of await listTenants(services)) {
    if (tenant.status !== 'active') continue;
    const contact = await findNoticeRecipient(services, tenant.id);
    if (!contact) {
      withoutContact++;
      continue;
    }
    await services.mailer.send(await tenantKeys(services, tenant.id), {
      to: [contact.email],
      subject: `Nieuwe subverwerker per ${isoDate(s.effectiveFrom)}: ${s.name}`,
      text: [
        `Beste ${contact.name},`,
        '',
        `${settings.operator.name} gaat vanaf ${isoDate(s.effectiveFrom)} een nieuwe subverwerker inschakelen:`,
        `  Naam: ${s.name}`,
        `  Doel: ${s.purpose}`,
        `  Gegevens: ${s.dataCategories.map((c) => CATEGORY_NL[c as PersonalCategory] ?? c).join(', ')}`,
        `  Land: ${s.country}; recht van het moederbedrijf: ${s.parentJurisdiction}`,
        `  Overeenkomst: ${s.agreementReference}`,
        '',
        `U kunt tot die datum bezwaar maken in Kluis (API: POST /api/v1/subprocessors/${s.id}/objection).`,
        'Hebt u gekozen voor voorafgaande toestemming, dan wordt deze subverwerker pas voor uw onderneming ingezet nadat u hebt ingestemd.',
        `De lijst staat op ${settings.publicUrl}/subverwerkers.`,
      ].join('\n'),
    });
    mailed++;
  }
  return { mailed, withoutContact };
}

/** The registry (not removed), for the public page. */
export async function listPublicSubprocessors(services: Services): Promise<Subprocessor[]> {
  return inSystem(services.db, listSubprocessorRows);
}

/** The registry as this business sees it: effective or announced, used for it or not, its decisions. */
export async function listBusinessSubprocessors(ctx: Ctx): Promise<BusinessSubprocessor[]> {
  const { subprocessorPolicy } = await getPrivacyContact(ctx);
  return inLegalTx(ctx, async ({ tx, keys, at }) => {
    const decisions = await listDecisions(tx, keys);
    return (await listSubprocessorRows(tx)).map((s) => withStatus(s, decisions, subprocessorPolicy, at));
  });
}

function withStatus(
  s: Subprocessor,
  decisions: Decision[],
  policy: 'notify_object' | 'prior_consent',
  now: Date,
): BusinessSubprocessor {
  const mine = decisions.filter((d) => d.subprocessorId === s.id);
  const objection = mine.filter((d) => d.kind === 'objection').at(-1);
  const consent = mine.filter((d) => d.kind === 'consent').at(-1);
  const isEffective = s.effectiveFrom <= now;
  return {
    ...s,
    isEffective,
    isUsedForBusiness: isEffective && (policy === 'notify_object' || consent !== undefined),
    objection: objection ? { at: objection.decidedAt, reason: objection.reason } : null,
    consentedAt: consent?.decidedAt ?? null,
  };
}

async function decide(ctx: Ctx, id: string, kind: 'objection' | 'consent', reason: string | null) {
  requireManager(ctx, kind === 'objection' ? 'object to a subprocessor' : 'consent to a subprocessor');
  const { subprocessorPolicy } = await getPrivacyContact(ctx);
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    const s = isUuid(id) ? await findSubprocessor(tx, id) : undefined;
    if (!s) throw notFound('subprocessor');
    const decisionId = newId(at);
    await insertDecision(tx, keys, {
      id: decisionId,
      subprocessorId: id,
      kind,
      reason,
      actor: ctx.actor,
      decidedAt: at,
    });
    await record(
      kind === 'objection' ? 'subprocessor.objected' : 'subprocessor.consented',
      {
        type: 'subprocessor',
        id,
      },
      { decisionId },
    );
    // The operator's alert is a durable job committed with the objection (ADR 0060).
    if (kind === 'objection')
      await enqueueObjectionAlert(tx, { tenantId: ctx.tenantId, subprocessorId: id, decisionId }, at);
    return withStatus(s, await listDecisions(tx, keys), subprocessorPolicy, at);
  });
}

/** Records the business's objection with its reason, and alerts the operator (mail + platform chain, no personal data). */
export async function objectToSubprocessor(
  ctx: Ctx,
  id: string,
  reason: string,
): Promise<BusinessSubprocessor> {
  const text = reason.trim();
  if (text.length < 1 || text.length > 2000) {
    throw invalidInput([
      { path: 'reason', code: 'reason_length', message: 'A reason of 1 to 2000 characters' },
    ]);
  }
  // The operator's alert (a job enqueued with the objection) names ids only; the reason stays
  // encrypted with the business.
  return decide(ctx, id, 'objection', text);
}

/** Records the business's consent (what prior consent waits for). */
export async function consentToSubprocessor(ctx: Ctx, id: string): Promise<BusinessSubprocessor> {
  return decide(ctx, id, 'consent', null);
}
