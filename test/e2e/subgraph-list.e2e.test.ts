import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../support/hub';
import { writeExtendedSupergraph } from '../support/extra-subgraphs';

// The test hub follows the list it is given: an added local subgraph starts with the others and
// answers through the gateway; one running elsewhere (here: nothing listens at its URL) starts
// nothing and costs only its own fields. Codegen, compose and npm start: test/schema/subgraph-list.test.ts.
let dir: string;
let hub: TestHub;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'subgraph-list-e2e-'));
  const { yamlPath } = writeExtendedSupergraph(dir, {
    fifth: 'http://127.0.0.1:4005/graphql',
    // Port 9 (discard) on loopback: nothing answers there.
    elsewhere: 'http://127.0.0.1:9/graphql',
  });
  hub = await startTestHub({ supergraphYaml: yamlPath });
}, 120_000);
afterAll(async () => {
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the added local subgraph runs in the test hub and answers beside the others', async () => {
  expect(Object.keys(hub.subgraphs).sort()).toEqual(
    ['communications', 'fifth', 'knowledge', 'partners', 'projects'].sort(),
  );
  const { data, errors } = await hub.query<{ fifthGreeting: string; countries: unknown[] }>(
    '{ fifthGreeting countries { code } }',
  );
  expect(errors).toBeUndefined();
  expect(data?.fifthGreeting).toBe('hello from the fifth subgraph');
  expect(data?.countries.length).toBeGreaterThan(0);
});

test('a subgraph running elsewhere that is down fails only its own field', async () => {
  const { data, errors } = await hub.query<{ fifthGreeting: string; elsewhereGreeting: string | null }>(
    '{ fifthGreeting elsewhereGreeting }',
  );
  expect(errors?.length).toBeGreaterThan(0);
  expect(data?.fifthGreeting).toBe('hello from the fifth subgraph');
});
