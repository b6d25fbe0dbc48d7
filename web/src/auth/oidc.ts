/**
 * A small OpenID Connect client for the embedded provider: authorization code with PKCE (S256),
 * as the public client `kluis-web`. The access token lives in memory only; the refresh token and
 * id token live in sessionStorage (this tab, gone when it closes), so a reload can refresh instead
 * of signing in again. Refresh tokens rotate on every use and a reused one revokes the whole grant,
 * so one refresh at a time: concurrent callers share the same promise.
 */

const CLIENT_ID = 'kluis-web';
const SESSION_KEY = 'kluis.session';
const PENDING_KEY = 'kluis.pending';
/** Refresh this long before the access token expires, so a request never carries a stale one. */
const EARLY_MS = 30_000;

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint: string;
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
}

interface Stored {
  refreshToken: string;
  idToken: string | undefined;
}

let discovery: Promise<Discovery> | undefined;
let access: { token: string; expiresAt: number } | undefined;
let refreshing: Promise<string | undefined> | undefined;

const redirectUri = () => `${window.location.origin}/auth/callback`;

function discover(): Promise<Discovery> {
  discovery ??= fetch('/oidc/.well-known/openid-configuration').then((r) => {
    if (!r.ok) throw new Error(`discovery failed: ${r.status}`);
    return r.json() as Promise<Discovery>;
  });
  return discovery;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 challenge of a verifier (RFC 7636 §4.2). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function readStored(): Stored | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Stored;
  } catch {
    return undefined;
  }
}

function keep(t: TokenResponse): void {
  access = { token: t.access_token, expiresAt: Date.now() + t.expires_in * 1000 };
  const previous = readStored();
  if (t.refresh_token) {
    sessionStorage.setItem(
      SESSION_KEY,
      JSON.stringify({ refreshToken: t.refresh_token, idToken: t.id_token ?? previous?.idToken }),
    );
  }
}

async function tokenRequest(form: Record<string, string>): Promise<TokenResponse> {
  const { token_endpoint } = await discover();
  const res = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...form }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
    throw new Error(
      `token request failed: ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`,
    );
  }
  return (await res.json()) as TokenResponse;
}

/** True when this tab holds a session (a refresh token), whether or not the access token is fresh. */
export function hasSession(): boolean {
  return access !== undefined || readStored() !== undefined;
}

/**
 * Sends the browser to the provider's sign-in; `returnTo` is where the app continues afterwards.
 * `business` asks for tokens of that business (`kluis_business`, ADR 0017): with a live session
 * the provider answers without a form, so this is how the app switches business.
 */
export async function signIn(
  returnTo = window.location.pathname + window.location.search,
  business?: string,
): Promise<void> {
  const { authorization_endpoint } = await discover();
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(authorization_endpoint, window.location.origin);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    ...(business ? { kluis_business: business } : {}),
  }).toString();
  window.location.assign(url.toString());
}

/** Finishes sign-in on /auth/callback: checks the state, exchanges the code; returns where to go. */
export async function completeSignIn(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = raw
    ? (JSON.parse(raw) as { verifier: string; state: string; returnTo: string })
    : undefined;
  const error = params.get('error');
  if (error) throw new Error(error);
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) throw new Error('state_mismatch');
  keep(
    await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  );
  return pending.returnTo.startsWith('/auth/') ? '/' : pending.returnTo;
}

/** Exchanges the refresh token for a new pair; undefined (and the session forgotten) when refused. */
export function refresh(): Promise<string | undefined> {
  refreshing ??= (async () => {
    const stored = readStored();
    if (!stored) return undefined;
    try {
      keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: stored.refreshToken }));
      return access?.token;
    } catch {
      forget();
      return undefined;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** A fresh access token, refreshing when it is about to expire; undefined when signed out. */
export async function accessToken(): Promise<string | undefined> {
  if (access && access.expiresAt - EARLY_MS > Date.now()) return access.token;
  return refresh();
}

function forget(): void {
  access = undefined;
  sessionStorage.removeItem(SESSION_KEY);
}

/** Signs out at the provider (which ends the session and revokes the tokens), then back to `/`. */
export async function signOut(): Promise<void> {
  const idToken = readStored()?.idToken;
  forget();
  const { end_session_endpoint } = await discover();
  const url = new URL(end_session_endpoint, window.location.origin);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    post_logout_redirect_uri: `${window.location.origin}/`,
    ...(idToken ? { id_token_hint: idToken } : {}),
  }).toString();
  window.location.assign(url.toString());
}
