import { compareSdl } from './drift';

const PUBLISHED = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

"An organisation of the hub."
type Organisation @key(fields: "id") {
  id: ID!
  certification(level: Int = 1, since: String): String
  grade: Grade
}

enum Grade { A B C }

type Query {
  certified(first: Int): [Organisation!]!
}
`;

it('finds no drift in the same schema written in another order, with extensions split off', () => {
  const reordered = `type Query { certified(first: Int): [Organisation!]! }
enum Grade { C A B }
type Organisation @key(fields: "id") {
  grade: Grade
  certification(since: String, level: Int = 1): String
}
extend type Organisation { id: ID! }
extend schema @link(import: ["@key", "@shareable"], url: "https://specs.apollo.dev/federation/v2.3")
`;
  expect(compareSdl(PUBLISHED, reordered)).toEqual({ drifted: false, differences: [] });
});

it('reports a removed field, a changed argument and an added enum value by coordinate', () => {
  const served = PUBLISHED.replace('  grade: Grade\n', '')
    .replace('level: Int = 1', 'level: Int = 2')
    .replace('A B C', 'A B C D');
  expect(compareSdl(PUBLISHED, served)).toEqual({
    drifted: true,
    differences: ['added Grade.D', 'changed Organisation.certification', 'removed Organisation.grade'],
  });
});

it('reports changed directives, on a type and in the schema link', () => {
  expect(compareSdl(PUBLISHED, PUBLISHED.replace('@key(fields: "id")', '@key(fields: "id grade")'))).toEqual({
    drifted: true,
    differences: ['changed Organisation'],
  });
  expect(compareSdl(PUBLISHED, PUBLISHED.replace(', "@shareable"', '')).differences).toContain(
    'changed schema',
  );
});

it('ignores descriptions (the documented choice: they change no operation or query plan)', () => {
  const described = PUBLISHED.replace('"An organisation of the hub."', '"""Another text."""').replace(
    '  grade: Grade',
    '  "Its grade."\n  grade: Grade',
  );
  expect(compareSdl(PUBLISHED, described).drifted).toBe(false);
});
