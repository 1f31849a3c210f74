import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { etagOf, negotiateEncoding, notModified, represent } from './http';

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
