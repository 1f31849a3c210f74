import { seedPartners } from '@clusterpolisee/infra/seed/partners';
import { UNIQUE_SEATS_COLLECTION } from '@clusterpolisee/kit';
import { raceOutcome, startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { partners } from '.';
import { Organisation, ProjectPartner } from './entities';

/**
 * The one-lead and one-number rules of a project under simultaneous requests (issue 17): each
 * race sends 20 requests at once, then checks what is stored, not just what was answered.
 */
let subgraph: TestSubgraph;
const SIMULTANEOUS = 20;
/** Live organisations of the seed, one per racing request. */
let organisations: string[];

beforeAll(async () => {
  subgraph = await startTestSubgraph(partners);
  await seedPartners(subgraph.orm.em.fork(), { scale: 1 });
  const live = await subgraph.orm.em
    .fork()
    .find(Organisation, { archived: false }, { orderBy: { _id: 'asc' }, limit: SIMULTANEOUS });
  organisations = live.map((organisation) => organisation._id);
  expect(organisations).toHaveLength(SIMULTANEOUS);
}, 60_000);
afterAll(() => subgraph?.close());

const ADD_PARTNER = `mutation($input: AddProjectPartnerInput!) {
  addProjectPartner(input: $input) { id role partnerNumber version } }`;
const UPDATE_PARTNER = `mutation($id: ID!, $version: Int!, $input: UpdateProjectPartnerInput!) {
  updateProjectPartner(id: $id, version: $version, input: $input) { id partnerNumber version } }`;
const ARCHIVE_PARTNER = `mutation($id: ID!, $version: Int!) { archiveProjectPartner(id: $id, version: $version) { id version } }`;

const addInput = (projectId: string, organisationId: string, fields: Record<string, unknown>) => ({
  input: {
    projectId,
    organisationId,
    role: 'PARTNER',
    joinedOn: '2020-01-01',
    source: 'synthetic',
    ...fields,
  },
});

type Added = { addProjectPartner: { id: string; version: number } };

async function add(projectId: string, organisationId: string, fields: Record<string, unknown> = {}) {
  const result = await subgraph.query<Added>(ADD_PARTNER, addInput(projectId, organisationId, fields));
  expect(result.errors).toBeUndefined();
  return result.data!.addProjectPartner;
}

const live = (filter: Record<string, unknown>) =>
  subgraph.orm.em.fork().find(ProjectPartner, { ...filter, archived: false });
const seat = (key: string) =>
  subgraph.orm.em
    .getConnection()
    .getDb()
    .collection<{ _id: string; holder: string }>(UNIQUE_SEATS_COLLECTION)
    .findOne({ _id: key });

/** Sends all at once; every refusal must be BAD_USER_INPUT naming `field`. */
async function race(requests: (() => Promise<{ errors?: unknown }>)[], field: string) {
  const results = await Promise.all(requests.map((send) => send()));
  const outcome = raceOutcome(results as Parameters<typeof raceOutcome>[0]);
  const codes = results.flatMap(
    (r) =>
      (r.errors as { extensions?: { code?: string } }[] | undefined)?.map((e) => e.extensions?.code) ?? [],
  );
  expect({
    winners: outcome.winners,
    codes: new Set(codes),
    fields: new Set(outcome.refusals.map((r) => r.field)),
  }).toEqual({
    winners: 1,
    codes: new Set(['BAD_USER_INPUT']),
    fields: new Set([field]),
  });
  expect(outcome.refusals).toHaveLength(SIMULTANEOUS - 1);
  return results;
}

describe.each([1, 2, 3])('round %i', (round) => {
  test('20 simultaneous additions of a lead: one is accepted, the others refused on input.role', async () => {
    const projectId = `lead-race-${round}`;
    await race(
      organisations.map(
        (org) => () =>
          subgraph.query(ADD_PARTNER, addInput(projectId, org, { role: 'LEAD', partnerNumber: 'LP' })),
      ),
      'input.role',
    );
    const leads = await live({ projectId, role: 'LEAD' });
    expect(leads).toHaveLength(1);
    expect(await live({ projectId })).toHaveLength(1);
    expect(await seat(`ProjectPartner:${projectId}:LEAD`)).toMatchObject({ holder: leads[0]!._id });
  });

  test('20 simultaneous additions with one number: one is accepted, the others refused on input.partnerNumber', async () => {
    const projectId = `number-race-${round}`;
    await race(
      organisations.map(
        (org) => () => subgraph.query(ADD_PARTNER, addInput(projectId, org, { partnerNumber: 'PP7' })),
      ),
      'input.partnerNumber',
    );
    expect(await live({ projectId, partnerNumber: 'PP7' })).toHaveLength(1);
    expect(await live({ projectId })).toHaveLength(1);
  });

  test('20 partners moved to one number at once: one is moved, the others refused on input.partnerNumber', async () => {
    const projectId = `move-race-${round}`;
    const added: Added['addProjectPartner'][] = [];
    for (const [i, org] of organisations.entries())
      added.push(await add(projectId, org, { partnerNumber: `PP${i + 1}` }));
    await race(
      added.map(
        (partner) => () =>
          subgraph.query(UPDATE_PARTNER, {
            id: partner.id,
            version: partner.version,
            input: { partnerNumber: 'PP30' },
          }),
      ),
      'input.partnerNumber',
    );
    const holders = await live({ projectId, partnerNumber: 'PP30' });
    expect(holders).toHaveLength(1);
    // The winner let go of its old number, the losers kept theirs.
    const numbers = (await live({ projectId })).map((p) => p.partnerNumber).sort();
    expect(numbers).toHaveLength(SIMULTANEOUS);
    expect(new Set(numbers).size).toBe(SIMULTANEOUS);
  });
});

describe('numbers given up', () => {
  const projectId = 'freed-numbers';
  const [first, second, third] = [0, 1, 2];

  test('a number freed by renumbering, then by archiving, can be taken again', async () => {
    const holder = await add(projectId, organisations[first]!, { partnerNumber: 'PP3' });
    const other = await add(projectId, organisations[second]!);
    const refused = await subgraph.query(UPDATE_PARTNER, {
      id: other.id,
      version: 1,
      input: { partnerNumber: 'PP3' },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.partnerNumber',
    });
    expect(refused.errors?.[0]?.message).toBe(
      `input.partnerNumber: "PP3" is already the number of ${organisations[first]} in project "${projectId}"`,
    );

    const renumbered = await subgraph.query(UPDATE_PARTNER, {
      id: holder.id,
      version: 1,
      input: { partnerNumber: 'PP4' },
    });
    expect(renumbered.errors).toBeUndefined();
    expect(await seat(`ProjectPartner:${projectId}:number:PP3`)).toBeNull();
    const taken = await subgraph.query(UPDATE_PARTNER, {
      id: other.id,
      version: 1,
      input: { partnerNumber: 'PP3' },
    });
    expect(taken.errors).toBeUndefined();

    const archived = await subgraph.query(ARCHIVE_PARTNER, { id: other.id, version: 2 });
    expect(archived.errors).toBeUndefined();
    expect(await seat(`ProjectPartner:${projectId}:number:PP3`)).toBeNull();
    await add(projectId, organisations[third]!, { partnerNumber: 'PP3' });
    expect((await live({ projectId, partnerNumber: 'PP3' })).map((p) => p.organisationId)).toEqual([
      organisations[third],
    ]);
  });

  test('a lead freed by a change of role can be taken again', async () => {
    const lead = await add('freed-lead', organisations[first]!, { role: 'LEAD', partnerNumber: 'LP' });
    const demoted = await subgraph.query(UPDATE_PARTNER, {
      id: lead.id,
      version: 1,
      input: { role: 'PARTNER', partnerNumber: 'PP1' },
    });
    expect(demoted.errors).toBeUndefined();
    await add('freed-lead', organisations[second]!, { role: 'LEAD', partnerNumber: 'LP' });
  });
});

describe('partnerships stored before seats existed', () => {
  test('the seeded lead of ClusterPoliSEE is respected, and no seat is left behind', async () => {
    const [seeded] = await live({ projectId: 'clusterpolisee', role: 'LEAD' });
    const challenger = organisations.find((org) => org !== seeded!.organisationId)!;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        subgraph.query(UPDATE_PARTNER, {
          id: `clusterpolisee--${challenger}`,
          version: 1,
          input: { role: 'LEAD', partnerNumber: 'LP' },
        }),
      ),
    );
    for (const result of results) {
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.role' });
      expect(result.errors?.[0]?.message).toBe(
        `input.role: project "clusterpolisee" already has a lead partner (${seeded!.organisationId}); a project has one`,
      );
    }
    expect(await live({ projectId: 'clusterpolisee', role: 'LEAD' })).toHaveLength(1);
    expect(await seat('ProjectPartner:clusterpolisee:LEAD')).toBeNull();
  });
});
