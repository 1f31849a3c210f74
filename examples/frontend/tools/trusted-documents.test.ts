import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTrustedDocuments } from '../../../gateway/src/trusted-documents';
import { planTrustedDocuments, writeTrustedDocuments } from './trusted-documents';

const EXAMPLE_MANIFEST = path.join(__dirname, '../src/__generated__/persisted-documents.json');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'trusted-documents-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("writes the example's operations as files the gateway names by the same hashes", () => {
  const manifest = JSON.parse(readFileSync(EXAMPLE_MANIFEST, 'utf8')) as Record<string, string>;
  const plan = writeTrustedDocuments({ manifest: EXAMPLE_MANIFEST, dir, app: 'shop' });
  expect(plan.changed).toHaveLength(Object.keys(manifest).length);

  const gateway = loadTrustedDocuments({ dir });
  expect(gateway.ids.sort()).toEqual(
    Object.keys(manifest)
      .map((key) => key.replace('sha256:', ''))
      .sort(),
  );
  for (const file of readdirSync(dir)) {
    expect(file).toBe(`shop.${sha256(readFileSync(path.join(dir, file), 'utf8'))}.graphql`);
  }
  // A second run has nothing to do.
  expect(planTrustedDocuments({ manifest: EXAMPLE_MANIFEST, dir, app: 'shop' })).toMatchObject({
    changed: [],
    stale: [],
  });
});

test("removes the app's operations it no longer lists and leaves everything else", () => {
  const manifest = path.join(dir, 'persisted-documents.json');
  const keep = 'query Kept { countries { code } }';
  const gone = 'query Gone { countries { name } }';
  writeFileSync(
    manifest,
    JSON.stringify({ [`sha256:${sha256(keep)}`]: keep, [`sha256:${sha256(gone)}`]: gone }),
  );
  const out = path.join(dir, 'trusted');
  mkdirSync(out);
  writeFileSync(path.join(out, 'partners-by-country.graphql'), '{ countries { code } }');
  writeFileSync(path.join(out, `other-app.${sha256(gone)}.graphql`), gone);
  writeTrustedDocuments({ manifest, dir: out, app: 'shop' });

  writeFileSync(manifest, JSON.stringify({ [`sha256:${sha256(keep)}`]: keep }));
  const plan = writeTrustedDocuments({ manifest, dir: out, app: 'shop' });
  expect(plan.stale).toEqual([`shop.${sha256(gone)}.graphql`]);
  expect(readdirSync(out).sort()).toEqual(
    [
      `other-app.${sha256(gone)}.graphql`,
      'partners-by-country.graphql',
      `shop.${sha256(keep)}.graphql`,
    ].sort(),
  );
});

test('refuses a manifest that is not one, saying what to do', () => {
  const manifest = path.join(dir, 'persisted-documents.json');
  const text = 'query A { countries { code } }';
  const run = () => planTrustedDocuments({ manifest, dir, app: 'shop' });

  expect(run).toThrow(/cannot be read.*codegen/);
  writeFileSync(manifest, JSON.stringify({ [`sha256:${sha256(text)}`]: text + ' ' }));
  expect(run).toThrow(/does not hash to it: regenerate/);
  writeFileSync(manifest, JSON.stringify({ [sha256(text).slice(0, 40)]: text }));
  expect(run).toThrow(/hashAlgorithm: 'sha256'/);
  writeFileSync(manifest, JSON.stringify({ [`sha256:${sha256('query {')}`]: 'query {' }));
  expect(run).toThrow(/not valid GraphQL/);
  writeFileSync(manifest, '{}');
  expect(run).toThrow(/lists no operation/);
  expect(() => planTrustedDocuments({ manifest, dir, app: '../x' })).toThrow(/--app/);
  expect(readdirSync(dir)).toEqual(['persisted-documents.json']);
});
