import { startTestHub, type TestHub } from '../support/hub';

/**
 * The rules end to end: a token verified at the gateway becomes the signed identity a subgraph
 * enforces its SDL and record rules with, and the audit trail names the token's subject. Each
 * subgraph's own tests go through every role and field; this shows the chain holds through the
 * real gateway.
 */
let hub: TestHub;

interface Claim {
  id: string;
  version: number;
  status: string;
  amount: { amount: string };
  organisation: { id: string };
}

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.close());

const CLAIMS = `{ claims(projectId: "clusterpolisee", first: 100) { totalCount nodes { id version status amount { amount } organisation { id } } } }`;

async function allClaims(as = { role: 'admin' }): Promise<Claim[]> {
  const result = await hub.query<{ claims: { nodes: Claim[]; totalCount: number } }>(CLAIMS, undefined, as);
  expect(result.errors).toBeUndefined();
  return result.data!.claims.nodes;
}

test('anonymous callers see the public partnership but neither claims nor contact details', async () => {
  const result = await hub.query<{ organisations: { nodes: { name: string }[] } }>(
    `{ organisations(first: 5) { nodes { name } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data!.organisations.nodes).toHaveLength(5);

  const claims = await hub.query(CLAIMS);
  expect(claims.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  const people = await hub.query(`{ people(first: 1) { nodes { name email } } }`);
  expect(people.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
    ['people.nodes.0.email', 'UNAUTHENTICATED'],
  ]);
});

test("a finance officer sees only its organisation's claims, and cannot change another's", async () => {
  const every = await allClaims();
  const mine = every[0]!.organisation.id;
  const officer = { role: 'finance-officer', org: mine!, sub: 'officer@e2e' };

  const seen = await allClaims(officer);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((claim) => claim.organisation.id === mine)).toBe(true);
  const count = `query($org: ID) { claims(projectId: "clusterpolisee", filter: { organisationId: $org }) { totalCount } }`;
  const asOfficer = await hub.query<{ claims: { totalCount: number } }>(count, {}, officer);
  const asAdmin = await hub.query<{ claims: { totalCount: number } }>(
    count,
    { org: mine },
    { role: 'admin' },
  );
  expect(asOfficer.data!.claims.totalCount).toBe(asAdmin.data!.claims.totalCount);

  const target = every.find((claim) => claim.organisation.id !== mine)!;
  const refused = await hub.query(
    `mutation($id: ID!, $version: Int!) { updateClaim(id: $id, version: $version, input: { amount: "1.00" }) { id } }`,
    { id: target.id, version: target.version },
    officer,
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await allClaims()).find((claim) => claim.id === target.id)).toEqual(target);
});

test("the audit trail names the token's subject and role for a change made through the gateway", async () => {
  const claim = (await allClaims()).find((c) => c.status === 'SUBMITTED')!;
  const controller = { role: 'controller', sub: 'flc-controller@e2e' };
  const validated = await hub.query(
    `mutation($id: ID!, $version: Int!, $on: String!) { validateClaim(id: $id, version: $version, controller: "FLC", validatedOn: $on) { status } }`,
    { id: claim.id, version: claim.version, on: new Date().toISOString().slice(0, 10) },
    controller,
  );
  expect(validated.errors).toBeUndefined();

  const trail = await hub.query<{
    projectsAuditLog: {
      nodes: { actor: string; actorRole: string; action: string; changes: { field: string }[] }[];
    };
  }>(
    `query($id: ID!) { projectsAuditLog(recordId: $id) { nodes { actor actorRole action changes { field } } } }`,
    { id: claim.id },
    { role: 'coordinator' },
  );
  expect(trail.errors).toBeUndefined();
  expect(trail.data!.projectsAuditLog.nodes[0]).toMatchObject({
    actor: 'flc-controller@e2e',
    actorRole: 'controller',
    action: 'UPDATE',
  });
  expect(trail.data!.projectsAuditLog.nodes[0]!.changes.map((c) => c.field)).toEqual(
    expect.arrayContaining(['status', 'controller', 'validatedOn']),
  );
  const partner = await hub.query(`{ projectsAuditLog { totalCount } }`, undefined, {
    role: 'partner-member',
    org: 'it-marche-region',
  });
  expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test("a subgraph called directly, without the gateway's signature, refuses even a public query", async () => {
  for (const subgraph of Object.values(hub.subgraphs)) {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await hub.tokens.mint({ role: 'admin' })}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  }
});

test('a bad token and a query bomb are refused at the gateway before any subgraph works', async () => {
  hub.resetCommandCounts();
  const expired = await hub.tokens.mint({ role: 'admin', expiresIn: -60 });
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
    body: JSON.stringify({ query: '{ organisations { totalCount } }' }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

  const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: organisations { totalCount }`).join(' ');
  const bomb = await hub.query(`{ ${aliases} }`);
  expect(bomb.errors?.[0]?.message).toMatch(/alias/i);
  expect(hub.commandCount()).toBe(0);
});

test("the audit trail records the gateway's request id, and a client's own id only apart, as the client's", async () => {
  const claim = (await allClaims()).filter((c) => c.status === 'SUBMITTED').at(-1)!;
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await hub.tokens.mint({ role: 'controller', sub: 'flc-ids@e2e' })}`,
      // An id another request (or another client) may use as well: no proof of anything.
      'x-request-id': 'chosen-by-the-client',
    },
    body: JSON.stringify({
      query: `mutation($id: ID!, $version: Int!) { validateClaim(id: $id, version: $version, controller: "FLC", validatedOn: "2020-08-01") { status } }`,
      variables: { id: claim.id, version: claim.version },
    }),
  });
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  const gatewayId = response.headers.get('x-request-id');
  expect(gatewayId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(response.headers.get('x-client-request-id')).toBe('chosen-by-the-client');

  const trail = await hub.query<{
    projectsAuditLog: { nodes: { actor: string; requestId: string; clientRequestId: string | null }[] };
  }>(
    `query($id: ID!) { projectsAuditLog(recordId: $id) { nodes { actor requestId clientRequestId } } }`,
    { id: claim.id },
    { role: 'coordinator' },
  );
  expect(trail.errors).toBeUndefined();
  expect(trail.data!.projectsAuditLog.nodes[0]).toEqual({
    actor: 'flc-ids@e2e',
    requestId: gatewayId,
    clientRequestId: 'chosen-by-the-client',
  });
});
