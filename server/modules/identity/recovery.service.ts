/**
 * Proving one reads an address's mail (Identity points 2, 4, 5): password reset and sign-up
 * confirmation. Both answer the same whether or not an account exists, and the work that differs
 * (looking the person up, writing the link, the mail) runs after the answer was sent, so neither
 * the page nor its timing tells. Links carry a random token of which only the SHA-256 is stored;
 * each is single-use and short-lived (clock injected). Setting a new password revokes every
 * session and token of the person.
 */
import { randomBytes } from 'node:crypto';
import { AppError, invalidInput } from '../../../domain/errors.ts';
import { validateEmail } from '../../../domain/identifiers.ts';
import { inSystem } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import {
  type RequestMeta,
  recordInEachBusiness,
  type SignUpInput,
  signUp,
  validateSignUp,
} from './accounts.service.ts';
import { checkPasswordPolicy, hashPassword, verifyPasswordOrDummy } from './factors/passwords.ts';
import { revokeAccountState } from './oidc-adapter.ts';
import {
  consumeResetLink,
  countResetLinksSince,
  findUsableResetLink,
  insertResetLink,
} from './password-resets.repo.ts';
import { sendPlatformMail } from './platform-mail.ts';
import type { IdentityRuntime } from './runtime.ts';
import { activateUser, findUserByEmail, findUserById, updatePasswordHash } from './users.repo.ts';

/** How long a password-reset link works. */
export const RESET_MINUTES = 60;
/** How long a sign-up confirmation link works. */
export const CONFIRM_HOURS = 24;
/** At most this many links per person per hour: more requests send no more mail. */
const LINKS_PER_HOUR = 3;

type Lang = 'nl' | 'en';

const MAIL = {
  reset: {
    nl: (link: string) => ({
      subject: 'Nieuw wachtwoord voor Kluis',
      text: `Iemand (hopelijk jij) vroeg om een nieuw wachtwoord voor je Kluis-account.\n\nKies een nieuw wachtwoord via deze link; hij werkt ${RESET_MINUTES} minuten en één keer:\n${link}\n\nVroeg je dit niet? Dan hoef je niets te doen; je wachtwoord blijft hetzelfde.\n`,
    }),
    en: (link: string) => ({
      subject: 'New password for Kluis',
      text: `Someone (hopefully you) asked for a new password for your Kluis account.\n\nChoose a new password with this link; it works for ${RESET_MINUTES} minutes, once:\n${link}\n\nDid not ask for this? Then there is nothing to do; your password stays the same.\n`,
    }),
  },
  confirm: {
    nl: (link: string) => ({
      subject: 'Bevestig je e-mailadres voor Kluis',
      text: `Welkom bij Kluis. Bevestig je e-mailadres via deze link (hij werkt ${CONFIRM_HOURS} uur):\n${link}\n\nDaarna kun je inloggen. Maakte jij geen account aan? Negeer deze mail dan.\n`,
    }),
    en: (link: string) => ({
      subject: 'Confirm your e-mail address for Kluis',
      text: `Welcome to Kluis. Confirm your e-mail address with this link (it works for ${CONFIRM_HOURS} hours):\n${link}\n\nThen you can sign in. Did you not create an account? Then ignore this mail.\n`,
    }),
  },
  repeated: {
    nl: (link: string) => ({
      subject: 'Iemand probeerde een Kluis-account aan te maken met jouw adres',
      text: `Iemand probeerde een nieuw Kluis-account aan te maken met dit e-mailadres, maar je hebt er al een. Er is niets veranderd.\n\nWas jij dat? Log dan in met je bestaande account, of kies een nieuw wachtwoord via:\n${link}\n`,
    }),
    en: (link: string) => ({
      subject: 'Someone tried to create a Kluis account with your address',
      text: `Someone tried to create a new Kluis account with this e-mail address, but you already have one. Nothing has changed.\n\nWas that you? Then sign in with your existing account, or choose a new password at:\n${link}\n`,
    }),
  },
} as const;

/** Makes a link for a person unless they already received LINKS_PER_HOUR in the last hour. */
async function makeLink(
  rt: IdentityRuntime,
  userId: string,
  path: 'reset' | 'confirm',
  lifetimeMs: number,
): Promise<string | undefined> {
  const { db, clock } = rt.services;
  const at = clock.now();
  const token = randomBytes(32).toString('base64url');
  const made = await inSystem(db, async (tx) => {
    if ((await countResetLinksSince(tx, userId, new Date(at.getTime() - 3_600_000))) >= LINKS_PER_HOUR) {
      return false;
    }
    await insertResetLink(tx, {
      id: newId(at),
      userId,
      token,
      at,
      expiresAt: new Date(at.getTime() + lifetimeMs),
    });
    return true;
  });
  return made ? `${rt.publicUrl}/auth/${path}?t=${token}` : undefined;
}

/** Checks the address's shape only; the answer to a well-formed address never depends on the account. */
export function validateResetRequest(email: string): string {
  const v = validateEmail(email);
  if (!v.ok) throw invalidInput([{ path: 'email', code: v.code, message: 'Not an e-mail address' }]);
  return v.value;
}

/**
 * Mails a reset link when the address has an account; does nothing otherwise. Runs after the
 * answer was sent (see the module comment).
 */
export async function requestPasswordReset(
  rt: IdentityRuntime,
  email: string,
  meta: RequestMeta,
): Promise<void> {
  const keys = await rt.userKeys();
  const user = await inSystem(rt.services.db, (tx) => findUserByEmail(tx, keys, email));
  if (!user || (user.status !== 'active' && user.status !== 'pending')) return;
  const link = await makeLink(rt, user.id, 'reset', RESET_MINUTES * 60_000);
  if (!link) return;
  await recordInEachBusiness(rt, user.id, 'user.password_reset_requested', meta);
  await sendPlatformMail(rt.services, { to: [user.email], ...MAIL.reset[user.locale](link) });
}

