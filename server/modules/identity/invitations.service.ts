/**
 * Inviting people by e-mail (Identity point 2). Owners and admins invite an address with a role;
 * the mail carries a link with a random token, of which only the SHA-256 is stored. The invited
 * person accepts while signed in, and only when their account's address is the invited one.
 * Every way an invitation can fail to apply (unknown, used, expired, another address) answers the
 * same 404. The mail is sent after the invitation committed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError, invalidInput, notFound } from '../../../domain/errors.ts';
import { validateEmail } from '../../../domain/identifiers.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx, Role } from '../../context.ts';
import { normalise } from '../../crypto/blind-index.ts';
import { decryptField, encryptField } from '../../crypto/envelope.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import type { RequestMeta } from './accounts.service.ts';
import { invitations } from './identity.tables.ts';
import { findRole, insertMembership } from './memberships.repo.ts';
import { canAssignRole } from './policy.ts';
import type { IdentityRuntime } from './runtime.ts';
import { findUserById } from './users.repo.ts';

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

/** The stored form of an invitation link's token. */
export const hashInvitationToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();
const hashToken = hashInvitationToken;
const place = (tenantId: string, id: string) => ({
  tenantId,
  table: 'invitations',
  column: 'email_enc',
  rowId: id,
});

/** Invites an address into the caller's business with a role, and mails the link. */
export async function inviteMember(
  rt: IdentityRuntime,
  ctx: Ctx,
  input: { email: string; role: Role },
): Promise<{ id: string; expiresAt: string }> {
  if (!canAssignRole(ctx, 'viewer', input.role)) {
    throw new AppError('forbidden', 'not_allowed', 'You may not invite people with this role');
  }
  const email = validateEmail(input.email);
  if (!email.ok) throw invalidInput([{ path: 'email', code: email.code, message: 'Not an e-mail address' }]);
  const { db, keyring, clock, mailer } = ctx.services;
  const token = randomBytes(32).toString('base64url');
  const at = clock.now();
  const id = newId(at);
  const expiresAt = new Date(at.getTime() + INVITATION_DAYS * 86_400_000);
  const keys = await inTenant(db, ctx.tenantId, async (tx) => {
    const tenantKeys = await keyring.forTenant(tx, ctx.tenantId);
    await tx.insert(invitations).values({
      tenantId: ctx.tenantId,
      id,
      emailEnc: encryptField(tenantKeys.data, place(ctx.tenantId, id), email.value),
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: ctx.actor.id,
      createdAt: at,
      expiresAt,
    });
    await appendAudit(tx, tenantKeys, {
      action: 'invitation.sent',
      actor: ctx.actor,
      target: { type: 'invitation', id },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { role: input.role },
      at,
    });
    return tenantKeys;
  });
  // In the query string: the request log never records it (ADR 0017).
  const link = `${rt.publicUrl}/auth/invitation?t=${token}`;
  await mailer.send(keys, {
    to: [email.value],
    subject: 'Uitnodiging voor Kluis / Invitation to Kluis',
    text:
      `Je bent uitgenodigd om mee te werken in Kluis. Open deze link om in te loggen of een account aan te maken:\n${link}\n\n` +
      `You have been invited to work in Kluis. Open this link to sign in or create an account:\n${link}\n\n` +
      `Deze link werkt ${INVITATION_DAYS} dagen. / This link works for ${INVITATION_DAYS} days.\n`,
  });
  return { id, expiresAt: expiresAt.toISOString() };
}

/** Accepts an invitation for the signed-in person; returns the business and role joined. */
export async function acceptInvitation(
  rt: IdentityRuntime,
  userId: string,
  token: string,
  meta: RequestMeta,
): Promise<{ businessId: string; role: Role }> {
  const keys = await rt.userKeys();
  const user = await inSystem(rt.services.db, (tx) => findUserById(tx, keys, userId));
  const [found] = await inSystem(rt.services.db, (tx) =>
    queryRows<{ tenant_id: string; id: string }>(
      tx,
      sql`SELECT tenant_id, id FROM kluis_invitation_by_token(${hashToken(token)})`,
    ),
  );
  if (!user || !found) throw notFound('invitation');
  const { db, keyring, clock } = rt.services;
  return inTenant(db, found.tenant_id, async (tx) => {
    const tenantKeys = await keyring.forTenant(tx, found.tenant_id);
    const [row] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, found.tenant_id), eq(invitations.id, found.id)))
      .for('update');
    const at = clock.now();
    if (!row || row.acceptedAt || row.expiresAt <= at) throw notFound('invitation');
    const invited = decryptField(tenantKeys.data, place(found.tenant_id, row.id), row.emailEnc);
    if (normalise.text(invited) !== normalise.text(user.email)) throw notFound('invitation');
    const role = row.role as Role;
    if (!(await findRole(tx, found.tenant_id, userId))) {
      await insertMembership(tx, found.tenant_id, userId, role, at);
    }
    await tx
      .update(invitations)
      .set({ acceptedAt: at })
      .where(and(eq(invitations.tenantId, found.tenant_id), eq(invitations.id, row.id)));
    await appendAudit(tx, tenantKeys, {
      action: 'membership.created',
      actor: { type: 'user', id: userId },
      target: { type: 'user', id: userId },
      requestId: meta.requestId,
      ip: meta.ip,
      data: { role, invitation: row.id },
      at,
    });
    return { businessId: found.tenant_id, role };
  });
}
