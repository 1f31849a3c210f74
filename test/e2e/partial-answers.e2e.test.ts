// A refused field nulls itself, not the answer around it: every root field, every field behind an
// auth directive and every mutation is nullable (README, "Partial answers"), so a caller keeps
// what it may see, and the results of the writes that did happen.
import { startTestHub, type TestHub } from '../support/hub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub?.close());

const MARCHE = 'it-marche-region';

test('an anonymous caller asking for organisations and claims gets the organisations and an error for claims', async () => {
  const result = await hub.query<{
    organisations: { totalCount: number; nodes: { id: string; name: string }[] } | null;
    claims: { totalCount: number } | null;
  }>(`{
    organisations(first: 5, filter: { country: "IT" }) { totalCount nodes { id name } }
    claims(projectId: "clusterpolisee") { totalCount }
  }`);
  expect(result.status).toBe(200);
  expect(result.data?.organisations?.totalCount).toBe(4);
  expect(result.data?.organisations?.nodes.map((o) => o.id)).toContain(MARCHE);
  expect(result.data?.claims).toBeNull();
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]).toMatchObject({
    path: ['claims'],
    extensions: { code: 'UNAUTHENTICATED' },
    message: expect.stringContaining('claims'),
  });
});

test('a signed-in caller without the scope gets FORBIDDEN for that field alone', async () => {
  const result = await hub.query<{
    organisation: { name: string } | null;
    partnersAuditLog: { totalCount: number } | null;
  }>(`{ organisation(id: "${MARCHE}") { name } partnersAuditLog(first: 1) { totalCount } }`, undefined, {
    role: 'analyst',
  });
  expect(result.data).toEqual({ organisation: { name: 'Marche Region' }, partnersAuditLog: null });
  expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
    [['partnersAuditLog'], 'FORBIDDEN'],
  ]);
});

test('a refused mutation leaves the result of the one that was carried out', async () => {
  const partner = { role: 'partner-member', org: MARCHE, sub: 'partial-answers' } as const;
  const before = await hub.query<{
    organisation: { version: number };
    organisations: { nodes: { id: string; version: number }[] };
  }>(`{
    organisation(id: "${MARCHE}") { version }
    organisations(first: 1, filter: { country: "SI" }) { nodes { id version } }
  }`);
  const version = before.data!.organisation.version;
  const other = before.data!.organisations.nodes[0]!;
  // The first is the partner's own organisation (allowed); the second needs the coordinator's
  // scope (refused by the gateway); the third is another partner's record (refused by the
  // partners subgraph's record rule).
  const result = await hub.query<Record<string, { id: string; website: string | null } | null>>(
    `mutation Save($version: Int!, $other: ID!, $otherVersion: Int!) {
      own: updateOrganisation(id: "${MARCHE}", version: $version, input: { website: "https://example.org/marche" }) { id website }
      create: createOrganisation(input: { name: "Refused Agency", countryCode: "IT", legalStatus: PUBLIC, type: NGO, source: "synthetic" }) { id website }
      other: updateOrganisation(id: $other, version: $otherVersion, input: { website: "https://example.org/other" }) { id website }
    }`,
    { version, other: other.id, otherVersion: other.version },
    partner,
  );
  expect(result.data).toEqual({
    own: { id: MARCHE, website: 'https://example.org/marche' },
    create: null,
    other: null,
  });
  expect(Object.fromEntries(result.errors!.map((e) => [e.path?.[0], e.extensions?.code]))).toEqual({
    create: 'FORBIDDEN',
    other: 'FORBIDDEN',
  });
  const after = await hub.query<{ organisation: { website: string; version: number } }>(
    `{ organisation(id: "${MARCHE}") { website version } }`,
  );
  expect(after.data?.organisation).toEqual({ website: 'https://example.org/marche', version: version + 1 });
  const untouched = await hub.query<{ organisation: { version: number } }>(
    `{ organisation(id: "${other.id}") { version } }`,
  );
  expect(untouched.data?.organisation.version).toBe(other.version);
});
