/**
 * The invitation link's page (Identity point 2): the invited person opens the link, signs in with
 * their account or creates one for the invited address, and joins with the invited role. The
 * link's token came to the invited mailbox, so its holder may learn whether that address has an
 * account (the page shows the right form) and a new account for it needs no further confirmation.
 * Signing in here asks the same factors as the sign-in page: the password, and the TOTP or
 * recovery code of anyone who has one.
 */
import { and, eq } from 'drizzle-orm';
import { AppError, invalidInput } from '../../../domain/errors.ts';
import type { Role } from '../../context.ts';
import { decryptField } from '../../crypto/envelope.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { type RequestMeta, recordInEachBusiness, signIn } from './accounts.service.ts';
import { checkPasswordPolicy, hashPassword } from './factors/passwords.ts';
import { invitations } from './identity.tables.ts';
import { acceptInvitation, hashInvitationToken } from './invitations.service.ts';
import type { IdentityRuntime } from './runtime.ts';
import { hasSecondFactor, verifySecondFactor } from './two-factor.service.ts';
import { findUserByEmail, insertUser } from './users.repo.ts';

/** Why an invitation link no longer works. */
export type InvitationGone = 'unknown' | 'used' | 'expired';

/** What the page shows for a usable invitation. */
export interface InvitationView {
  email: string;
  role: Role;
  /** The invited address has an account: the page asks to sign in, else to choose a password. */
  hasAccount: boolean;
  /** That account has a second factor: the page asks for its code too. */
  needsCode: boolean;
}

/** Reads an invitation by its link token: what the page shows, or why it is gone. */
export async function describeInvitation(
  rt: IdentityRuntime,
  token: string,
): Promise<{ ok: true; view: InvitationView } | { ok: false; reason: InvitationGone }> {
  const { db, keyring, clock } = rt.services;
  const [found] = await inSystem(db, (tx) =>
    queryRows<{ tenant_id: string; id: string }>(
      tx,
      sql`SELECT tenant_id, id FROM kluis_invitation_by_token(${hashInvitationToken(token)})`,
    ),
  );
  if (!found) return { ok: false, reason: 'unknown' };
  const row = await inTenant(db, found.tenant_id, async (tx) => {
    const keys = await keyring.forTenant(tx, found.tenant_id);
    const [r] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, found.tenant_id), eq(invitations.id, found.id)));
    if (!r) return undefined;
    const place = { tenantId: found.tenant_id, table: 'invitations', column: 'email_enc', rowId: r.id };
    return { ...r, email: decryptField(keys.data, place, r.emailEnc) };
  }).catch(() => undefined); // a shredded business has no invitations any more
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.acceptedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= clock.now()) return { ok: false, reason: 'expired' };
  const userKeys = await rt.userKeys();
  const user = await inSystem(db, (tx) => findUserByEmail(tx, userKeys, row.email));
  const hasAccount = user !== undefined && user.status !== 'pending';
  return {
    ok: true,
    view: {
      email: row.email,
      role: row.role as Role,
      hasAccount,
      needsCode: hasAccount && user ? await hasSecondFactor(rt, user.id) : false,
    },
  };
}

/**
 * Signs in as the invited address (or creates its account) and accepts the invitation. Throws
 * `invitation_gone` when the link no longer works, and the sign-in errors otherwise.
 */
export async function acceptInvitationOnPage(
  rt: IdentityRuntime,
  input: { token: string; password: string; code: string; lang: 'nl' | 'en' },
  meta: RequestMeta,
): Promise<{ businessId: string; role: Role }> {
  const described = await describeInvitation(rt, input.token);
  if (!described.ok) throw new AppError('not_found', 'invitation_gone', 'This invitation no longer works');
  const { view } = described;
  const keys = await rt.userKeys();
  let userId: string;
  if (view.hasAccount) {
    const who = await signIn(rt, { email: view.email, password: input.password }, meta);
    if (who.kind === 'operator') {
      throw new AppError('forbidden', 'users_only', 'Operator accounts do not join businesses');
    }
    if (await hasSecondFactor(rt, who.userId)) {
      if (!input.code)
        throw new AppError('forbidden', 'second_factor_required', 'A second factor is required');
      await verifySecondFactor(rt, who.userId, input.code, meta);
    }
    await recordInEachBusiness(rt, who.userId, 'user.signed_in', meta, { via: 'invitation' });
    userId = who.userId;
  } else {
    const policy = checkPasswordPolicy(input.password, { email: view.email }, input.lang);
    if (!policy.ok) throw invalidInput([{ path: 'password', code: policy.code, message: policy.message }]);
    const passwordHash = await hashPassword(input.password);
    const at = rt.services.clock.now();
    userId = newId(at);
    await inSystem(rt.services.db, async (tx) => {
      const existing = await findUserByEmail(tx, keys, view.email);
      if (existing) {
        // A pending sign-up of the same address: the invitation link proves the mailbox, so
        // that account is not reused with a password someone else may have chosen.
        throw new AppError('conflict', 'email_taken', 'An account for this address is being created');
      }
      await insertUser(tx, keys, {
        id: userId,
        kind: 'user',
        email: view.email,
        passwordHash,
        locale: input.lang,
        at,
      });
    });
  }
  return acceptInvitation(rt, userId, input.token, meta);
}
