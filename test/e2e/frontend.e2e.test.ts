// Issue 16 for front-end teams, against the whole hub: schema/api.graphql is what introspection
// returns, the gateway serves it to signed-in callers also with introspection off and after a
// reload, and the front-end example's typed operations run through Apollo Client, by text and, on a
// gateway with trusted documents on, by the hashes `npm run trusted-documents` registered.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGateway, type RunningGateway } from '@clusterpolisee/gateway';
import { postGraphQL } from '@clusterpolisee/kit/testing';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import { API_SCHEMA_HEADER } from '../../schema/api-schema';
import { claimsOfProject, organisationsOfCountry } from '../../examples/frontend/src/app';
import { createHubClient } from '../../examples/frontend/src/client';
import { startTestHub, type HubCaller, type TestHub } from '../support/hub';

const ROOT = path.resolve(__dirname, '../..');
const PROJECT = 'clusterpolisee';
/** schema/api.graphql without its comment header: the SDL itself. */
const API_SDL = readFileSync(path.join(ROOT, 'schema/api.graphql'), 'utf8').slice(
  API_SCHEMA_HEADER.length + 1,
);

let hub: TestHub;
const extraGateways: RunningGateway[] = [];
const tempDirs: string[] = [];

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(async () => {
  await Promise.all(extraGateways.map((gateway) => gateway.close()));
  await hub?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

async function otherGateway(settings: Parameters<typeof startGateway>[0]): Promise<RunningGateway> {
  const gateway = await startGateway({ ...hub.gatewaySettings, ...settings });
  extraGateways.push(gateway);
  return gateway;
}

const schemaUrl = (gateway: RunningGateway) => new URL('/schema/api.graphql', gateway.url).toString();
const bearer = async (caller: HubCaller) => ({ authorization: `Bearer ${await hub.tokens.mint(caller)}` });

describe('schema/api.graphql', () => {
  it('is what the gateway answers to introspection, printed in the same order', async () => {
    const answer = await postGraphQL<IntrospectionQuery>(hub.gateway.url, getIntrospectionQuery());
    expect(answer.errors).toBeUndefined();
    const introspected = printSchema(lexicographicSortSchema(buildClientSchema(answer.data!)));
    expect(introspected + '\n').toBe(API_SDL);
  });

  it('is served to any signed-in caller, and to nobody else', async () => {
    const url = schemaUrl(hub.gateway);
    const member = await fetch(url, {
      headers: await bearer({ role: 'partner-member', org: 'it-marche-region' }),
    });
    expect(member.status).toBe(200);
    expect(member.headers.get('content-type')).toMatch(/^application\/graphql/);
    expect(await member.text()).toBe(API_SDL);

    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await anonymous.json()).toMatchObject({ errors: [{ code: 'UNAUTHENTICATED' }] });
    const forged = await fetch(url, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    const post = await fetch(url, { method: 'POST', headers: await bearer({ role: 'analyst' }) });
    expect(post.status).toBe(405);
  });

  it('is served when introspection is off, which refuses even an analyst', async () => {
    const closed = await otherGateway({ introspection: false });
    const analyst = await bearer({ role: 'analyst' });
    const refused = await postGraphQL(closed.url, getIntrospectionQuery(), undefined, analyst);
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
    const served = await fetch(schemaUrl(closed), { headers: analyst });
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(API_SDL);
    expect((await fetch(schemaUrl(closed))).status).toBe(401);
  });

  it('follows the supergraph the gateway runs, not the committed file', async () => {
    const dir = tempDir('frontend-supergraph-');
    const supergraph = path.join(dir, 'supergraph.graphql');
    copyFileSync(path.join(ROOT, 'schema/supergraph.graphql'), supergraph);
    const gateway = await otherGateway({ supergraphPath: supergraph });
    const headers = await bearer({ role: 'coordinator' });
    const first = await fetch(schemaUrl(gateway), { headers });
    const etag = first.headers.get('etag')!;
    expect(await first.text()).toBe(API_SDL);
    expect((await fetch(schemaUrl(gateway), { headers: { ...headers, 'if-none-match': etag } })).status).toBe(
      304,
    );

    // A new version of the supergraph (as a publication would make): one description changed.
    const text = readFileSync(supergraph, 'utf8');
    const changed = text.replace(
      /"""\s*At most about 20: the 11 partner countries/,
      '"""Countries, as reloaded. At most about 20: the 11 partner countries',
    );
    expect(changed).not.toBe(text);
    writeFileSync(supergraph, changed);
    let served = '';
    for (let attempt = 0; attempt < 50 && !served.includes('Countries, as reloaded.'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = await (await fetch(schemaUrl(gateway), { headers })).text();
    }
    expect(served).toContain('Countries, as reloaded.');
    expect(served).not.toBe(API_SDL);
  });
});

describe('the front-end example', () => {
  it('runs its public operation, fragment and variables, through Apollo Client', async () => {
    const client = createHubClient({ url: hub.gateway.url });
    const example = await organisationsOfCountry(client, 'IT', 50);
    const expected = await hub.query<{
      organisations: { totalCount: number; nodes: { id: string; name: string }[] };
    }>(
      '{ organisations(filter: { country: "IT" }, first: 50, orderBy: { field: NAME }) { totalCount nodes { id name } } }',
    );
    expect(expected.errors).toBeUndefined();
    expect(example.totalCount).toBe(expected.data!.organisations.totalCount);
    expect(example.totalCount).toBeGreaterThan(0);
    expect(example.organisations.map(({ id, name }) => ({ id, name }))).toEqual(
      expected.data!.organisations.nodes,
    );
    expect(example.organisations.every((o) => o.country.code === 'IT' && o.type)).toBe(true);
  });

  it("runs its operation that needs a token with a finance officer's: only that organisation's claims", async () => {
    const { organisationId, totalCount } = await claimsOfSomeOrganisation();
    const client = createHubClient({
      url: hub.gateway.url,
      token: () => hub.tokens.mint({ role: 'finance-officer', org: organisationId }),
    });
    const mine = await claimsOfProject(client, PROJECT, { first: 100 });
    expect(mine.totalCount).toBe(totalCount);
    expect(mine.claims.length).toBe(Math.min(100, totalCount));
    expect(mine.claims.every((claim) => claim.organisation?.id === organisationId)).toBe(true);
    expect(mine.claims.every((claim) => /^\d+\.\d{2}$/.test(claim.amount.amount))).toBe(true);

    // Without the token the same operation is refused with a code a front end can act on.
    const anonymous = createHubClient({ url: hub.gateway.url });
    await expect(claimsOfProject(anonymous, PROJECT)).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          extensions: expect.objectContaining({ code: expect.stringMatching(/UNAUTHENTICATED|FORBIDDEN/) }),
        }),
      ],
    });
  });

  it('runs by hash on a gateway with trusted documents from `npm run trusted-documents`, which refuses other operations', async () => {
    const dir = tempDir('frontend-trusted-');
    const command = await promisify(execFile)(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['examples/frontend/tools/trusted-documents-cli.ts', '--app', 'frontend-example', '--out', dir],
      { cwd: ROOT },
    );
    expect(command.stdout).toMatch(/frontend-example: 2 operations/);
    expect(readdirSync(dir)).toHaveLength(2);
    const gateway = await otherGateway({ trustedDocuments: { enabled: true, dir } });

    const { organisationId, totalCount } = await claimsOfSomeOrganisation();
    const officer = createHubClient({
      url: gateway.url,
      token: () => hub.tokens.mint({ role: 'finance-officer', org: organisationId }),
      persistedDocuments: true,
    });
    expect((await claimsOfProject(officer, PROJECT, { first: 100 })).totalCount).toBe(totalCount);
    const anonymous = createHubClient({ url: gateway.url, persistedDocuments: true });
    expect((await organisationsOfCountry(anonymous, 'IT')).totalCount).toBeGreaterThan(0);

    // Any operation not listed, by text or by an unknown hash, is refused for the app's callers.
    const headers = await bearer({ role: 'finance-officer', org: organisationId });
    const other = await postGraphQL(gateway.url, '{ countries { code } }', undefined, headers);
    expect(other.status).toBe(403);
    expect(other.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    const unknownHash = await fetch(gateway.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }),
    });
    expect(unknownHash.status).toBe(403);
    expect(await unknownHash.json()).toMatchObject({
      errors: [{ extensions: { code: 'OPERATION_NOT_TRUSTED' } }],
    });
  });
});

/** An organisation with claims in the project, and how many an analyst counts for it. */
async function claimsOfSomeOrganisation(): Promise<{ organisationId: string; totalCount: number }> {
  const analyst: HubCaller = { role: 'analyst' };
  const some = await hub.query<{ claims: { nodes: { organisation: { id: string } }[] } }>(
    `{ claims(projectId: "${PROJECT}", first: 1) { nodes { organisation { id } } } }`,
    undefined,
    analyst,
  );
  const organisationId = some.data!.claims.nodes[0]!.organisation.id;
  const counted = await hub.query<{ claims: { totalCount: number } }>(
    `query ($org: ID!) { claims(projectId: "${PROJECT}", filter: { organisationId: $org }) { totalCount } }`,
    { org: organisationId },
    analyst,
  );
  expect(counted.data!.claims.totalCount).toBeGreaterThan(0);
  return { organisationId, totalCount: counted.data!.claims.totalCount };
}
