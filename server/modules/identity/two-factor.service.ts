/**
 * Second factors (Identity points 6 and 12), built on the factors library: TOTP with replay
 * refusal, one-time recovery codes stored as keyed hashes, and a business setting by which the
 * owner requires a second factor of every member. Enrolment and removal are recorded in every
 * business the person belongs to.
 */
import { AppError } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { type RequestMeta, recordInEachBusiness } from './accounts.service.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';
import { consumeRecoveryCode, generateRecoveryCodes } from './factors/recovery-codes.ts';
import { createTotpSecret, totpUri, verifyTotp } from './factors/totp.ts';
import { hasPasskey } from './passkeys.service.ts';
import type { IdentityRuntime } from './runtime.ts';
import {
  deleteSecondFactors,
  findRecoveryHashesForUpdate,
  findTotpForUpdate,
  hasConfirmedTotp,
  isTwoFactorRequired,
  markTotpUsed,
  saveRecoveryHashes,
  setTwoFactorRequired,
  upsertPendingTotp,
} from './two-factor.repo.ts';
import { findUserById } from './users.repo.ts';

const wrongCode = () => new AppError('unauthenticated', 'second_factor_invalid', 'The code is not valid');
const recoveryKey = (rt: IdentityRuntime) => getDeploymentSecret(rt.services, 'recovery-code-key');

/** Starts TOTP enrolment: a new secret and its otpauth URI, active once a code confirms it. */
export async function startTotpEnrolment(
  rt: IdentityRuntime,
  userId: string,
): Promise<{ secret: string; uri: string }> {
  const keys = await rt.userKeys();
  return inSystem(rt.services.db, async (tx) => {
    const user = await findUserById(tx, keys, userId);
    if (!user) throw new AppError('not_found', 'user_not_found', 'No such user');
    if (await hasConfirmedTotp(tx, userId)) {
      throw new AppError('conflict', 'two_factor_already_enabled', 'Remove the current second factor first');
    }
    const secret = createTotpSecret();
    await upsertPendingTotp(tx, keys, userId, secret, rt.services.clock.now());
    return { secret, uri: totpUri(secret, { issuer: 'Kluis', account: user.email }) };
  });
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
export async function confirmTotpEnrolment(
  rt: IdentityRuntime,
  userId: string,
  code: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[] }> {
  const keys = await rt.userKeys();
  const key = await recoveryKey(rt);
  const now = rt.services.clock.now();
  const codes = await inSystem(rt.services.db, async (tx) => {
    const totp = await findTotpForUpdate(tx, keys, userId);
    if (!totp || totp.isConfirmed)
      throw new AppError('conflict', 'no_pending_enrolment', 'Start enrolment first');
    const step = verifyTotp(totp.secret, code, now, totp.lastUsedStep ?? undefined);
    if (step === undefined) throw wrongCode();
    await markTotpUsed(tx, userId, step, now);
    const set = generateRecoveryCodes(key);
    await saveRecoveryHashes(tx, userId, set.hashes, now);
    return set.codes;
  });
  await recordInEachBusiness(rt, userId, 'user.two_factor_enrolled', meta, { factor: 'totp' });
  return { recoveryCodes: codes };
}

/** True when the person has a confirmed second factor. */
export async function hasSecondFactor(rt: IdentityRuntime, userId: string): Promise<boolean> {
  return (
    (await inSystem(rt.services.db, (tx) => hasConfirmedTotp(tx, userId))) || (await hasPasskey(rt, userId))
  );
}

/** Checks a TOTP code or, failing that, a recovery code (which is then used up). Throws when neither fits. */
export async function verifySecondFactor(
  rt: IdentityRuntime,
  userId: string,
  code: string,
  meta: RequestMeta,
): Promise<void> {
  // Six digits are guessable without a limit: the same per-account and per-address budget as passwords.
  const limitKey = `2fa:${userId}`;
  const wait = await rt.limiter.retryAfter(limitKey, meta.ip);
  if (wait > 0)
    throw new AppError('rate_limited', 'too_many_attempts', `Too many attempts; try again in ${wait} s`);
  const keys = await rt.userKeys();
  const key = await recoveryKey(rt);
  const now = rt.services.clock.now();
  const used = await inSystem(rt.services.db, async (tx) => {
    const totp = await findTotpForUpdate(tx, keys, userId);
    if (!totp?.isConfirmed) return undefined;
    const step = verifyTotp(totp.secret, code, now, totp.lastUsedStep ?? undefined);
    if (step !== undefined) {
      await markTotpUsed(tx, userId, step, now);
      return 'totp' as const;
    }
    const hashes = await findRecoveryHashesForUpdate(tx, userId);
    const index = consumeRecoveryCode(key, hashes, code);
    if (index === undefined) return undefined;
    hashes[index] = null;
    await saveRecoveryHashes(tx, userId, hashes, now);
    return 'recovery' as const;
  });
  if (!used) {
    await rt.limiter.fail(limitKey, meta.ip);
    await recordInEachBusiness(rt, userId, 'user.sign_in_failed', meta, { reason: 'second_factor' });
    throw wrongCode();
  }
  await rt.limiter.succeed(limitKey);
  if (used === 'recovery') await recordInEachBusiness(rt, userId, 'user.recovery_code_used', meta);
}

/** Removes the second factor after checking a current code. */
export async function removeSecondFactor(
  rt: IdentityRuntime,
  userId: string,
  code: string,
  meta: RequestMeta,
): Promise<void> {
  await verifySecondFactor(rt, userId, code, meta);
  await inSystem(rt.services.db, (tx) => deleteSecondFactors(tx, userId));
  await recordInEachBusiness(rt, userId, 'user.two_factor_removed', meta, { factor: 'totp' });
}

/** The owner requires (or stops requiring) a second factor of every member. */
/** Whether the business requires a second factor of every member; for its owners and admins. */
export async function getTwoFactorRequirement(ctx: Ctx): Promise<boolean> {
  const role = ctx.access?.role;
  if (ctx.actor.type !== 'user' || (role !== 'owner' && role !== 'admin')) {
    throw new AppError('forbidden', 'owner_or_admin_only', 'Only the owner or an admin can see this');
  }
  return inTenant(ctx.services.db, ctx.tenantId, (tx) => isTwoFactorRequired(tx, ctx.tenantId));
}

export async function setTwoFactorRequirement(ctx: Ctx, required: boolean): Promise<void> {
  if (ctx.actor.type !== 'user' || ctx.access?.role !== 'owner') {
    throw new AppError('forbidden', 'owner_only', 'Only the owner can change this');
  }
  const { db, keyring, clock } = ctx.services;
  await inTenant(db, ctx.tenantId, async (tx) => {
    const at = clock.now();
    await setTwoFactorRequired(tx, ctx.tenantId, required, at);
    await appendAudit(tx, await keyring.forTenant(tx, ctx.tenantId), {
      action: 'business.two_factor_requirement_changed',
      actor: ctx.actor,
      target: { type: 'tenant', id: ctx.tenantId },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { required },
      at,
    });
  });
}
