/**
 * The register of processing activities that Kluis keeps as processor for one business (GDPR
 * art. 30(2), Privacy center point 5), generated rather than written: the categories of
 * processing from the data catalogue, the subprocessors and transfers from the registry with this
 * business's decisions, and the security measures from the running configuration.
 */
import type { Ctx } from '../../context.ts';
import { listBusinessSubprocessors } from '../subprocessors/subprocessors.service.ts';
import { CATEGORY_NL, dataAnnex, PURPOSE_NL, RETENTION_NL, SUBJECT_NL } from './annex.ts';
import { getPrivacyContact, type PrivacyContact } from './contact.service.ts';
import { type DocumentVersion, isoDate, type LegalDocument, securityMeasures } from './documents.ts';
import { documentLines, renderLegalPdf } from './legal.pdf.ts';
import { EEA_COUNTRIES, type LegalSettings, type Operator } from './legal.settings.ts';
import { requireManager } from './legal.tx.ts';

/** The register as JSON. */
export interface ProcessingRegister {
  generatedAt: Date;
  agreementVersion: string;
  processor: Operator;
  controller: { tenantId: string; contact: PrivacyContact | null };
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
    agreementReference: string;
    effectiveFrom: string;
    isUsedForBusiness: boolean;
    /** Outside the EU/EEA, or under a non-EU parent's law: a transfer to document. */
    isThirdCountry: boolean;
  }[];
  securityMeasures: string[];
}

function measures(doc: LegalDocument): string[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => ('list' in b ? b.list : [])));
}

/** The register of processing for the caller's business. */
export async function getProcessingRegister(
  ctx: Ctx,
  settings: LegalSettings,
  agreement: DocumentVersion,
): Promise<ProcessingRegister> {
  requireManager(ctx, 'read the register of processing');
  const { contact } = await getPrivacyContact(ctx);
  const subs = await listBusinessSubprocessors(ctx);
  return {
    generatedAt: ctx.services.clock.now(),
    agreementVersion: agreement.version,
    processor: settings.operator,
    controller: { tenantId: ctx.tenantId, contact },
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
      agreementReference: s.agreementReference,
      effectiveFrom: isoDate(s.effectiveFrom),
      isUsedForBusiness: s.isUsedForBusiness,
      isThirdCountry: !EEA_COUNTRIES.has(s.country) || !EEA_COUNTRIES.has(s.parentJurisdiction),
    })),
    securityMeasures: measures(securityMeasures(settings)),
  };
}

/** The register as a PDF (the same content, as text). */
export async function processingRegisterPdf(
  ctx: Ctx,
  settings: LegalSettings,
  agreement: DocumentVersion,
): Promise<Buffer> {
  const r = await getProcessingRegister(ctx, settings, agreement);
  const doc: LegalDocument = {
    code: 'verwerkersovereenkomst',
    title: 'Register van verwerkingen (art. 30 lid 2 AVG)',
    version: { version: agreement.version, date: isoDate(r.generatedAt) },
    sections: [
      {
        heading: 'Verwerker en verwerkingsverantwoordelijke',
        blocks: [
          {
            p: `Verwerker: ${r.processor.name}, ${r.processor.address}, KvK ${r.processor.kvkNumber}, ${r.processor.email}`,
          },
          {
            p: `Contactpersoon gegevensbescherming van de onderneming: ${r.controller.contact ? `${r.controller.contact.name}, ${r.controller.contact.email}` : 'niet ingesteld'}`,
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
                p: `${s.name} (${s.purpose}), ${s.country}/${s.parentJurisdiction}, vanaf ${s.effectiveFrom}${s.isThirdCountry ? ', doorgifte buiten de EU' : ''}${s.isUsedForBusiness ? '' : ', (nog) niet ingezet voor deze onderneming'}`,
              })),
      },
      { heading: 'Beveiligingsmaatregelen', blocks: [{ list: r.securityMeasures }] },
    ],
  };
  return renderLegalPdf(doc.title, documentLines(doc), r.generatedAt);
}
