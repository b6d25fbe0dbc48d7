/**
 * The operator console's use cases that are not incidents (Privacy center point 12): the
 * lifecycle of every business, the subprocessor registry, and the operator's own register of
 * processing across businesses (GDPR art. 30(2)). Each reuses the module that owns the rule
 * (tenants, ending, subprocessors, legal) and adds what the console owes: the operator as actor
 * on the platform audit chain.
 */
import type { Actor, Services } from '../../context.ts';
import { listEndings } from '../ending/ending.operator.ts';
import { recordPlatformEvent } from '../identity/platform-audit.ts';
import { CATEGORY_NL, dataAnnex, PURPOSE_NL, RETENTION_NL, SUBJECT_NL } from '../legal/annex.ts';
import { findNoticeRecipient } from '../legal/contact.service.ts';
import { type DocumentVersion, isoDate, type LegalDocument, securityMeasures } from '../legal/documents.ts';
import { documentLines, renderLegalPdf } from '../legal/legal.pdf.ts';
import { EEA_COUNTRIES, type LegalSettings, type Operator } from '../legal/legal.settings.ts';
import {
  addSubprocessor,
  listPublicSubprocessors,
  type Subprocessor,
  type SubprocessorInput,
} from '../subprocessors/subprocessors.service.ts';
import { listTenants } from '../tenants/tenants.service.ts';

/** An operator acting at the console, identified (unlike the CLI's anonymous CONSOLE). */
export type OperatorActor = Actor & { type: 'operator'; id: string };

/**
 * One business as the operator runs it: no content, only what operating needs. The name is kept
 * because the staff must tell businesses apart when scoping an incident or answering a ticket;
 * it is null once the business's keys are destroyed.
 */
export interface TenantLifecycle {
  id: string;
  name: string | null;
  status: 'active' | 'shredded';
  createdAt: string;
  /** When the owner ended the subscription; null while it runs. */
  subscriptionEndedAt: string | null;
  /** When the business's data will be (or was) deleted, after the retention timer. */
  retentionDeadline: string | null;
  /** none (running), ending, cancelled, shredded, purged, certified. */
  deletionStatus: string;
  resumedAt: string | null;
  certifiedAt: string | null;
}

/** Every business with its lifecycle, oldest first. */
export async function listTenantLifecycles(services: Services): Promise<TenantLifecycle[]> {
  const endings = new Map((await listEndings(services)).map((e) => [e.businessId, e]));
  const tenants = await listTenants(services);
  return tenants.map((t) => {
    const e = endings.get(t.id);
    return {
      id: t.id,
      name: t.name,
      status: t.status,
      createdAt: t.createdAt,
      subscriptionEndedAt: e?.endedAt ?? null,
      retentionDeadline: e?.deadlineAt ?? null,
      deletionStatus: e?.status ?? 'none',
      resumedAt: e?.resumedAt ?? null,
      certifiedAt: e?.certifiedAt ?? null,
    };
  });
}

/** The registry, as the public page lists it. */
export async function listSubprocessorsForOperator(services: Services): Promise<Subprocessor[]> {
  return listPublicSubprocessors(services);
}

/**
 * Adds a subprocessor exactly as the CLI does (effective no sooner than the notice period, every
 * contact mailed), then records the operator on the platform chain.
 */
export async function addSubprocessorAsOperator(
  services: Services,
  settings: LegalSettings,
  actor: OperatorActor,
  input: SubprocessorInput,
): Promise<{ subprocessor: Subprocessor; mailed: number; withoutContact: number }> {
  const result = await addSubprocessor(services, settings, input);
  await recordPlatformEvent(services, {
    action: 'platform.subprocessor_added',
    actor,
    target: { type: 'subprocessor', id: result.subprocessor.id },
    data: { country: result.subprocessor.country, mailed: result.mailed },
  });
  return result;
}

/** The operator's register of processing for all businesses (art. 30(2) GDPR), as JSON. */
export interface OperatorRegister {
  generatedAt: string;
  agreementVersion: string;
  processor: Operator;
  /** Art. 30(2)(a): each controller on whose behalf the operator processes, with its contact. */
  controllers: {
    businessId: string;
    name: string | null;
    deletionStatus: string;
    contact: { name: string; email: string } | null;
  }[];
  processing: {
    subject: string;
    subjectLabel: string;
    categories: { code: string; label: string }[];
    purposes: { code: string; label: string }[];
    retention: { code: string; label: string }[];
  }[];
  subprocessors: {
    id: string;
    name: string;
    purpose: string;
    dataCategories: string[];
    country: string;
    parentJurisdiction: string;
    effectiveFrom: string;
    isThirdCountry: boolean;
  }[];
  securityMeasures: string[];
}

