// Usage-aware registry checks through a real gateway: traffic recorded by the gateway makes the
// removal of a field it used fail `check` (naming the operation and the client), while the same
// removal on a registry where nobody used the field passes with a warning.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { checkCandidateWithUsage } from '../../../schema/registry/check';
import { publishSubgraph } from '../../../schema/registry/operations';
import { RegistryStore } from '../../../schema/registry/store';
import { coordinateUsage } from '../../../schema/registry/usage';
import {
  startPartnerSubgraph,
  partnerSdl,
  type PartnerSubgraph,
} from '../../../test/support/partner-subgraph';
import { startTestHub, type TestHub } from '../../../test/support/hub';

jest.setTimeout(120_000);

const ADMIN = { subject: 'test-admin', role: 'admin' };
const OPERATION = 'query CertifiedOrganisations { organisations(first: 2) { nodes { id certification } } }';
const CLIENT = { 'apollographql-client-name': 'partner-portal', 'apollographql-client-version': '2.1.0' };

let hub: TestHub;
let client: MongoClient;
let database: string;
let quietDatabase: string;
let store: RegistryStore;
let quiet: RegistryStore;
let alpha: PartnerSubgraph;

beforeAll(async () => {
  database = `usage_test_${randomUUID().slice(0, 8)}`;
  quietDatabase = `usage_quiet_${randomUUID().slice(0, 8)}`;
  const registry = {
    enabled: true,
    mongoUri: process.env.MONGODB_URI!,
    database,
    pollMs: 100,
    usageFlushSeconds: 1,
  };
  hub = await startTestHub({ gateway: { registry } });
  client = new MongoClient(process.env.MONGODB_URI!);
  store = RegistryStore.open({ client, database });
  quiet = RegistryStore.open({ client, database: quietDatabase });
  alpha = await startPartnerSubgraph('alpha', 'certification', hub.gateway.identityJwks);
  for (const registryStore of [store, quiet]) {
    const published = await publishSubgraph(
      registryStore,
      { name: 'alpha', url: alpha.url, sdl: alpha.sdl },
      ADMIN,
    );
    expect(published.ok).toBe(true);
  }
});

afterAll(async () => {
  await hub?.close();
  await alpha?.close();
  for (const name of [database, quietDatabase]) {
    await client
      ?.db(name)
      .dropDatabase()
      .catch(() => undefined);
  }
  await client?.close();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const withoutCertification = {
  name: 'alpha',
  url: 'http://127.0.0.1:1/graphql',
  sdl: partnerSdl('accreditation'),
};

it('fails the removal of a field clients used, naming the operation and the client; passes it with a warning where nobody did', async () => {
  await until('the published field to be served', async () => {
    const answer = await post(hub.gateway.url, { query: OPERATION }, CLIENT);
    return answer.body.errors ? undefined : answer;
  });
  await until('the usage to be flushed', async () => {
    const uses = await coordinateUsage(store.database(), ['Organisation.certification'], new Date(0));
    return uses.get('Organisation.certification')?.length ? uses : undefined;
  });

  const used = await checkCandidateWithUsage(withoutCertification, await store.latest(), {
    db: store.database(),
  });
  expect(used.ok).toBe(false);
  const errors = used.ok ? [] : used.errors;
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'BREAKING_CHANGE_IN_USE',
      message: expect.stringMatching(
        /Organisation\.certification.*client partner-portal@2\.1\.0, operation CertifiedOrganisations/,
      ),
    }),
  ]);

  const unused = await checkCandidateWithUsage(withoutCertification, await quiet.latest(), {
    db: quiet.database(),
  });
  expect(unused).toMatchObject({
    ok: true,
    warnings: expect.arrayContaining([
      expect.objectContaining({
        code: 'BREAKING_CHANGE_UNUSED',
        message: expect.stringMatching(/Organisation\.certification/),
      }),
    ]),
  });
});

it('the CLI names them too: `check` fails, `usage <coordinate>` lists the client', async () => {
  const root = path.resolve(__dirname, '../../..');
  const dir = mkdtempSync(path.join(tmpdir(), 'usage-cli-'));
  const sdlFile = path.join(dir, 'alpha.graphql');
  writeFileSync(sdlFile, withoutCertification.sdl);
  const run = (...args: string[]) =>
    promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsx'),
      [path.join(root, 'schema/registry/cli.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, GATEWAY_REGISTRY_DATABASE: database },
      },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  try {
    const check = await run('check', 'alpha', '--url', alpha.url, '--sdl', sdlFile);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      /BREAKING_CHANGE_IN_USE: Organisation\.certification: .*partner-portal@2\.1\.0, operation CertifiedOrganisations/,
    );
    const usage = await run('usage', 'Organisation.certification');
    expect(usage).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/client partner-portal@2\.1\.0, operation CertifiedOrganisations/),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('answers admins at GET /usage and refuses the override to partners; an admin override is audited', async () => {
  const admin = { authorization: `Bearer ${await hub.tokens.mint({ role: 'admin', sub: 'hub-admin' })}` };
  const usageUrl = new URL('/usage?coordinate=Organisation.certification&days=30', hub.gateway.url);
  const answer = await fetch(usageUrl, { headers: admin });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({
    coordinate: 'Organisation.certification',
    clients: ['partner-portal'],
    uses: [expect.objectContaining({ operationName: 'CertifiedOrganisations', clientVersion: '2.1.0' })],
  });
  expect((await fetch(usageUrl)).status).toBe(401);

  const endpoint = new URL('/registry/check', hub.gateway.url).toString();
  const refused = await post(endpoint, { ...withoutCertification, url: alpha.url }, admin);
  expect(refused.status).toBe(422);
  expect(refused.body.text).toMatch(/CertifiedOrganisations/);

  const partner = {
    authorization: `Bearer ${await hub.tokens.mint({
      role: 'partner-member',
      org: 'it-marche-region',
      sub: 'ci@alpha',
      claims: { scope: 'publish:schema', subgraph: 'alpha' },
    })}`,
  };
  const publish = new URL('/registry/publish', hub.gateway.url).toString();
  const body = {
    ...withoutCertification,
    url: alpha.url,
    overrideReason: 'portal 2.2 no longer asks for it',
  };
  expect((await post(publish, body, partner)).status).toBe(403);
  const overridden = await post(publish, body, admin);
  expect(overridden).toMatchObject({ status: 200, body: { ok: true } });
  expect((await store.auditTrail()).at(-1)).toMatchObject({
    action: 'OVERRIDE_USAGE_CHECK',
    actor: 'hub-admin',
    changes: expect.arrayContaining([
      { field: 'reason', before: null, after: 'portal 2.2 no longer asks for it' },
    ]),
  });
});
