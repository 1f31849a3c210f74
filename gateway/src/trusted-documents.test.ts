import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANONYMOUS, identityFor } from '@clusterpolisee/kit/auth';
import { GATEWAY_DEFAULTS } from './config';
import { loadTrustedDocuments } from './trusted-documents';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'trusted-documents-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const target = path.join(dir, name);
  mkdirSync(target);
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(target, file), text);
  return target;
}

describe('loadTrustedDocuments', () => {
  it("lists every operation of the project's folder", () => {
    const documents = loadTrustedDocuments({ dir: GATEWAY_DEFAULTS.trustedDocuments.dir });
    expect(documents.ids.length).toBeGreaterThanOrEqual(3);
    expect(documents.folder).toBe(path.relative(process.cwd(), GATEWAY_DEFAULTS.trustedDocuments.dir));
  });

  it('indexes a file holding several operations as one document', () => {
    const text = 'query A { a }\nquery B { b }\n';
    const documents = loadTrustedDocuments({
      dir: folder('several', { 'ab.graphql': text, 'notes.txt': 'x' }),
    });
    const id = createHash('sha256').update(text).digest('hex');
    expect(documents.ids).toEqual([id]);
    expect(documents.resolve({ documentId: `sha256:${id.toUpperCase()}`, operationName: 'B' })).toEqual({
      documentId: `sha256:${id.toUpperCase()}`,
      operationName: 'B',
      query: text,
    });
    const unknown = { documentId: 'sha256:00' };
    expect(documents.resolve(unknown)).toBe(unknown);
    expect(() => documents.check(ANONYMOUS, [{ query: text }, { query: '{ a,\n b }' }])).toThrow(/listed in/);
    expect(() =>
      documents.check(ANONYMOUS, [{ query: '# same, other layout\nquery A{a} query B{b}' }]),
    ).not.toThrow();
    expect(() => documents.check(identityFor('x', 'admin'), [{ query: '{ anything }' }])).not.toThrow();
    expect(() => documents.check(identityFor('x', 'coordinator'), [{ query: '{ anything }' }])).toThrow(
      /Analysts and admins may send any operation/,
    );
  });

  it('refuses to start on a folder it cannot use', () => {
    expect(() => loadTrustedDocuments({ dir: path.join(dir, 'missing') })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
    expect(() => loadTrustedDocuments({ dir: folder('empty', {}) })).toThrow(/holds no \.graphql files/);
    expect(() => loadTrustedDocuments({ dir: folder('broken', { 'bad.graphql': 'query {' }) })).toThrow(
      /bad\.graphql is not valid GraphQL/,
    );
  });
});