/** True when a reset or confirmation link can still be used (the page shows the form, or says it expired). */
export async function isLinkUsable(rt: IdentityRuntime, token: string): Promise<boolean> {
  const now = rt.services.clock.now();
  return (await inSystem(rt.services.db, (tx) => findUsableResetLink(tx, token, now))) !== undefined;
}

const linkGone = () => new AppError('not_found', 'link_expired', 'This link has expired or was already used');

/**
 * Sets a new password through a reset link: the same rules as sign-up, the link used up in the
 * same transaction, then every session, refresh token and access token of the person revoked.
 */
export async function resetPassword(
  rt: IdentityRuntime,
  input: { token: string; password: string; lang: Lang },
  meta: RequestMeta,
): Promise<void> {
  const { db, clock } = rt.services;
  const keys = await rt.userKeys();
  const link = await inSystem(db, (tx) => findUsableResetLink(tx, input.token, clock.now()));
  const user = link ? await inSystem(db, (tx) => findUserById(tx, keys, link.userId)) : undefined;
  if (!user || (user.status !== 'active' && user.status !== 'pending')) throw linkGone();
  const policy = checkPasswordPolicy(input.password, { email: user.email }, input.lang);
  if (!policy.ok) throw invalidInput([{ path: 'password', code: policy.code, message: policy.message }]);
  const hash = await hashPassword(input.password);
  await inSystem(db, async (tx) => {
    if ((await consumeResetLink(tx, input.token, clock.now())) !== user.id) throw linkGone();
    await updatePasswordHash(tx, user.id, hash);
    // Reading the mail of the address is what confirmation proves too.
    if (user.status === 'pending') await activateUser(tx, user.id);
  });
  const revoked = await revokeAccountState(rt.services, user.id);
  await recordInEachBusiness(rt, user.id, 'user.password_reset', meta);
  await recordInEachBusiness(rt, user.id, 'user.tokens_revoked', meta, { grants: String(revoked) });
}

/**
 * The sign-up page's path: for a new address, creates the pending account and business and mails
 * a confirmation link; for an address with an account, mails its owner instead and changes
 * nothing. Validation (input only) happens before; this runs after the answer was sent.
 */
export async function requestSignUp(
  rt: IdentityRuntime,
  input: SignUpInput,
  meta: RequestMeta,
): Promise<void> {
  const keys = await rt.userKeys();
  const { email } = validateSignUp(input);
  const existing = await inSystem(rt.services.db, (tx) => findUserByEmail(tx, keys, email));
  if (existing?.status === 'pending') {
    // Whoever signs up last chooses the password; only the reader of the mailbox, who must type
    // that password to confirm, makes the account usable (no pre-registration of another's address).
    const hash = await hashPassword(input.password);
    await inSystem(rt.services.db, (tx) => updatePasswordHash(tx, existing.id, hash));
    const link = await makeLink(rt, existing.id, 'confirm', CONFIRM_HOURS * 3_600_000);
    if (link)
      await sendPlatformMail(rt.services, { to: [existing.email], ...MAIL.confirm[existing.locale](link) });
    return;
  }
  if (existing) {
    await recordInEachBusiness(rt, existing.id, 'user.sign_up_repeated', meta);
    const link = await makeLink(rt, existing.id, 'reset', RESET_MINUTES * 60_000);
    if (link)
      await sendPlatformMail(rt.services, { to: [existing.email], ...MAIL.repeated[existing.locale](link) });
    return;
  }
  let userId: string;
  try {
    ({ userId } = await signUp(rt, input, meta, 'pending'));
  } catch (e) {
    // Two sign-ups for one new address at once: the other one won; this one does nothing.
    if (e instanceof AppError && e.code === 'email_taken') return;
    throw e;
  }
  const link = await makeLink(rt, userId, 'confirm', CONFIRM_HOURS * 3_600_000);
  if (link) await sendPlatformMail(rt.services, { to: [email], ...MAIL.confirm[input.locale](link) });
}

/**
 * Confirms a sign-up address through its link and the password chosen at sign-up: the account
 * becomes active and can sign in. Asking for the password means a link mailed to someone whose
 * address another person signed up with cannot hand that other person an account.
 */
export async function confirmAddress(
  rt: IdentityRuntime,
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const { db, clock } = rt.services;
  const keys = await rt.userKeys();
  const link = await inSystem(db, (tx) => findUsableResetLink(tx, input.token, clock.now()));
  const user = link ? await inSystem(db, (tx) => findUserById(tx, keys, link.userId)) : undefined;
  if (!user) throw linkGone();
  const limitKey = `confirm:${user.id}`;
  const wait = await rt.limiter.retryAfter(limitKey, meta.ip);
  if (wait > 0)
    throw new AppError('rate_limited', 'too_many_attempts', `Too many attempts; try again in ${wait} s`);
  if (!(await verifyPasswordOrDummy(user.passwordHash ?? undefined, input.password.slice(0, 1024)))) {
    await rt.limiter.fail(limitKey, meta.ip);
    throw new AppError('unauthenticated', 'invalid_credentials', 'The password is wrong');
  }
  const userId = await inSystem(db, async (tx) => {
    const id = await consumeResetLink(tx, input.token, clock.now());
    if (id) await activateUser(tx, id);
    return id;
  });
  if (userId !== user.id) throw linkGone();
  await recordInEachBusiness(rt, userId, 'user.address_confirmed', meta);
}
