// HTTP details of serving the IDE: content encoding negotiation, strong ETags and 304s.
import { randomBytes, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The bytes of one form: in memory, or a file of the disk cache read on each request. The IDE's
 * assets are about 12 MB in their three forms and asked for once per analyst and release (they are
 * cached as immutable): held in the heap they would weigh on every gateway replica all the time.
 */
export type Body = Buffer | { file: string; size: number };

/** A response body with its compressed forms, computed once. */
export interface Representation<B extends Body = Body> {
  contentType: string;
  identity: B;
  gzip: B;
  br: B;
  /** Hash of `identity`, the base of the ETags: `"<hash>"`, `"<hash>-gzip"`, `"<hash>-br"`. */
  hash: string;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Brotli quality 9: within 10% of the best (11) for the IDE's scripts at a thirtieth of the time
 * (about 1 s instead of 30 s for the main bundle).
 */
const BROTLI_QUALITY = 9;

export async function represent(contentType: string, body: Buffer | string): Promise<Representation<Buffer>> {
  const identity = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(identity, { level: 9 }),
    brotliAsync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        [constants.BROTLI_PARAM_MODE]: contentType.startsWith('font/')
          ? constants.BROTLI_MODE_GENERIC
          : constants.BROTLI_MODE_TEXT,
      },
    }),
  ]);
  return { contentType, identity, gzip: gzipped, br: brotli, hash: contentHash(identity) };
}

export function byteLength(body: Body): number {
  return Buffer.isBuffer(body) ? body.length : body.size;
}

/** A short hash of some bytes, safe in file names and ETags. */
export function contentHash(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

/** A random token, e.g. for temporary file names. */
export function randomToken(): string {
  return randomBytes(6).toString('hex');
}

/**
 * The encoding to answer with, from an `Accept-Encoding` header: the acceptable one with the
 * highest q-value among br and gzip (br on a tie), else identity.
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): Encoding {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawToken, ...params] = part.toLowerCase().split(';');
    const token = rawToken?.trim();
    if (!token) continue;
    const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    weights.set(token, q === undefined ? 1 : Number(q) || 0);
  }
  const weight = (encoding: Encoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).reduce<Encoding>(
    (chosen, encoding) =>
      weight(encoding) > (chosen === 'identity' ? 0 : weight(chosen)) ? encoding : chosen,
    'identity',
  );
  return best;
}

export function etagOf(representation: Representation, encoding: Encoding): string {
  return encoding === 'identity' ? `"${representation.hash}"` : `"${representation.hash}-${encoding}"`;
}

/** Whether an `If-None-Match` header names any form of this representation (weak comparison). */
export function notModified(ifNoneMatch: string | undefined, representation: Representation): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const tags = new Set(
    (['identity', 'gzip', 'br'] as const).map((encoding) => etagOf(representation, encoding)),
  );
  return ifNoneMatch.split(',').some((tag) => tags.has(tag.trim().replace(/^W\//, '')));
}

/**
 * Sends a representation in the encoding the client prefers, with its strong ETag, or 304 when
 * the client has it already. HEAD gets the headers only.
 */
export function sendRepresentation(
  req: IncomingMessage,
  res: ServerResponse,
  representation: Representation,
  headers: Record<string, string>,
): void {
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const common = { vary: 'Accept-Encoding', etag: etagOf(representation, encoding), ...headers };
  if (notModified(req.headers['if-none-match'], representation)) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const body = representation[encoding];
  res.writeHead(200, {
    ...common,
    'content-type': representation.contentType,
    'content-length': String(byteLength(body)),
    ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
  });
  if (req.method === 'HEAD') return void res.end();
  if (Buffer.isBuffer(body)) return void res.end(body);
  // The length is promised already: a file gone missing can only cut the response short.
  createReadStream(body.file)
    .on('error', () => res.destroy())
    .pipe(res);
}
