/**
 * Signing up and signing in. Sign-up creates the person, their business and their owner
 * membership. Sign-in never tells whether an account exists: unknown addresses cost one argon2
 * verification against a dummy hash, answer the same error, and count against the same limits.
 * Each sign-in, good or bad, of a known person is recorded in every business they belong to.
 */
import { AppError, type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { validateEmail } from '../../../domain/identifiers.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { AuditAction } from '../../audit/catalogue.ts';
import type { Actor } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { recordSignUpAcceptance } from '../legal/index.ts';
import { createTenant } from '../tenants/tenants.service.ts';
import {
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyPasswordOrDummy,
} from './factors/passwords.ts';
import { insertMembership, listMembershipsOfUser } from './memberships.repo.ts';
import type { IdentityRuntime } from './runtime.ts';
import { emailIndex, findUserByEmail, findUserById, insertUser, updatePasswordHash } from './users.repo.ts';

/** Where a request came from, for the audit trail and the limits. */
export interface RequestMeta {
  ip: string;
  requestId: string | null;
}

/** What a person fills in to sign up. */
export interface SignUpInput {
  email: string;
  password: string;
  businessName: string;
  locale: 'nl' | 'en';
}

/** Checks what a person filled in to sign up; throws every problem at once. Returns the address. */
export function validateSignUp(input: SignUpInput): { email: string; businessName: string } {
  const issues: FieldIssue[] = [];
  const email = validateEmail(input.email);
  if (!email.ok) issues.push({ path: 'email', code: email.code, message: 'Not an e-mail address' });
  const businessName = input.businessName.trim();
  if (businessName.length < 1 || businessName.length > 200) {
    issues.push({ path: 'businessName', code: 'name_length', message: 'A name has 1 to 200 characters' });
  }
  const policy = checkPasswordPolicy(input.password, { email: input.email, businessName }, input.locale);
  if (!policy.ok) issues.push({ path: 'password', code: policy.code, message: policy.message });
  if (issues.length > 0 || !email.ok) throw invalidInput(issues);
  return { email: email.value, businessName };
}

/**
 * Creates a person, their business and their owner membership; returns both ids. A `pending`
 * person cannot sign in until they confirm their address (the sign-up page's path); the default
 * is an active account (tests and tools).
 */
export async function signUp(
  rt: IdentityRuntime,
  input: SignUpInput,
  meta: RequestMeta,
  status: 'active' | 'pending' = 'active',
): Promise<{ userId: string; tenantId: string }> {
  const { email: address, businessName } = validateSignUp(input);
  const email = { value: address };

  const { services } = rt;
  const keys = await rt.userKeys();
  const at = services.clock.now();
  const userId = newId(at);
  const passwordHash = await hashPassword(input.password);
  await inSystem(services.db, async (tx) => {
    if (await findUserByEmail(tx, keys, email.value)) {
      throw new AppError('conflict', 'email_taken', 'An account with this e-mail address exists; sign in');
    }
    await insertUser(tx, keys, {
      id: userId,
      kind: 'user',
      email: email.value,
      passwordHash,
      locale: input.locale,
      at,
      status,
    });
  });
  const actor: Actor = { type: 'user', id: userId };
  const { id: tenantId } = await createTenant(services, actor, { name: businessName });
  await inTenant(services.db, tenantId, async (tx) => {
    const tenantKeys = await services.keyring.forTenant(tx, tenantId);
    await insertMembership(tx, tenantId, userId, 'owner', at);
    for (const action of ['user.signed_up', 'membership.created'] as const) {
      await appendAudit(tx, tenantKeys, {
        action,
        actor,
        target: { type: 'user', id: userId },
        requestId: meta.requestId,
        ip: meta.ip,
        data: action === 'membership.created' ? { role: 'owner' } : {},
        at,
      });
    }
    // Signing up accepts the agreement (terms and processing agreement): recorded with the business.
    await recordSignUpAcceptance(tx, tenantKeys, { actor, ip: meta.ip, requestId: meta.requestId, at });
  });
  return { userId, tenantId };
}

/** Records a sign-in event in every business of the person. */
export async function recordInEachBusiness(
  rt: IdentityRuntime,
  userId: string,
  action: AuditAction,
  meta: RequestMeta,
  data: Record<string, string> = {},
): Promise<void> {
  const { services } = rt;
  const list = await inSystem(services.db, (tx) => listMembershipsOfUser(tx, userId));
  for (const m of list) {
    await inTenant(services.db, m.tenantId, async (tx) =>
      appendAudit(tx, await services.keyring.forTenant(tx, m.tenantId), {
        action,
        actor: { type: 'user', id: userId },
        target: { type: 'user', id: userId },
        requestId: meta.requestId,
        ip: meta.ip,
        data,
        at: services.clock.now(),
      }),
    ).catch(() => undefined); // a shredded business keeps no new events
  }
}

const badCredentials = () =>
  new AppError('unauthenticated', 'invalid_credentials', 'The e-mail address or password is wrong');

/** Checks an e-mail address and password; returns the person, or throws 401 / 429 without saying which part was wrong. */
export async function signIn(
  rt: IdentityRuntime,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<{ userId: string; kind: 'user' | 'operator' }> {
  const keys = await rt.userKeys();
  const accountKey = emailIndex(keys, input.email).toString('hex');
  const wait = await rt.limiter.retryAfter(accountKey, meta.ip);
  if (wait > 0) {
    throw new AppError('rate_limited', 'too_many_attempts', `Too many attempts; try again in ${wait} s`);
  }
  const user = await inSystem(rt.services.db, (tx) => findUserByEmail(tx, keys, input.email));
  const usable = user && user.status === 'active' ? (user.passwordHash ?? undefined) : undefined;
  const ok = input.password.length <= 1024 && (await verifyPasswordOrDummy(usable, input.password));
  if (!ok || !user) {
    await rt.limiter.fail(accountKey, meta.ip);
    if (user) await recordInEachBusiness(rt, user.id, 'user.sign_in_failed', meta, { reason: 'password' });
    throw badCredentials();
  }
  await rt.limiter.succeed(accountKey);
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    const fresh = await hashPassword(input.password);
    await inSystem(rt.services.db, (tx) => updatePasswordHash(tx, user.id, fresh));
  }
  return { userId: user.id, kind: user.kind };
}

/** Changes a person's password after checking the current one; audited in each of their businesses. */
export async function changePassword(
  rt: IdentityRuntime,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const keys = await rt.userKeys();
  const user = await inSystem(rt.services.db, (tx) => findUserById(tx, keys, userId));
  if (!user) throw new AppError('not_found', 'user_not_found', 'No such user');
  // A stolen access token must not become a way to guess the password: same limits as sign-in.
  const limitKey = `pw:${userId}`;
  const wait = await rt.limiter.retryAfter(limitKey, meta.ip);
  if (wait > 0)
    throw new AppError('rate_limited', 'too_many_attempts', `Too many attempts; try again in ${wait} s`);
  const ok = await verifyPasswordOrDummy(user.passwordHash ?? undefined, input.currentPassword);
  if (!ok) {
    await rt.limiter.fail(limitKey, meta.ip);
    throw new AppError('unauthenticated', 'invalid_credentials', 'The current password is wrong');
  }
  const policy = checkPasswordPolicy(input.newPassword, { email: user.email }, user.locale);
  if (!policy.ok) throw invalidInput([{ path: 'newPassword', code: policy.code, message: policy.message }]);
  const fresh = await hashPassword(input.newPassword);
  await inSystem(rt.services.db, (tx) => updatePasswordHash(tx, userId, fresh));
  await recordInEachBusiness(rt, userId, 'user.password_changed', meta);
}
