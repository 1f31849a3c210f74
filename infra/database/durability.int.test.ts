// Durability of the embedded database as the hub uses it: a real subgraph writes through GraphQL,
// the database is killed with SIGKILL while the writes are under way, started again on the same
// folder and port, and every write the subgraph acknowledged must be there. The engine is the one
// HUB_EMBEDDED_DB chooses, so CI runs this on both.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestSubgraph, type GraphQLResponse, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { knowledge } from '@clusterpolisee/knowledge';
import { embeddedEngineFromEnv, startEmbeddedDatabase, type EmbeddedDatabase } from '.';
import { waitUntilGone } from './process-state';

const WRITES = 1_000;
const WRITERS = 8;
const engine = embeddedEngineFromEnv();
// The global setup marks a database it started itself; with MONGODB_URI there is no engine here.
const skip =
  process.env.HUB_TEST_DB_EMBEDDED === '1'
    ? undefined
    : 'skipped: MONGODB_URI names the database, so the embedded engines are not in use';

const CREATE = `mutation($input: CreateClusterPolicyInput!) { createClusterPolicy(input: $input) { id title } }`;
// Page by page rather than one by one: FerretDB finds a policy by id slowly enough (about 150 ms
// on two cores) to make a thousand reads take minutes.
const READ = `query($after: String) {
  clusterPolicies(first: 100, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } }
}`;

interface Policy {
  id: string;
  title: string;
}

let dataDir: string;
let database: EmbeddedDatabase | undefined;
let subgraph: TestSubgraph | undefined;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-durability-'));
});

afterAll(async () => {
  await subgraph?.close();
  await database?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

(skip ? test.skip : test)(
  `every write a subgraph acknowledged survives a SIGKILL of the ${engine} database${skip ? ` (${skip})` : ''}`,
  async () => {
    const quiet = () => {};
    database = await startEmbeddedDatabase({ engine, dataDir, log: quiet });
    const port = Number(new URL(database.uri).port);
    subgraph = await startSubgraphOn(database.uri);
    const writer = subgraph;

    // Killed once a random number of writes in the middle are acknowledged, with the others of
    // that moment still in flight on the database.
    const killAfter = 150 + Math.floor(Math.random() * (WRITES - 300));
    const acknowledged = new Map<string, string>();
    let failed = 0;
    let next = 0;
    let killed: Promise<void> | undefined;
    const began = Date.now();

    const restart = async (victim: EmbeddedDatabase) => {
      process.kill(victim.pid, 'SIGKILL');
      if (!(await waitUntilGone(victim.pid, 10_000))) throw new Error(`pid ${victim.pid} outlived SIGKILL`);
      // The same port, so that the subgraph's driver finds the database again by itself.
      database = await startEmbeddedDatabase({ engine, dataDir, port, log: quiet });
    };

    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < WRITES) {
          const title = `Durability ${next++}`;
          const result = await writer.query<{ createClusterPolicy: Policy | null }>(CREATE, {
            input: {
              title,
              countryCode: 'IT',
              level: 'NATIONAL',
              periodStart: 2020,
              source: 'durability test',
            },
          });
          const created = result.data?.createClusterPolicy;
          if (created && !result.errors) acknowledged.set(created.id, created.title);
          else failed++;
          if (acknowledged.size >= killAfter && !killed) killed = restart(database!);
        }
      }),
    );
    await killed;

    const wrote = Date.now();
    // The subgraph's driver finds the restarted server at its next check of the server's state;
    // until then reads may fail, which says nothing about what was stored.
    const stored = await readAll(writer);
    const missing = [...acknowledged].filter(([id, title]) => stored.get(id) !== title).map(([id]) => id);

    console.log(
      `durability (${engine}): killed after ${killAfter} acknowledged writes; ` +
        `${acknowledged.size} of ${WRITES} acknowledged, ${failed} failed, ` +
        `${acknowledged.size - missing.length} of the acknowledged found after the restart ` +
        `(${stored.size} stored) ` +
        `(writes ${Math.round((wrote - began) / 1000)} s, reading back ${Math.round((Date.now() - wrote) / 1000)} s)`,
    );
    expect(killed).toBeDefined();
    // Most writes go through: the kill is a moment, not the end of the database.
    expect(acknowledged.size).toBeGreaterThan(killAfter);
    expect(missing).toEqual([]);
  },
  120_000,
);

/** Every stored policy's title by id, retried from the start while the database is not back. */
async function readAll(subgraph: TestSubgraph): Promise<Map<string, string>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const stored = new Map<string, string>();
    let after: string | null = null;
    let errors: unknown;
    do {
      const result: GraphQLResponse<{ clusterPolicies: Page }> = await subgraph.query(READ, { after });
      errors = result.errors;
      const page = result.data?.clusterPolicies;
      if (errors || !page) break;
      for (const node of page.nodes) stored.set(node.id, node.title);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    if (!errors) return stored;
    if (Date.now() > deadline)
      throw new Error(`no read succeeds after the restart: ${JSON.stringify(errors)}`);
  }
}

interface Page {
  nodes: Policy[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// startTestSubgraph connects to MONGODB_URI, which the global setup pointed at the shared database.
async function startSubgraphOn(uri: string): Promise<TestSubgraph> {
  const shared = process.env.MONGODB_URI;
  process.env.MONGODB_URI = uri;
  try {
    return await startTestSubgraph(knowledge);
  } finally {
    process.env.MONGODB_URI = shared;
  }
}
