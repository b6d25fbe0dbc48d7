/**
 * The deletion at the end of a subscription (Privacy center point 10; ADR 0056), a durable job in
 * steps that each commit their progress in the `subscription_endings` row, so a re-run after a
 * crash continues where the last one stopped:
 *
 * 1. capture: the data-protection contact's address is sealed under the master key (it cannot be
 *    read once the business's keys are gone) with the fingerprints of the wrapped keys;
 * 2. shred: the existing crypto-shredding (tenants.service.ts), then `platform.tenant_shredded`;
 * 3. purge: every table with a `tenant_id` column, children first, in batches of BATCH rows, each
 *    batch one owner transaction that also adds its count to the row; then the business's blobs;
 * 4. certify: a PDF without personal data, signed ES256 with the deployment's current signing
 *    key, its SHA-256 on the platform audit chain, kept in the row;
 * 5. mail: the certificate goes to the captured address (through the platform's mail identity),
 *    then the sealed address is cleared.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type Services, SYSTEM } from '../../context.ts';
import { tenantKeys } from '../../db/platform.tables.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import type { JobInput, JobRunner } from '../../jobs/scheduler.ts';
import { appendPlatformAudit, platformAuditKeys } from '../identity/platform-audit.ts';
import { loadSigningKeys } from '../identity/signing-keys.ts';
import { findNoticeRecipient } from '../legal/index.ts';
import { type Line, renderLegalPdf } from '../legal/legal.pdf.ts';
import { tablesInOrder } from '../privacy/backup.ts';
import { findTenantRow } from '../tenants/tenants.repo.ts';
import { shredTenant } from '../tenants/tenants.service.ts';
import { DELETE_JOB, type EndingRow, findEnding } from './ending.service.ts';
import { subscriptionEndings } from './ending.tables.ts';

/** Rows per purge batch (one transaction each). */
export const BATCH = 200;

/** Test hooks: called after each committed purge batch (a crash test throws here). */
export interface DeletionHooks {
  afterBatch?: (table: string, deleted: number) => void | Promise<void>;
  batchSize?: number;
}

const contactLabel = (businessId: string) => `ending-contact/${businessId}`;

async function update(services: Services, businessId: string, set: Partial<EndingRow>): Promise<void> {
  await inSystem(services.db, (tx) =>
    tx.update(subscriptionEndings).set(set).where(eq(subscriptionEndings.businessId, businessId)),
  );
}

async function platformEvent(
  services: Services,
  action: 'platform.tenant_shredded' | 'platform.tenant_purged' | 'platform.deletion_certified',
  businessId: string,
  data: Record<string, string | number | boolean | null>,
): Promise<void> {
  const keys = await platformAuditKeys(services);
  await inSystem(services.db, (tx) =>
    appendPlatformAudit(tx, keys, {
      action,
      actor: SYSTEM,
      target: { type: 'tenant', id: businessId },
      data,
      at: services.clock.now(),
    }),
  );
}

async function capture(services: Services, row: EndingRow): Promise<void> {
  const id = row.businessId;
  const contact = await findNoticeRecipient(services, id);
  const fingerprints = await inTenant(services.db, id, async (tx) => {
    const keys = await tx.select().from(tenantKeys).where(eq(tenantKeys.tenantId, id));
    return Object.fromEntries(
      keys.map((k) => [`${k.purpose}:${k.keyId}`, createHash('sha256').update(k.wrapped).digest('hex')]),
    );
  });
  const sealed = contact ? services.keyring.sealSecret(contactLabel(id), Buffer.from(contact.email)) : null;
  await update(services, id, {
    keyFingerprints: fingerprints,
    contactEnc: sealed?.sealed ?? null,
    contactMasterKeyId: sealed?.masterKeyId ?? null,
  });
}

async function shred(services: Services, row: EndingRow): Promise<void> {
  const tenant = await inTenant(services.db, row.businessId, (tx) => findTenantRow(tx, row.businessId));
  if (tenant && tenant.status !== 'shredded') await shredTenant(services, SYSTEM, row.businessId);
  await update(services, row.businessId, { status: 'shredded', shreddedAt: services.clock.now() });
  await platformEvent(services, 'platform.tenant_shredded', row.businessId, {
    reason: 'subscription_ended',
    keys: Object.keys(row.keyFingerprints ?? {}).length,
  });
}