function measures(doc: LegalDocument): string[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => ('list' in b ? b.list : [])));
}

/**
 * Builds the register. It names each active business's data-protection contact (the law asks for
 * the controllers' contact details), so reading it is recorded on the platform chain.
 */
export async function getOperatorRegister(
  services: Services,
  settings: LegalSettings,
  agreement: DocumentVersion,
  actor: OperatorActor,
  format: 'json' | 'pdf',
): Promise<OperatorRegister> {
  const tenants = await listTenantLifecycles(services);
  const controllers: OperatorRegister['controllers'] = [];
  for (const t of tenants) {
    if (t.status !== 'active') continue;
    const contact = await findNoticeRecipient(services, t.id);
    controllers.push({
      businessId: t.id,
      name: t.name,
      deletionStatus: t.deletionStatus,
      contact: contact ? { name: contact.name, email: contact.email } : null,
    });
  }
  const subs = await listPublicSubprocessors(services);
  const now = services.clock.now();
  await recordPlatformEvent(services, {
    action: 'platform.register_read',
    actor,
    data: { format, controllers: controllers.length },
  });
  return {
    generatedAt: now.toISOString(),
    agreementVersion: agreement.version,
    processor: settings.operator,
    controllers,
    processing: dataAnnex().map((e) => ({
      subject: e.subject,
      subjectLabel: SUBJECT_NL[e.subject],
      categories: e.categories.map((code) => ({ code, label: CATEGORY_NL[code] })),
      purposes: e.purposes.map((code) => ({ code, label: PURPOSE_NL[code] })),
      retention: e.retentions.map((code) => ({ code, label: RETENTION_NL[code] })),
    })),
    subprocessors: subs.map((s) => ({
      id: s.id,
      name: s.name,
      purpose: s.purpose,
      dataCategories: s.dataCategories,
      country: s.country,
      parentJurisdiction: s.parentJurisdiction,
      effectiveFrom: isoDate(s.effectiveFrom),
      isThirdCountry: !EEA_COUNTRIES.has(s.country) || !EEA_COUNTRIES.has(s.parentJurisdiction),
    })),
    securityMeasures: measures(securityMeasures(settings)),
  };
}

/** The same register as a PDF, with the per-business register's writer. */
export async function operatorRegisterPdf(
  services: Services,
  settings: LegalSettings,
  agreement: DocumentVersion,
  actor: OperatorActor,
): Promise<Buffer> {
  const r = await getOperatorRegister(services, settings, agreement, actor, 'pdf');
  const at = new Date(r.generatedAt);
  const doc: LegalDocument = {
    code: 'verwerkersovereenkomst',
    title: 'Register van verwerkingen van de verwerker (art. 30 lid 2 AVG)',
    version: { version: agreement.version, date: isoDate(at) },
    sections: [
      {
        heading: 'Verwerker',
        blocks: [
          {
            p: `${r.processor.name}, ${r.processor.address}, KvK ${r.processor.kvkNumber}, ${r.processor.email}`,
          },
        ],
      },
      {
        heading: 'Verwerkingsverantwoordelijken',
        blocks:
          r.controllers.length === 0
            ? [{ p: 'Geen.' }]
            : [
                {
                  table: {
                    head: ['Onderneming', 'Contactpersoon gegevensbescherming', 'Status'],
                    rows: r.controllers.map((c) => [
                      c.name ?? c.businessId,
                      c.contact ? `${c.contact.name}, ${c.contact.email}` : 'niet ingesteld',
                      c.deletionStatus === 'none' ? 'actief' : c.deletionStatus,
                    ]),
                  },
                },
              ],
      },
      {
        heading: 'Categorieën van verwerkingen',
        blocks: r.processing.map((x) => ({
          p: `${x.subjectLabel}: ${x.categories.map((c) => c.label).join(', ')}; doelen: ${x.purposes.map((c) => c.label).join('; ')}; bewaren: ${x.retention.map((c) => c.label).join('; ')}`,
        })),
      },
      {
        heading: 'Subverwerkers en doorgiften',
        blocks:
          r.subprocessors.length === 0
            ? [{ p: 'Geen.' }]
            : r.subprocessors.map((s) => ({
                p: `${s.name} (${s.purpose}), ${s.country}/${s.parentJurisdiction}, vanaf ${s.effectiveFrom}${s.isThirdCountry ? ', doorgifte buiten de EU' : ''}`,
              })),
      },
      { heading: 'Beveiligingsmaatregelen', blocks: [{ list: r.securityMeasures }] },
    ],
  };
  return renderLegalPdf(doc.title, documentLines(doc), at);
}
