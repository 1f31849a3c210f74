import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCandidate } from './check';
import { HUB_POLICY_NAMES, unknownPolicyNames } from './policy-names';

const SUBGRAPHS = join(__dirname, '../../subgraphs');

const partner = (policy: string, link = 'import: ["@key", "@policy"]') => `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", ${link})
type Organisation @key(fields: "id") {
  id: ID!
  note: String ${policy}
}
`;

it("knows every @policy the hub's own subgraphs name", () => {
  for (const name of readdirSync(SUBGRAPHS)) {
    let sdl: string;
    try {
      sdl = readFileSync(join(SUBGRAPHS, name, 'schema.graphql'), 'utf8');
    } catch {
      continue;
    }
    expect(unknownPolicyNames(name, sdl)).toEqual([]);
  }
  expect([...HUB_POLICY_NAMES].sort()).toEqual(['own-organisation', 'published-or-own-draft']);
});

it('names the subgraph, the field and the unknown name, also under a renamed or unimported directive', () => {
  const problems = unknownPolicyNames(
    'acme',
    partner('@policy(policies: [["own-organisation", "acme-staff"]])'),
  );
  expect(problems).toEqual([
    expect.objectContaining({
      code: 'UNKNOWN_POLICY',
      subgraph: 'acme',
      message: expect.stringMatching(
        /^\[acme\] Organisation\.note names the @policy "acme-staff", which the hub does not define/,
      ),
      locations: [expect.objectContaining({ line: 5 })],
    }),
  ]);
  expect(
    unknownPolicyNames(
      'acme',
      partner('@rule(policies: [["x"]])', 'import: ["@key", { name: "@policy", as: "@rule" }]'),
    ),
  ).toHaveLength(1);
  expect(
    unknownPolicyNames('acme', partner('@federation__policy(policies: [["x"]])', 'import: ["@key"]')),
  ).toHaveLength(1);
  expect(unknownPolicyNames('acme', partner('@policy(policies: [["own-organisation"]])'))).toEqual([]);
});

it('refuses a publish with an unknown @policy name, and lets one with known names through', () => {
  const refused = checkCandidate(
    {
      name: 'acme',
      url: 'http://acme.example:4001/graphql',
      sdl: partner('@policy(policies: [["acme-staff"]])'),
    },
    [],
  );
  expect(refused).toMatchObject({
    ok: false,
    errors: [{ code: 'UNKNOWN_POLICY', message: expect.stringContaining('"acme-staff"') }],
  });
  const accepted = checkCandidate(
    {
      name: 'acme',
      url: 'http://acme.example:4001/graphql',
      sdl: partner('@policy(policies: [["own-organisation"]])'),
    },
    [],
  );
  expect(accepted.ok).toBe(true);
});
