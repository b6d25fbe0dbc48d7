/**
 * A tiny in-process S3-compatible server on 127.0.0.1 for tests: path-style PUT/GET/HEAD/DELETE
 * object, ListObjectsV2 with paging, and multipart uploads. It checks no signatures and keeps
 * everything in memory, so tests can read exactly the bytes a provider would hold.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running fake S3 server. */
export interface FakeS3 {
  /** The endpoint URL, e.g. http://127.0.0.1:41234. */
  url: string;
  bucket: string;
  /** Stored objects by key, as the provider would hold them. */
  objects: Map<string, Buffer>;
  /** One line per request, `METHOD operation key`, for asserting which API calls were made. */
  requests: string[];
  /** Uploads started but neither completed nor aborted. */
  openUploads: () => number;
  close: () => Promise<void>;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/xml', ...headers });
  res.end(body);
}

function error(res: ServerResponse, status: number, code: string): void {
  send(res, status, `${XML_HEAD}<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
}

function etagOf(body: Buffer): string {
  return `"${body.length.toString(16)}-${randomBytes(4).toString('hex')}"`;
}

/** Starts a fake S3 server holding one bucket. */
export async function startFakeS3(bucket = 'kluis-test'): Promise<FakeS3> {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, { etag: string; body: Buffer }> }>();
  const requests: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, b, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    if (b !== bucket) return error(res, 404, 'NoSuchBucket');
    // aws-chunked bodies (streaming signatures, trailing checksums) are not implemented here.
    if (/aws-chunked/.test(String(req.headers['content-encoding'] ?? '')))
      return error(res, 501, 'NotImplemented');
    const op = (name: string) => requests.push(`${method} ${name} ${key}`.trim());

    if (key === '' && method === 'GET' && q.get('list-type') === '2') {
      op('ListObjectsV2');
      const prefix = q.get('prefix') ?? '';
      const max = Number(q.get('max-keys') ?? 1000);
      const after = q.has('continuation-token')
        ? Buffer.from(q.get('continuation-token') ?? '', 'base64url').toString('utf8')
        : (q.get('start-after') ?? '');
      const all = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = all.slice(0, max);
      const truncated = all.length > page.length;
      const contents = page
        .map(
          (k) =>
            `<Contents><Key>${xmlEscape(k)}</Key><Size>${objects.get(k)?.length ?? 0}</Size>` +
            `<LastModified>${new Date().toISOString()}</LastModified><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join('');
      const next = truncated
        ? `<NextContinuationToken>${Buffer.from(page.at(-1) ?? '', 'utf8').toString('base64url')}</NextContinuationToken>`
        : '';
      return send(
        res,
        200,
        `${XML_HEAD}<ListBucketResult><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix>` +
          `<KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
          `${contents}${next}</ListBucketResult>`,
      );
    }
    if (key === '') return error(res, 400, 'InvalidRequest');

    if (method === 'POST' && q.has('uploads')) {
      op('CreateMultipartUpload');
      const id = randomBytes(12).toString('hex');
      uploads.set(id, { key, parts: new Map() });
      return send(
        res,
        200,
        `${XML_HEAD}<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key>` +
          `<UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    const uploadId = q.get('uploadId');
    if (uploadId !== null) {
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return error(res, 404, 'NoSuchUpload');
      if (method === 'PUT') {
        op('UploadPart');
        const body = await readBody(req);
        const etag = etagOf(body);
        upload.parts.set(Number(q.get('partNumber')), { etag, body });
        return send(res, 200, '', { etag });
      }
      if (method === 'POST') {
        op('CompleteMultipartUpload');
        const xml = (await readBody(req)).toString('utf8');
        const listed = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
          etag: /<ETag>(.*?)<\/ETag>/.exec(m[1] ?? '')?.[1]?.replace(/&quot;|&#34;/g, '"'),
        }));
        const bodies: Buffer[] = [];
        for (const p of listed) {
          const part = upload.parts.get(p.number);
          if (!part || part.etag !== p.etag) return error(res, 400, 'InvalidPart');
          bodies.push(part.body);
        }
        const whole = Buffer.concat(bodies);
        objects.set(key, whole);
        uploads.delete(uploadId);
        return send(
          res,
          200,
          `${XML_HEAD}<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key>` +
            `<ETag>${xmlEscape(etagOf(whole))}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      if (method === 'DELETE') {
        op('AbortMultipartUpload');
        uploads.delete(uploadId);
        return send(res, 204);
      }
    }
    if (method === 'PUT') {
      op('PutObject');
      const body = await readBody(req);
      objects.set(key, body);
      return send(res, 200, '', { etag: etagOf(body) });
    }
    if (method === 'GET' || method === 'HEAD') {
      op(method === 'GET' ? 'GetObject' : 'HeadObject');
      const body = objects.get(key);
      if (!body) return method === 'HEAD' ? send(res, 404) : error(res, 404, 'NoSuchKey');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      return res.end(method === 'GET' ? body : undefined);
    }
    if (method === 'DELETE') {
      op('DeleteObject');
      objects.delete(key);
      return send(res, 204);
    }
    return error(res, 405, 'MethodNotAllowed');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => error(res, 500, 'InternalError'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    requests,
    openUploads: () => uploads.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
