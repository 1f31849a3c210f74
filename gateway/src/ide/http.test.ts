import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import {
  etagOf,
  negotiateEncoding,
  notModified,
  represent,
  sendRepresentation,
  type Representation,
} from './http';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['identity', 'identity'],
    ['GZIP ; q=0.8', 'gzip'],
  ] as const)('%j -> %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('represent and ETags', () => {
  it('compresses both ways and names each form with its own strong ETag', async () => {
    const text = 'Изпълнителна агенция '.repeat(200);
    const representation = await represent('text/plain; charset=utf-8', text);
    expect(gunzipSync(representation.gzip).toString('utf8')).toBe(text);
    expect(brotliDecompressSync(representation.br).toString('utf8')).toBe(text);
    expect(representation.gzip.length).toBeLessThan(representation.identity.length / 10);

    const tags = (['identity', 'gzip', 'br'] as const).map((encoding) => etagOf(representation, encoding));
    expect(new Set(tags).size).toBe(3);
    for (const tag of tags) {
      expect(tag).toMatch(/^"[\w-]+"$/);
      expect(notModified(tag, representation)).toBe(true);
      expect(notModified(`W/${tag}`, representation)).toBe(true);
    }
    expect(notModified(`"other", ${tags[1]}`, representation)).toBe(true);
    expect(notModified('*', representation)).toBe(true);
    expect(notModified('"other"', representation)).toBe(false);
    expect(notModified(undefined, representation)).toBe(false);

    const changed = await represent('text/plain; charset=utf-8', `${text}!`);
    expect(notModified(tags[0], changed)).toBe(false);
  });
});

describe('sendRepresentation from the disk cache', () => {
  const served: Server[] = [];
  afterAll(async () => {
    await Promise.all(served.map((server) => new Promise((done) => server.close(done))));
  });

  async function serve(representation: Representation): Promise<string> {
    const server = createServer((req, res) => sendRepresentation(req, res, representation, {}));
    served.push(server);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('streams each form from its file with the length and encoding of that file, HEAD without a body', async () => {
    const text = 'Изпълнителна агенция '.repeat(200);
    const inMemory = await represent('text/plain; charset=utf-8', text);
    const dir = mkdtempSync(join(tmpdir(), 'ide-http-'));
    const onDisk = (name: string, bytes: Buffer) => {
      writeFileSync(join(dir, name), bytes);
      return { file: join(dir, name), size: bytes.length };
    };
    const url = await serve({
      ...inMemory,
      identity: onDisk('a.txt', inMemory.identity),
      gzip: onDisk('a.txt.gz', inMemory.gzip),
      br: onDisk('a.txt.br', inMemory.br),
    });

    const raw = (encoding: string, method = 'GET') =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(url, { method, headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });

    const br = await raw('br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(inMemory.br.length);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(text);

    const gz = await raw('gzip');
    expect(Number(gz.headers['content-length'])).toBe(inMemory.gzip.length);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(text);

    const identity = await raw('identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.toString('utf8')).toBe(text);

    const head = await raw('br', 'HEAD');
    expect(Number(head.headers['content-length'])).toBe(inMemory.br.length);
    expect(head.body.length).toBe(0);
  });
});
