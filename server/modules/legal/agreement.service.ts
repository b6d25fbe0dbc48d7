/**
 * Acceptance of the agreement (Privacy center point 2): it applies from first use, so signing up
 * records who accepted which version, when and from where; a new version must be accepted before
 * further use (`mustAccept`, which the web app checks at sign-in) and is announced by mail to every
 * business's data-protection contact. The business downloads its own copy as a PDF, with its
 * details and the acceptance record filled in.
 */
import { AppError } from '../../../domain/errors.ts';
import type { AuditInput } from '../../audit/audit.repo.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Actor, Ctx, Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { getInvoiceSettings } from '../invoices/index.ts';
import { insertBusinessNotice } from '../notices/notices.repo.ts';
import { listTenants } from '../tenants/tenants.service.ts';
import { type Acceptance, findLatestAcceptance, insertAcceptance } from './agreement.repo.ts';
import { findNoticeRecipient, tenantKeys } from './contact.service.ts';
import {
  type BusinessParty,
  CURRENT_AGREEMENT,
  type DocumentVersion,
  processingAgreement,
  termsOfUse,
} from './documents.ts';
import { documentLines, renderLegalPdf } from './legal.pdf.ts';
import type { LegalSettings } from './legal.settings.ts';
import { inLegalTx, requireManager, requireMember } from './legal.tx.ts';

export type { Acceptance } from './agreement.repo.ts';

/** The agreement as a business sees it. */
export interface AgreementView {
  current: DocumentVersion;
  accepted: Acceptance | null;
  /** True when the current version has not been accepted: the web app asks before going on. */
  mustAccept: boolean;
}

/**
 * Records that the person signing up accepted the current agreement; called by sign-up inside the
 * transaction that makes them owner, so a business never exists without its acceptance.
 */
export async function recordSignUpAcceptance(
  tx: Tx,
  keys: TenantKeys,
  who: { actor: Actor; ip: string | null; requestId: string | null; at: Date },
): Promise<void> {
  const id = newId(who.at);
  await insertAcceptance(tx, keys, {
    id,
    version: CURRENT_AGREEMENT.version,
    acceptedAt: who.at,
    actor: who.actor,
    ip: who.ip,
  });
  const event: AuditInput = {
    action: 'agreement.accepted',
    actor: who.actor,
    target: { type: 'agreement', id },
    requestId: who.requestId,
    ip: who.ip,
    data: { version: CURRENT_AGREEMENT.version, atSignUp: true },
    at: who.at,
  };
  await appendAudit(tx, keys, event);
}

/** The current version, the latest acceptance, and whether the current one is still to be accepted. */
export async function getAgreement(ctx: Ctx, current: DocumentVersion): Promise<AgreementView> {
  requireMember(ctx);
  return inLegalTx(ctx, async ({ tx, keys }) => {
    const accepted = (await findLatestAcceptance(tx, keys)) ?? null;
    const ofCurrent = await findLatestAcceptance(tx, keys, current.version);
    return { current, accepted, mustAccept: ofCurrent === undefined };
  });
}

/** Accepts `version`, which must be the current one; accepting it twice changes nothing. */
export async function acceptAgreement(
  ctx: Ctx,
  current: DocumentVersion,
  version: string,
): Promise<AgreementView> {
  requireManager(ctx, 'accept the agreement');
  if (version !== current.version) {
    throw new AppError(
      'conflict',
      'agreement_version_not_current',
      `The current version is ${current.version}`,
    );
  }
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    let accepted = await findLatestAcceptance(tx, keys, version);
    if (!accepted) {
      accepted = { id: newId(at), version, acceptedAt: at, actor: ctx.actor, ip: ctx.ip };
      await insertAcceptance(tx, keys, accepted);
      await record('agreement.accepted', { type: 'agreement', id: accepted.id }, { version });
    }
    return { current, accepted, mustAccept: false };
  });
}

