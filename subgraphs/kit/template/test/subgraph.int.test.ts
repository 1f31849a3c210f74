import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { subgraph } from '../src';

const ADD = `mutation ($input: AddCertificationInput!) {
  addCertification(input: $input) { id title issuedOn organisation { id } }
}`;
const input = (organisationId: string, title: string) => ({
  organisationId,
  title,
  issuedOn: '2013-04-02',
  source: 'synthetic',
});

let service: TestSubgraph;
beforeAll(async () => {
  service = await startTestSubgraph(subgraph);
});
afterAll(() => service?.close());

test('serves its SDL, extending Organisation by its key', async () => {
  const { data } = await service.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  expect(data?._service.sdl).toMatch(/type Organisation\s+@key\(fields: "id"\)/);
  expect(data?._service.sdl).toContain('certifications: [Certification!]\n');
});

test("a partner records its own organisation's certification, and the organisation shows it", async () => {
  const added = await service.query(
    ADD,
    { input: input('org-a', 'ISO 9001') },
    {
      as: { role: 'partner-member', org: 'org-a' },
    },
  );
  expect(added.errors).toBeUndefined();
  const { data } = await service.query<{ _entities: { certifications: { title: string }[] }[] }>(
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { certifications { title } } } }',
    {
      r: [
        { __typename: 'Organisation', id: 'org-a' },
        { __typename: 'Organisation', id: 'org-b' },
      ],
    },
  );
  expect(data?._entities).toEqual([{ certifications: [{ title: 'ISO 9001' }] }, { certifications: [] }]);
});

test('the write scope is required, and a partner cannot certify another organisation', async () => {
  const before = await service.storedDocuments();
  const anonymous = await service.query(
    ADD,
    { input: input('org-a', 'EMAS') },
    { as: { role: 'anonymous' } },
  );
  expect(anonymous.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
  const other = await service.query(
    ADD,
    { input: input('org-b', 'EMAS') },
    {
      as: { role: 'partner-member', org: 'org-a' },
    },
  );
  expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await service.storedDocuments()).toBe(before);
});
