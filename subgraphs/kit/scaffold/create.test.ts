import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPartnerSubgraph } from './create';
import { publishedExports } from './pack';

// The scaffold's refusals, which need no kit build; what it writes is shown end to end by
// test/e2e/partner-scaffold.e2e.test.ts.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scaffold-test-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test.each(['', 'Certifications', '1st', 'a_b', 'trailing-', 'x'.repeat(41)])(
  'refuses %j as a subgraph name',
  async (name) => {
    await expect(createPartnerSubgraph({ name, out: join(dir, 'new') })).rejects.toThrow(
      /cannot name a subgraph/,
    );
  },
);

test('refuses a folder that is not empty, and writes nothing there', async () => {
  await writeFile(join(dir, 'keep.txt'), 'mine');
  await expect(createPartnerSubgraph({ name: 'certifications', out: dir })).rejects.toThrow(/is not empty/);
});

test('refuses a kit tarball that does not exist', async () => {
  await expect(
    createPartnerSubgraph({
      name: 'certifications',
      out: join(dir, 'new'),
      kitTarball: join(dir, 'none.tgz'),
    }),
  ).rejects.toThrow(/does not exist/);
});

test("the packed kit's exports point at dist/, with declarations, plus the embedded database", () => {
  expect(publishedExports({ '.': './src/index.ts', './runner': './src/service-runner.ts' })).toEqual({
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './runner': { types: './dist/service-runner.d.ts', default: './dist/service-runner.js' },
    './database': { types: './dist/database/index.d.ts', default: './dist/database/index.js' },
    './package.json': './package.json',
  });
});
