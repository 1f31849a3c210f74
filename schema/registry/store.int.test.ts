// The registry's one exclusivity: simultaneous publishes each get a version of their own, and no
// publish is lost, on an engine that applies filtered updates non-atomically (FerretDB 1.24).
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { partnerSdl } from '../../test/support/partner-subgraph';
import { subgraphHistory } from './history';
import { publishSubgraph } from './operations';
import { RegistryStore, versionId } from './store';

jest.setTimeout(120_000);

let client: MongoClient;
let database: string;
let store: RegistryStore;

beforeAll(async () => {
  client = new MongoClient(process.env.MONGODB_URI!);
  database = `registry_store_${randomUUID().slice(0, 8)}`;
  store = RegistryStore.open({ client, database });
});

afterAll(async () => {
  await client
    ?.db(database)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
});

it('gives each of simultaneous publishes its own version, and the last holds every subgraph', async () => {
  const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
  const outcomes = await Promise.all(
    names.map((name) =>
      publishSubgraph(
        store,
        { name, url: `http://127.0.0.1:9/${name}`, sdl: partnerSdl(`${name}Field`) },
        { subject: `ci@${name}`, role: 'partner-member', organisationId: 'org' },
      ),
    ),
  );
  const versions = outcomes.map((outcome) => (outcome.ok ? outcome.version.version : 0)).sort();
  expect(versions).toEqual([1, 2, 3, 4, 5]);
  const latest = await store.latest();
  expect(latest?._id).toBe(versionId(5));
  expect(latest?.subgraphs.map((s) => s.name)).toEqual(names);
  for (const name of names) expect(latest?.supergraphSdl).toContain(`${name}Field`);
  expect((await store.auditTrail()).map((entry) => entry.recordId).sort()).toEqual(
    versions.map((version) => versionId(version)),
  );
  expect(await subgraphHistory(store, 'p3')).toHaveLength(1);
});