/** The tables holding a business's rows, children before parents. */
export async function tenantTables(services: Services): Promise<string[]> {
  return services.db.ownerTransaction(async (q) => {
    const withTenant = new Set(
      (
        await q<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'tenant_id'`,
        )
      ).map((r) => r.t),
    );
    return (await tablesInOrder(q)).filter((t) => withTenant.has(t)).reverse();
  });
}

async function purge(services: Services, row: EndingRow, hooks: DeletionHooks): Promise<void> {
  const id = row.businessId;
  const size = hooks.batchSize ?? BATCH;
  for (const table of await tenantTables(services)) {
    for (;;) {
      // One batch, one owner transaction: the append-only and immutability triggers are switched
      // off for this transaction only (ALTER TABLE is transactional), the batch is deleted, and its
      // count is added to the progress in the same commit.
      const deleted = await services.db.ownerTransaction(async (q) => {
        await q(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
        const gone = await q(
          `DELETE FROM "${table}" WHERE ctid IN (SELECT ctid FROM "${table}" WHERE tenant_id = $1 LIMIT ${size})
           RETURNING 1`,
          [id],
        );
        await q(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
        if (gone.length > 0) {
          await q(
            `UPDATE subscription_endings
                SET purged = jsonb_set(purged, ARRAY[$2::text], to_jsonb(coalesce((purged->>$2)::int, 0) + $3))
              WHERE business_id = $1`,
            [id, table, gone.length],
          );
        }
        return gone.length;
      });
      if (deleted === 0) break;
      await hooks.afterBatch?.(table, deleted);
    }
  }
  const blobs = await services.blobs.list(id, '');
  for (const key of blobs) await services.blobs.delete(id, key);
  const after = await inSystem(services.db, (tx) => findEnding(tx, id));
  const purged = { ...(after?.purged ?? {}) };
  if (blobs.length > 0) purged.blobs = (purged.blobs ?? 0) + blobs.length;
  await update(services, id, { status: 'purged', purgedAt: services.clock.now(), purged });
  await platformEvent(services, 'platform.tenant_purged', id, {
    tables: Object.keys(purged).length,
    rows: Object.values(purged).reduce((a, b) => a + b, 0),
  });
}

const iso = (d: Date | null) => d?.toISOString() ?? '—';

/** The certificate's text: ids, dates, counts and fingerprints only. */
export function certificateLines(row: EndingRow): Line[] {
  return [
    { text: 'Verklaring van verwijdering — Certificate of deletion', kind: 'title' },
    { text: `Kluis, ${iso(row.purgedAt)}`, kind: 'meta' },
    { text: 'Bedrijf / Business', kind: 'heading' },
    { text: `Id: ${row.businessId}`, kind: 'body' },
    { text: 'Data / Dates', kind: 'heading' },
    { text: `Abonnement beëindigd / Subscription ended: ${iso(row.endedAt)}`, kind: 'body' },
    { text: `Bewaartermijn / Retention: ${row.retentionDays} dagen / days`, kind: 'body' },
    { text: `Verwijderdatum / Deletion deadline: ${iso(row.deadlineAt)}`, kind: 'body' },
    { text: `Sleutels vernietigd / Keys destroyed: ${iso(row.shreddedAt)}`, kind: 'body' },
    { text: `Gegevens verwijderd / Rows purged: ${iso(row.purgedAt)}`, kind: 'body' },
    { text: 'Verwijderd / Deleted (tabel / table: rijen / rows)', kind: 'heading' },
    ...Object.entries(row.purged)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([t, n]): Line => ({ text: `${t}: ${n}`, kind: 'body' })),
    {
      text: 'Vernietigde sleutels / Destroyed keys (SHA-256 van de versleutelde sleutel / of the wrapped key)',
      kind: 'heading',
    },
    ...Object.entries(row.keyFingerprints ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, f]): Line => ({ text: `${k}: ${f}`, kind: 'body' })),
    {
      text:
        'Alle versleutelde gegevens, bestanden en back-upkopieën van dit bedrijf zijn onleesbaar; zijn rijen zijn verwijderd. ' +
        'All encrypted data, files and backup copies of this business are unreadable; its rows are deleted.',
      kind: 'body',
    },
  ];
}

async function certify(services: Services, row: EndingRow): Promise<void> {
  const at = services.clock.now();
  const pdf = renderLegalPdf('Certificate of deletion', certificateLines(row), at);
  const [key] = await loadSigningKeys(services);
  if (!key) throw new Error('no signing key');
  const signature = sign('sha256', pdf, {
    key: createPrivateKey({ key: key.privateJwk as never, format: 'jwk' }),
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url');
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await update(services, row.businessId, {
    status: 'certified',
    certifiedAt: at,
    certificatePdf: pdf,
    certificateSha256: sha256,
    certificateSignature: signature,
    certificateKeyId: key.kid,
  });
  await platformEvent(services, 'platform.deletion_certified', row.businessId, {
    sha256,
    kid: key.kid,
  });
}

async function mail(services: Services, row: EndingRow): Promise<void> {
  if (row.contactEnc && row.contactMasterKeyId && row.certificatePdf) {
    const email = services.keyring
      .openSecret(contactLabel(row.businessId), row.contactEnc, row.contactMasterKeyId)
      .toString('utf8');
    // The business's keys are gone: the mail goes out under the platform's own mail identity.
    await services.mailer.send(await platformAuditKeys(services), {
      to: [email],
      subject: 'Kluis: verklaring van verwijdering / certificate of deletion',
      text:
        `Uw gegevens bij Kluis (bedrijf ${row.businessId}) zijn verwijderd. De ondertekende verklaring zit in de bijlage.\n\n` +
        `Your data at Kluis (business ${row.businessId}) has been deleted. The signed certificate is attached.\n`,
      attachments: [
        {
          filename: `kluis-deletion-${row.businessId}.pdf`,
          contentType: 'application/pdf',
          content: row.certificatePdf,
        },
      ],
    });
  }
  await update(services, row.businessId, { status: 'deleted', contactEnc: null, contactMasterKeyId: null });
}

/** Verifies a kept certificate: its hash and its ES256 signature under the published key. */
export async function verifyCertificate(services: Services, businessId: string): Promise<boolean> {
  const row = await inSystem(services.db, (tx) => findEnding(tx, businessId));
  if (!row?.certificatePdf || !row.certificateSignature) return false;
  const key = (await loadSigningKeys(services)).find((k) => k.kid === row.certificateKeyId);
  if (!key) return false;
  if (createHash('sha256').update(row.certificatePdf).digest('hex') !== row.certificateSha256) return false;
  return verify(
    'sha256',
    row.certificatePdf,
    { key: createPublicKey({ key: key.publicJwk as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(row.certificateSignature, 'base64url'),
  );
}

/** The job: runs the remaining steps for one business whose deadline has passed. Idempotent. */
export async function deleteBusinessJob(job: JobInput, services: Services, hooks: DeletionHooks = {}) {
  const id = String(job.payload.businessId);
  const load = async () => inSystem(services.db, (tx) => findEnding(tx, id));
  let row = await load();
  if (!row || row.status === 'cancelled' || row.status === 'deleted') return;
  if (row.status === 'ending') {
    // A resumed-then-ended subscription leaves older jobs behind; only a passed deadline acts.
    if (row.deadlineAt > services.clock.now()) return;
    if (!row.keyFingerprints) {
      await capture(services, row);
      row = (await load()) as EndingRow;
    }
    await shred(services, row);
    row = (await load()) as EndingRow;
  }
  if (row.status === 'shredded') {
    await purge(services, row, hooks);
    row = (await load()) as EndingRow;
  }
  if (row.status === 'purged') {
    await certify(services, row);
    row = (await load()) as EndingRow;
  }
  if (row.status === 'certified') await mail(services, row);
}

/** Registers the deletion job on a runner. */
export function registerEndingJobs(runner: JobRunner, hooks: DeletionHooks = {}): JobRunner {
  return runner.register(DELETE_JOB, (job, services) => deleteBusinessJob(job, services, hooks));
}
