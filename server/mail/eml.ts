/**
 * A small reader for the RFC 5322 / MIME messages that nodemailer writes into the outbox, so the
 * app can show them without another dependency: unfolded headers, RFC 2047 encoded words,
 * RFC 2231 parameters, base64 and quoted-printable bodies, nested multiparts. It is built for
 * our own well-formed output, not for arbitrary mail from the internet.
 */
import addressparser, { type Address } from 'nodemailer/lib/addressparser';

/** A parsed mail as the app shows it. */
export interface ParsedMail {
  messageId: string | undefined;
  from: string | undefined;
  /** Recipient addresses, without display names. */
  to: string[];
  subject: string;
  date: Date | undefined;
  text: string;
  html: string | undefined;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

type Headers = Map<string, string>;

/** Splits a part into its header block and body at the first empty line. */
function splitPart(raw: Buffer): { head: string; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) {
    return { head: raw.toString('utf8', 0, crlf), body: raw.subarray(crlf + 4) };
  }
  if (lf !== -1) return { head: raw.toString('utf8', 0, lf), body: raw.subarray(lf + 2) };
  return { head: raw.toString('utf8'), body: Buffer.alloc(0) };
}

/** Unfolds and reads a header block; the first occurrence of a name wins. */
export function parseHeaderBlock(head: string): Headers {
  const headers: Headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase() || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function qpBytes(s: string, underscoreIsSpace: boolean): Buffer {
  const text = underscoreIsSpace ? s.replace(/_/g, ' ') : s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(out);
}

/** Decodes RFC 2047 encoded words; whitespace between two adjacent encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data, true);
      return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
    });
}

/** Reads `type/sub; a=b; c*0*=utf-8''…` into the value and its parameters (RFC 2231 joined). */
function parseStructured(value: string): { value: string; params: Map<string, string> } {
  const parts = value.match(/(?:[^;"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
  const pieces = new Map<string, { index: number; text: string; encoded: boolean }[]>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq === -1) continue;
    const m = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(p.slice(0, eq).trim().toLowerCase());
    if (!m?.[1]) continue;
    let text = p.slice(eq + 1).trim();
    if (text.startsWith('"')) text = text.slice(1, -1).replace(/\\(.)/g, '$1');
    const list = pieces.get(m[1]) ?? [];
    list.push({ index: Number(m[2] ?? 0), text, encoded: m[3] === '*' });
    pieces.set(m[1], list);
  }
  const params = new Map<string, string>();
  for (const [name, list] of pieces) {
    list.sort((a, b) => a.index - b.index);
    if (!list.some((x) => x.encoded)) {
      params.set(name, decodeWords(list.map((x) => x.text).join('')));
      continue;
    }
    const joined = list.map((x) => (x.encoded ? x.text : encodeURIComponent(x.text))).join('');
    const [, charset = 'utf-8', , data = ''] = /^([^']*)'([^']*)'(.*)$/.exec(joined) ?? [];
    const bytes = Buffer.from(
      data.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    );
    params.set(name, decodeCharset(bytes, charset));
  }
  return { value: (parts[0] ?? '').trim().toLowerCase(), params };
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.toString('ascii').replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return qpBytes(body.toString('latin1'), false);
    default:
      return body;
  }
}

/** Cuts a multipart body at its boundary lines; the CRLF before a delimiter belongs to the delimiter. */
function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let start = -1;
  let at = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`);
  while (at !== -1) {
    const lineStart = text[at] === '\n' ? at + 1 : at;
    if (start !== -1) {
      let end = lineStart - 1;
      if (text[end - 1] === '\r') end--;
      parts.push(body.subarray(start, Math.max(start, end)));
    }
    const after = lineStart + delimiter.length;
    if (text.startsWith('--', after)) break;
    const eol = text.indexOf('\n', after);
    if (eol === -1) break;
    start = eol + 1;
    at = text.indexOf(`\n${delimiter}`, start - 1);
  }
  return parts;
}

function walk(raw: Buffer, into: ParsedMail): Headers {
  const { head, body } = splitPart(raw);
  const headers = parseHeaderBlock(head);
  const type = parseStructured(headers.get('content-type') ?? 'text/plain; charset=utf-8');
  const boundary = type.params.get('boundary');
  if (type.value.startsWith('multipart/') && boundary) {
    for (const part of splitMultipart(body, boundary)) walk(part, into);
    return headers;
  }
  const disposition = parseStructured(headers.get('content-disposition') ?? 'inline');
  const filename = disposition.params.get('filename') ?? type.params.get('name');
  const content = decodeBody(body, headers.get('content-transfer-encoding'));
  const charset = type.params.get('charset') ?? 'utf-8';
  if (
    disposition.value !== 'attachment' &&
    filename === undefined &&
    type.value === 'text/plain' &&
    !into.text
  ) {
    into.text = decodeCharset(content, charset);
  } else if (
    disposition.value !== 'attachment' &&
    filename === undefined &&
    type.value === 'text/html' &&
    !into.html
  ) {
    into.html = decodeCharset(content, charset);
  } else {
    into.attachments.push({ filename: filename ?? 'attachment', contentType: type.value, content });
  }
  return headers;
}

function addresses(list: Address[]): string[] {
  return list.flatMap((a) => (a.group ? addresses(a.group) : a.address ? [a.address] : []));
}

/** Parses a whole message. */
export function parseEml(raw: Buffer): ParsedMail {
  const mail: ParsedMail = {
    messageId: undefined,
    from: undefined,
    to: [],
    subject: '',
    date: undefined,
    text: '',
    html: undefined,
    attachments: [],
  };
  const headers = walk(raw, mail);
  mail.messageId = headers.get('message-id');
  mail.from = headers.has('from') ? decodeWords(headers.get('from') ?? '') : undefined;
  mail.to = addresses(addressparser(headers.get('to') ?? ''));
  mail.subject = decodeWords(headers.get('subject') ?? '');
  const date = headers.has('date') ? new Date(headers.get('date') ?? '') : undefined;
  mail.date = date && !Number.isNaN(date.getTime()) ? date : undefined;
  return mail;
}
