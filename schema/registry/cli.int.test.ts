// `npm run subgraph -- ...` as people run it: tsx on cli.ts in a child process, against the test
// run's database (a registry database of its own), with a partner subgraph really running for the
// command that reads `_service { sdl }`.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateIdentityKeyPem, identitySigningKey } from '@clusterpolisee/kit/auth';
import { MongoClient } from 'mongodb';
import { partnerSdl, startPartnerSubgraph, type PartnerSubgraph } from '../../test/support/partner-subgraph';
import { RegistryStore } from './store';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'schema/registry/cli.ts');

let dir: string;
let database: string;
let keyFile: string;
let partner: PartnerSubgraph;
let client: MongoClient;
let store: RegistryStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'registry-cli-'));
  database = `registry_cli_${randomUUID().slice(0, 8)}`;
  const pem = generateIdentityKeyPem();
  keyFile = path.join(dir, 'identity.key.pem');
  writeFileSync(keyFile, pem, { mode: 0o600 });
  partner = await startPartnerSubgraph('acme', 'acmeRating', (await identitySigningKey(pem)).jwks);
  client = new MongoClient(process.env.MONGODB_URI!);
  store = RegistryStore.open({ client, database });
});

afterAll(async () => {
  await partner?.close();
  await client
    ?.db(database)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        GATEWAY_REGISTRY_DATABASE: database,
        GATEWAY_IDENTITY_KEY_FILE: keyFile,
        HUB_REGISTRY_AUTHOR: 'cli-test',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

it('check, publish, list, history, rollback and remove', async () => {
  const badSdl = path.join(dir, 'bad.graphql');
  writeFileSync(badSdl, partnerSdl('acmeRating').replace('acmeRating: String', 'name: Int'));
  const refused = await cli('check', 'acme', '--url', partner.url, '--sdl', badSdl);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/FIELD_TYPE_MISMATCH/);
  expect(refused.stderr).toContain(`at acme (${badSdl}:5:3)`);
  expect(await store.latestVersion()).toBe(0);
  expect((await cli('publish', 'acme', '--url', partner.url, '--sdl', badSdl)).code).toBe(1);
  expect(await store.latestVersion()).toBe(0);

  // Without --sdl: read from the running subgraph, signed with GATEWAY_IDENTITY_KEY_FILE.
  const checked = await cli('check', 'acme', '--url', partner.url);
  expect(checked).toMatchObject({ code: 0, stdout: expect.stringMatching(/acme composes/) });
  const published = await cli('publish', 'acme', '--url', partner.url);
  expect(published).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/Supergraph version 1 stored \(publish acme, by cli-test/),
  });
  expect((await store.get(1))?.supergraphSdl).toContain('acmeRating');

  const v2Sdl = path.join(dir, 'v2.graphql');
  writeFileSync(v2Sdl, partnerSdl('acmeScore'));
  expect((await cli('publish', 'acme', '--url', partner.url, '--sdl', v2Sdl)).code).toBe(0);

  const list = await cli('list');
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/Supergraph version 2 \(publish acme, by cli-test/);
  expect(list.stdout).toContain(partner.url);

  const rollback = await cli('rollback', '1');
  expect(rollback).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/version 3 stored \(rollback to version 1/),
  });
  expect((await store.get(3))?.supergraphSdl).toContain('acmeRating');
  expect((await store.get(3))?.supergraphSdl).not.toContain('acmeScore');
  expect((await cli('rollback', '42')).code).toBe(1);

  const removed = await cli('remove', 'acme');
  expect(removed).toMatchObject({ code: 0, stdout: expect.stringMatching(/version 4 stored \(remove acme/) });
  expect((await store.get(4))?.supergraphSdl).not.toContain('acme');
  expect((await cli('remove', 'acme')).code).toBe(1);

  const history = await cli('history', 'acme');
  expect(history.code).toBe(0);
  expect(history.stdout.trim().split('\n')).toHaveLength(4);
  expect(history.stdout).toMatch(/version 1 .* publish .* by cli-test/);
  expect(history.stdout).toMatch(/version 3 .* rollback to version 1 /);
  expect(history.stdout).toMatch(/version 4 .* remove .*\(not registered\)/);

  const trail = await store.auditTrail();
  expect(trail.map((entry) => entry.action)).toEqual(['PUBLISH', 'PUBLISH', 'ROLLBACK', 'REMOVE']);
  expect(new Set(trail.map((entry) => entry.actor))).toEqual(new Set(['cli-test']));
});

it("refuses a subgraph named like one of the hub's own, and an unknown command, with exit code 1", async () => {
  const sdl = path.join(dir, 'own.graphql');
  writeFileSync(sdl, partnerSdl('x'));
  const own = await cli('check', 'partners', '--url', partner.url, '--sdl', sdl);
  expect(own.code).toBe(1);
  expect(own.stderr).toMatch(/RESERVED_NAME/);
  expect((await cli('frobnicate')).code).toBe(1);
  expect((await cli('check', 'acme')).stderr).toMatch(/--url <url> is required/);
});
