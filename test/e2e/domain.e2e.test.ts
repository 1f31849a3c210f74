import { startTestHub, type TestHub } from '../support/hub';

// The questions front ends and analysts ask, each one query through the gateway, answered from
// the seeded facts of ClusterPoliSEE.
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.close());

/** As an analyst: claims are not public, and analysts read everything but personal data. */
async function ask<T>(query: string): Promise<T> {
  const result = await hub.query<T>(query, undefined, { role: 'analyst' });
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

const cents = (amount: string) => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

test('partners by country, with counts', async () => {
  const data = await ask<{
    partnerCountsByCountry: { country: { code: string; name: string }; count: number }[];
  }>(`{ partnerCountsByCountry(projectId: "clusterpolisee") { country { code name } count } }`);
  const counts = Object.fromEntries(data.partnerCountsByCountry.map((row) => [row.country.code, row.count]));
  expect(counts).toEqual({ AT: 2, BG: 1, GR: 3, HU: 2, IT: 4, RO: 4, SK: 3, SI: 2, AL: 1, HR: 1, RS: 2 });
  expect(data.partnerCountsByCountry.reduce((sum, row) => sum + row.count, 0)).toBe(25);
  expect(data.partnerCountsByCountry.find((row) => row.country.code === 'SI')?.country.name).toBe('Slovenia');
});

test('the lead partner', async () => {
  const data = await ask<{
    project: {
      acronym: string;
      partners: {
        role: string;
        partnerNumber: string;
        organisation: { name: string; country: { code: string } };
      }[];
    };
  }>(
    `{ project(id: "clusterpolisee") { acronym partners(role: LEAD) { role partnerNumber organisation { name country { code } } } } }`,
  );
  expect(data.project.acronym).toBe('ClusterPoliSEE');
  expect(data.project.partners).toEqual([
    { role: 'LEAD', partnerNumber: 'LP', organisation: { name: 'Marche Region', country: { code: 'IT' } } },
  ]);
});

test("the project's total budget is exactly EUR 5,186,352.00, and the partner budgets add up to it", async () => {
  const data = await ask<{
    project: { totalBudget: { amount: string; currency: string } };
    partnerBudgets: { totalCount: number; nodes: { total: { amount: string } }[] };
  }>(`{
    project(id: "clusterpolisee") { totalBudget { amount currency } }
    partnerBudgets(projectId: "clusterpolisee", first: 100) { totalCount nodes { total { amount } } }
  }`);
  expect(data.project.totalBudget).toEqual({ amount: '5186352.00', currency: 'EUR' });
  expect(data.partnerBudgets.totalCount).toBe(25);
  expect(data.partnerBudgets.nodes.reduce((sum, b) => sum + cents(b.total.amount), 0)).toBe(518_635_200);
});

test('each working group with its lead and members', async () => {
  const data = await ask<{
    workingGroups: {
      code: string;
      title: string;
      lead: { name: string } | null;
      members: { name: string }[];
    }[];
  }>(`{ workingGroups { code title lead { name } members { name } } }`);
  expect(data.workingGroups.map((wg) => wg.code)).toEqual(['WG1', 'WG2', 'WG3', 'WG4', 'WG5', 'WG6']);
  const wg3 = data.workingGroups.find((wg) => wg.code === 'WG3')!;
  expect(wg3.title).toBe('International cluster cooperation and networking');
  expect(wg3.lead).toEqual({ name: 'Bulgarian Small and Medium Enterprises Promotion Agency' });
  expect(wg3.members.map((m) => m.name)).toContain('Bulgarian Small and Medium Enterprises Promotion Agency');
  for (const wg of data.workingGroups) {
    if (wg.code !== 'WG3') expect(wg.lead).toBeNull(); // not public
    for (const member of wg.members) expect(member.name).toEqual(expect.any(String)); // resolved by partners
  }
});

test('one partner with its budgets, claims, working groups and events', async () => {
  interface Partner {
    id: string;
    name: string;
    budgets: { total: { amount: string } }[];
    claims: { amount: { amount: string }; status: string }[];
    workingGroups: { code: string }[];
    events: { id: string; host: { id: string } }[];
  }
  const fields = `id name budgets { total { amount } } claims { amount { amount } status } workingGroups { code } events { id host { id } }`;
  const all = await ask<{ organisations: { nodes: Partner[] } }>(
    `{ organisations(first: 100) { nodes { ${fields} } } }`,
  );
  const partner = all.organisations.nodes.find(
    (o) => o.budgets.length && o.claims.length && o.workingGroups.length && o.events.length,
  );
  expect(partner).toBeDefined();

  const one = await ask<{ organisation: Partner; claims: { totalCount: number } }>(`{
    organisation(id: "${partner!.id}") { ${fields} }
    claims(projectId: "clusterpolisee", first: 1, filter: { organisationId: "${partner!.id}" }) { totalCount }
  }`);
  expect(one.organisation).toEqual(partner);
  expect(one.claims.totalCount).toBe(partner!.claims.length);
  for (const event of one.organisation.events) expect(event.host.id).toBe(partner!.id);

  const ida = await ask<{ organisation: { budgets: { total: { amount: string } }[] } }>(
    `{ organisation(id: "hr-istrian-development-agency") { budgets { total { amount } } } }`,
  );
  expect(ida.organisation.budgets).toEqual([{ total: { amount: '203500.00' } }]);
});

test('absorption by country matches the claims and budgets it summarises', async () => {
  const data = await ask<{
    absorption: { key: string; budget: { amount: string }; spent: { amount: string }; rate: string | null }[];
  }>(
    `{ absorption(projectId: "clusterpolisee", by: COUNTRY) { key budget { amount } spent { amount } rate } }`,
  );
  expect(data.absorption.map((row) => row.key).sort()).toEqual([
    'AL',
    'AT',
    'BG',
    'GR',
    'HR',
    'HU',
    'IT',
    'RO',
    'RS',
    'SI',
    'SK',
  ]);
  expect(data.absorption.reduce((sum, row) => sum + cents(row.budget.amount), 0)).toBe(518_635_200);

  // Spent recomputed here from every claim, page by page: validated and paid claims count.
  const spent = new Map<string, number>();
  let after: string | null = null;
  for (;;) {
    const page: {
      claims: {
        nodes: { countryCode: string; status: string; amount: { amount: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await ask(`{ claims(projectId: "clusterpolisee", first: 100${after ? `, after: "${after}"` : ''}) {
      nodes { countryCode status amount { amount } } pageInfo { hasNextPage endCursor } } }`);
    for (const claim of page.claims.nodes) {
      if (claim.status === 'VALIDATED' || claim.status === 'PAID') {
        spent.set(claim.countryCode, (spent.get(claim.countryCode) ?? 0) + cents(claim.amount.amount));
      }
    }
    if (!page.claims.pageInfo.hasNextPage) break;
    after = page.claims.pageInfo.endCursor;
  }
  for (const row of data.absorption) {
    expect(cents(row.spent.amount)).toBe(spent.get(row.key) ?? 0);
    const expectedRate = (
      Math.round((cents(row.spent.amount) / cents(row.budget.amount)) * 10_000) / 10_000
    ).toFixed(4);
    expect(row.rate).toBe(expectedRate);
  }
});

test('a news item in Bulgarian, and the English fallback where Bulgarian is missing', async () => {
  const data = await ask<{
    news: { nodes: { id: string; languages: string[]; title: string; language: string; english: string }[] };
  }>(
    `{ news(first: 50) { nodes { id languages title(lang: "bg") language(lang: "bg") english: title(lang: "en") } } }`,
  );
  const bulgarian = data.news.nodes.find((n) => n.languages.includes('bg'));
  const englishOnly = data.news.nodes.find((n) => !n.languages.includes('bg'));
  expect(bulgarian?.language).toBe('bg');
  expect(bulgarian?.title).toMatch(/[\u0400-\u04FF]/);
  expect(bulgarian?.title).not.toBe(bulgarian?.english);
  expect(englishOnly?.language).toBe('en');
  expect(englishOnly?.title).toBe(englishOnly?.english);
});