function address(s: {
  street: string | null;
  postalCode: string | null;
  city: string | null;
}): string | null {
  const line = [s.street, [s.postalCode, s.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return line === '' ? null : line;
}

/** The business's own copy of the agreement as a PDF: its details and its acceptance record. */
export async function agreementPdf(
  ctx: Ctx,
  settings: LegalSettings,
  current: DocumentVersion,
): Promise<Buffer> {
  const view = await getAgreement(ctx, current);
  const party = await businessParty(ctx);
  const lines = agreementCopyLines(settings, current, party, view.accepted);
  return renderLegalPdf(`Verwerkersovereenkomst ${party.name}`, lines, ctx.services.clock.now());
}

/** The text of the business's copy (the PDF draws exactly these lines). */
export function agreementCopyLines(
  settings: LegalSettings,
  current: DocumentVersion,
  party: BusinessParty,
  accepted: Acceptance | null,
) {
  const record = accepted
    ? [
        `Versie: ${accepted.version}`,
        `Geaccepteerd op: ${accepted.acceptedAt.toISOString()}`,
        `Door: ${accepted.actor.type} ${accepted.actor.id ?? ''}`.trim(),
        `Vanaf IP-adres: ${accepted.ip ?? 'onbekend'}`,
      ]
    : ['Deze versie is nog niet geaccepteerd.'];
  return [
    ...documentLines(processingAgreement(settings, current, party), [
      { heading: 'Acceptatie', lines: record },
    ]),
    ...documentLines(termsOfUse(settings, current)),
  ];
}

async function businessParty(ctx: Ctx): Promise<BusinessParty> {
  try {
    // The seller details of the invoice settings are the business's own legal details.
    const { seller, representative } = await getInvoiceSettings(ctx);
    return {
      name: seller.name,
      // Kluis does not ask for the statutory seat separately: the city of the business's address
      // stands for it (for most small Dutch businesses they are the same; the KvK number settles it).
      seat: seller.city,
      address: address(seller),
      kvkNumber: seller.kvkNumber,
      representative,
    };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invoice_settings_missing') throw error;
    const tenant = (await listTenants(ctx.services)).find((t) => t.id === ctx.tenantId);
    return { name: tenant?.name ?? '', seat: null, address: null, kvkNumber: null, representative: null };
  }
}

/**
 * Announces a new version of the agreement to every active business's data-protection contact (a
 * mail each, through the outbox or SMTP). Returns how many were mailed and how many had no contact.
 */
export async function announceAgreementVersion(
  services: Services,
  settings: LegalSettings,
  next: DocumentVersion,
): Promise<{ mailed: number; withoutContact: number }> {
  let mailed = 0;
  let withoutContact = 0;
  for (const tenant of await listTenants(services)) {
    if (tenant.status !== 'active') continue;
    // Shown in the app too (with or without a contact), beside the gate that asks for acceptance.
    const at = services.clock.now();
    await inTenant(services.db, tenant.id, (tx) =>
      insertBusinessNotice(tx, tenant.id, { kind: 'agreement_version', subjectId: next.version, at }),
    );
    const contact = await findNoticeRecipient(services, tenant.id);
    if (!contact) {
      withoutContact++;
      continue;
    }
    await services.mailer.send(await tenantKeys(services, tenant.id), {
      to: [contact.email],
      ...(settings.operator.email.includes('@') ? { replyTo: settings.operator.email } : {}),
      subject: `Nieuwe versie van de verwerkersovereenkomst (${next.version})`,
      text: [
        `Beste ${contact.name},`,
        '',
        `${settings.operator.name} heeft een nieuwe versie (${next.version}, van ${next.date}) van de gebruiksvoorwaarden en de verwerkersovereenkomst van Kluis.`,
        `U leest haar op ${settings.publicUrl}/verwerkersovereenkomst en ${settings.publicUrl}/voorwaarden.`,
        'Bij de volgende keer inloggen vraagt Kluis een eigenaar of beheerder haar te accepteren.',
        '',
        'U ontvangt deze mail als contactpersoon voor gegevensbescherming van uw onderneming.',
      ].join('\n'),
    });
    mailed++;
  }
  return { mailed, withoutContact };
}
