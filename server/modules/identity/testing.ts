/**
 * Test helpers for identity: members without the sign-up flow, and access tokens signed with the
 * deployment's own signing key (exactly what the embedded provider would issue).
 */
import { createHash, randomBytes } from 'node:crypto';
import { importJWK, type JWTPayload, SignJWT } from 'jose';
import type { App } from '../../app.ts';
import type { Role, Services } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { embeddedIssuer } from '../../http/auth-setup.ts';
import { newId } from '../../ids.ts';
import { listOutbox, readOutbox } from '../../mail/index.ts';
import { insertMembership } from './memberships.repo.ts';
import { platformMailKeys } from './platform-mail.ts';
import { loadSigningKeys } from './signing-keys.ts';

/** The public URL tests build the app with (the default of buildApp). */
export const TEST_PUBLIC_URL = 'http://localhost:5005';

/** Adds a member with `role` to a business and returns the new user id. */
export async function addMember(services: Services, tenantId: string, role: Role): Promise<string> {
  const userId = newId(services.clock.now());
  await inTenant(services.db, tenantId, (tx) =>
    insertMembership(tx, tenantId, userId, role, services.clock.now()),
  );
  return userId;
}

/** Signs an access token with the current embedded key; `claims` and `header` override the defaults. */
export async function mintAccessToken(
  services: Services,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const [key] = await loadSigningKeys(services);
  if (!key) throw new Error('no signing key');
  const nowS = Math.floor(services.clock.now().getTime() / 1000);
  const { issuer, audience } = embeddedIssuer(TEST_PUBLIC_URL);
  return new SignJWT({
    iss: issuer,
    aud: audience,
    iat: nowS,
    exp: nowS + 600,
    client_id: 'kluis-web',
    scope: 'openid',
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header })
    .sign(await importJWK(key.privateJwk, 'ES256'));
}

/** The web app's redirect URI in tests. */
export const REDIRECT = `${TEST_PUBLIC_URL}/auth/callback`;

/** The interaction uid in a URL or page. */
export const uidOf = (url: string) => /\/auth\/interaction\/([^/?"]+)/.exec(url)?.[1] ?? '';

/** A browser in miniature: a cookie jar and the path of a redirect. */
export class Browser {
  private readonly jar = new Map<string, string>();
  private readonly app: App;

  constructor(app: App) {
    this.app = app;
  }

  /** Sends one request with the jar's cookies, and keeps the cookies it sets. */
  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const res = await this.app.inject({
      method,
      url: url.replace(/^https?:\/\/[^/]+/, ''),
      headers: {
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        'accept-language': 'nl-NL,nl;q=0.9',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = c.split(';');
      const i = pair?.indexOf('=') ?? -1;
      if (pair && i > 0) this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }

  /** Follows redirects until a page answers, or the app's callback is reached. */
  async follow(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    let res = await this.request(method, url, form);
    for (let i = 0; i < 10 && res.statusCode >= 300 && res.statusCode < 400; i++) {
      const location = String(res.headers.location);
      if (location.startsWith(REDIRECT)) return { res, callback: new URL(location) };
      res = await this.request('GET', location);
    }
    return { res, callback: undefined };
  }
}

/** A PKCE verifier and its S256 challenge. */
export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** The web app's authorization request. */
export function authorizeUrl(challenge: string, method = 'S256'): string {
  const q = new URLSearchParams({
    client_id: 'kluis-web',
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid',
    state: 'st4te',
    code_challenge: challenge,
    code_challenge_method: method,
  });
  return `/oidc/auth?${q}`;
}

/**
 * The platform mails sent to `to` (password resets, confirmations), oldest first. They are sent
 * after the page answered, so this waits up to a few seconds until `count` have arrived.
 */
export async function platformMails(
  services: Services,
  to: string,
  count = 1,
): Promise<{ subject: string; text: string }[]> {
  const keys = await platformMailKeys(services);
  let found: { subject: string; text: string; date: number }[] = [];
  for (let i = 0; i < 200; i++) {
    found = [];
    for (const m of await listOutbox(services.blobs, keys)) {
      if (!m.to.includes(to)) continue;
      const mail = await readOutbox(services.blobs, keys, m.id);
      found.push({ subject: mail.subject ?? '', text: mail.text ?? '', date: m.date?.getTime() ?? 0 });
    }
    if (found.length >= count) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return found.sort((a, b) => a.date - b.date);
}

/** The first link to `/auth/<kind>?t=<token>` in a mail text: its path and its token. */
export function linkIn(text: string, kind: 'reset' | 'confirm'): { url: string; token: string } {
  const m = new RegExp(`https?://[^/\\s]+(/auth/${kind}\\?t=([A-Za-z0-9_-]+))`).exec(text);
  if (!m?.[1] || !m[2]) throw new Error(`no ${kind} link in the mail`);
  return { url: m[1], token: m[2] };
}

/** Signs up through the page and confirms the address from the mail, as a person would. */
export async function signUpAndConfirm(
  browser: Browser,
  services: Services,
  uid: string,
  input: { email: string; password: string; businessName: string; lang?: 'nl' | 'en' },
): Promise<void> {
  const lang = input.lang ?? 'nl';
  const sent = await browser.request('POST', `/auth/interaction/${uid}/signup`, { ...input, lang });
  if (sent.statusCode !== 200) throw new Error(`sign-up answered ${sent.statusCode}: ${sent.body}`);
  const [mail] = await platformMails(services, input.email);
  if (!mail) throw new Error('no confirmation mail');
  const { token } = linkIn(mail.text, 'confirm');
  const done = await browser.request('POST', '/auth/confirm', { t: token, password: input.password, lang });
  if (done.statusCode !== 200) throw new Error(`confirmation answered ${done.statusCode}`);
}
