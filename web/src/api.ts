/**
 * Calls to the Kluis API with the signed-in person's access token. A 401 gets one refresh and one
 * retry; if that fails too, the person signs in again. Errors keep the API's stable code and
 * per-field issues, so screens can show them next to the right field.
 */
import { accessToken, refresh, signIn } from './auth/oidc.ts';

/** A field problem as the API reports it. */
export interface Issue {
  path: string;
  code: string;
  message: string;
}

/** An API error: the HTTP status, the stable code and any field issues. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly Issue[];
  constructor(status: number, code: string, message: string, issues: readonly Issue[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** A body sent as it is (a CSV file, say) under its own content type, instead of as JSON. */
class RawBody {
  readonly raw: string;
  readonly type: string;
  constructor(raw: string, type: string) {
    this.raw = raw;
    this.type = type;
  }
}

async function send(method: string, path: string, body: unknown, token: string | undefined) {
  const raw = body instanceof RawBody ? body : undefined;
  return fetch(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': raw ? raw.type : 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: raw ? raw.raw : JSON.stringify(body) } : {}),
  });
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  let res = await send(method, path, body, await accessToken());
  // Only a refused token is worth a refresh; a 401 for a wrong second-factor code is an answer.
  if (res.status === 401 && res.headers.has('www-authenticate')) {
    const token = await refresh();
    if (!token) {
      await signIn();
      throw new ApiError(401, 'signed_out', 'Signed out');
    }
    res = await send(method, path, body, token);
  }
  if (!res.ok) {
    const parsed = (await res.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string; issues?: Issue[] } }
      | undefined;
    const e = parsed?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? res.statusText, e?.issues ?? []);
  }
  return res;
}

/** Sends a JSON request and returns the parsed answer (undefined for 204). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Sends a file's text (e.g. `text/csv`) as the body and returns the parsed JSON answer. */
export async function apiUpload<T>(path: string, text: string, type: string): Promise<T> {
  const res = await call('POST', path, new RawBody(text, type));
  return (await res.json()) as T;
}

/** Fetches a file from the API with the person's token, for showing it in the page (a PDF preview). */
export async function fetchFile(path: string): Promise<Blob> {
  return (await call('GET', path)).blob();
}

/** Downloads a file from the API and hands it to the browser under its server-given name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await call('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads a file that may be large and streamed (a period's archive): reads the body piece by
 * piece, reporting the bytes received and the total when the server sent a length (a streamed ZIP
 * has none), and returns the bytes with the server-given name; `save` then hands them to the browser.
 */
export async function fetchWithProgress(
  path: string,
  fallbackName: string,
  onProgress: (received: number, total: number | undefined) => void,
  signal?: AbortSignal,
): Promise<{ name: string; blob: Blob }> {
  const res = await call('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  if (!res.body) {
    const blob = await res.blob();
    onProgress(blob.size, blob.size);
    return { name, blob };
  }
  const reader = res.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress(0, total);
  try {
    for (;;) {
      if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as Uint8Array<ArrayBuffer>);
      received += value.byteLength;
      onProgress(received, total);
    }
  } finally {
    if (signal?.aborted) await reader.cancel().catch(() => undefined);
  }
  return { name, blob: new Blob(parts, { type }) };
}

/** Hands bytes to the browser as a file download under `name`. */
export function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
