// The drift watch with a real gateway on the registry and a real partner subgraph on 127.0.0.1:
// the partner, published, is restarted serving its SDL with a field removed, then stopped, then
// restored; /ready, the gateway's log and `npm run subgraph -- list` follow it.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { publishSubgraph } from '../../schema/registry/operations';
import { RegistryStore } from '../../schema/registry/store';
import { startPartnerSubgraph, type PartnerSubgraph } from '../../test/support/partner-subgraph';
import { startTestHub, type TestHub } from '../../test/support/hub';

jest.setTimeout(120_000);

const DRIFT_CHECK_MS = 500;
const ROOT = path.resolve(__dirname, '../..');
const NAME = 'gamma';
const FIELD = 'gammaLevel';

let hub: TestHub;
let client: MongoClient;
let database: string;
let store: RegistryStore;
let partner: PartnerSubgraph;
let dir: string;
let keyFile: string;
/** The gateway's log lines' messages (its drift lines come at info and warn). */
const logged: string[] = [];

beforeAll(async () => {
  database = `drift_test_${randomUUID().slice(0, 8)}`;
  hub = await startTestHub({
    gateway: {
      registry: { enabled: true, mongoUri: process.env.MONGODB_URI!, database, pollMs: 100 },
      driftCheckMs: DRIFT_CHECK_MS,
      telemetry: {
        logLevel: 'info',
        logDestination: { write: (line: string) => logged.push((JSON.parse(line) as { msg: string }).msg) },
      },
    },
  });
  client = new MongoClient(process.env.MONGODB_URI!);
  store = RegistryStore.open({ client, database });
  partner = await startPartnerSubgraph(NAME, FIELD, hub.gateway.identityJwks);
  dir = mkdtempSync(path.join(tmpdir(), 'drift-watch-'));
  keyFile = path.join(dir, 'identity.key.pem');
  writeFileSync(keyFile, hub.gatewaySettings.identityKeyPem!, { mode: 0o600 });
});

afterAll(async () => {
  await hub?.close();
  await partner?.close();
  await client
    ?.db(database)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

interface DriftEntry {
  status: string;
  differences?: string[];
  error?: string;
}

async function ready(): Promise<{
  status: number;
  body: { status: string; details: { drift: Record<string, DriftEntry> } };
}> {
  const response = await fetch(new URL('/ready', hub.gateway.url));
  return { status: response.status, body: (await response.json()) as never };
}

/** Polls /ready until `gamma` has `status`; resolves with the entry and how long it took. */
async function untilDrift(status: string): Promise<{ entry: DriftEntry; ms: number }> {
  const started = Date.now();
  for (;;) {
    const answer = await ready();
    // Drift and outages of a subgraph are warnings: the gateway stays ready throughout.
    expect(answer).toMatchObject({ status: 200, body: { status: 'ready' } });
    const entry = answer.body.details.drift[NAME];
    if (entry?.status === status) return { entry, ms: Date.now() - started };
    if (Date.now() - started > 15_000) {
      throw new Error(`gamma not ${status} in /ready: ${JSON.stringify(answer.body.details)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function restartPartner(options: { withoutField?: boolean } = {}): Promise<void> {
  const port = Number(new URL(partner.url).port);
  await partner.close();
  partner = await startPartnerSubgraph(NAME, FIELD, hub.gateway.identityJwks, { port, ...options });
}

async function list(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [path.join(ROOT, 'schema/registry/cli.ts'), 'list'],
    {
      cwd: ROOT,
      env: { ...process.env, GATEWAY_REGISTRY_DATABASE: database, GATEWAY_IDENTITY_KEY_FILE: keyFile },
    },
  );
  return stdout;
}

const driftLine = (what: RegExp) =>
  logged.filter((line) => line.includes(`drift watch: subgraph "${NAME}"`) && what.test(line));

it('shows drift of a published partner in /ready, the log and `subgraph list`, and its return in line', async () => {
  const published = await publishSubgraph(
    store,
    { name: NAME, url: partner.url, sdl: partner.sdl },
    {
      subject: 'gamma-ci',
      role: 'admin',
    },
  );
  expect(published.ok).toBe(true);
  await untilDrift('in-line');
  // The hub's own subgraphs serve what supergraph.yaml's files say, so they are in line too.
  const { body } = await ready();
  for (const own of Object.keys(hub.subgraphs))
    expect(body.details.drift[own]).toMatchObject({ status: 'in-line' });

  await restartPartner({ withoutField: true });
  const drifted = await untilDrift('drifted');
  expect(drifted.entry.differences).toEqual([`removed Organisation.${FIELD}`]);
  // Seen by the next periodic check: within one interval, plus the time the check itself takes.
  expect(drifted.ms).toBeLessThan(DRIFT_CHECK_MS + 1_000);
  expect(driftLine(/DRIFTED from its published SDL: removed Organisation\.gammaLevel/)).toHaveLength(1);
  expect(await list()).toMatch(
    new RegExp(
      `${NAME}\\s+${partner.url}\\s+DRIFTED from its published SDL: removed Organisation\\.${FIELD}`,
    ),
  );

  // Stopped is an outage, not drift.
  const port = Number(new URL(partner.url).port);
  await partner.close();
  const down = await untilDrift('unreachable');
  expect(down.entry.error).toMatch(/cannot reach subgraph "gamma"/);
  expect(driftLine(/unreachable/).length).toBeGreaterThanOrEqual(1);
  expect(await list()).toMatch(new RegExp(`${NAME}\\s+\\S+\\s+unreachable \\(cannot reach`));

  partner = await startPartnerSubgraph(NAME, FIELD, hub.gateway.identityJwks, { port });
  await untilDrift('in-line');
  expect(driftLine(/in line with its published SDL again/).length).toBeGreaterThanOrEqual(1);
  expect(await list()).toMatch(new RegExp(`${NAME}\\s+${partner.url}\\s+in line with its published SDL`));
});
