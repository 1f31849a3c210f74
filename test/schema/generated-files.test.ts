import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkSupergraphFile } from '../../schema/composition';

// The SDL is the source of truth: committed files derived from it must match a fresh build of them.
const ROOT = join(__dirname, '../..');

test('the committed supergraph matches the subgraph schemas', () => {
  const status = checkSupergraphFile(
    join(ROOT, 'schema/supergraph.yaml'),
    join(ROOT, 'schema/supergraph.graphql'),
  );
  expect(status).toEqual({ status: 'current' });
});

test('generated resolver types match the subgraph schemas', async () => {
  // The codegen CLI loads ES modules, which jest's module system cannot, so it runs as its own process.
  const codegen = join(ROOT, 'node_modules/.bin/graphql-codegen');
  const outcome = await promisify(execFile)(codegen, ['--config', 'codegen.ts', '--check'], {
    cwd: ROOT,
  }).then(
    () => ({ upToDate: true, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({
      upToDate: false,
      output: `run \`npm run codegen\` and commit the result:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
  expect(outcome).toEqual({ upToDate: true, output: '' });
}, 60_000);
