// The README's example queries and their printed outputs: every ```graphql block is run through a
// freshly seeded hub, as `npm start` serves it, and the answer must be exactly the ```json block
// that follows it, so that what analysts paste gives what the README says.
import { loadExampleOperations } from '@clusterpolisee/gateway/ide';
import { startTestHub, type TestHub } from '../support/hub';
import { readmeExamples, type ReadmeExample } from '../support/readme-query';

const examples = readmeExamples();
const ideExamples = loadExampleOperations(undefined, (message) => {
  throw new Error(message);
});

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub?.close());

test('the README shows its example queries, each with its output', () => {
  expect(examples.map((example) => example.name)).toEqual(
    expect.arrayContaining(['PartnerOverview', 'PartnersByCountry', 'AbsorptionByCountry']),
  );
  const withoutOutput = examples.filter((example) => !example.output);
  expect(withoutOutput.map((example) => `${example.name} (README.md line ${example.line})`)).toEqual([]);
});

describe.each(examples.map((example) => [example.name, example] as const))(
  '%s, as the README prints it',
  (_name, example: ReadmeExample) => {
    // The README tells analysts to paste its queries into the IDE of a fresh `npm start`, with no
    // token (the PartnerOverview curl sends none either); an analyst's token must change nothing.
    test.each([
      ['anonymously', undefined],
      ['as an analyst', { role: 'analyst' }],
    ] as const)('gives exactly the printed output, %s', async (_who, as) => {
      if (!example.output) throw new Error(`README.md line ${example.line}: ${example.name} shows no output`);
      const { status, ...body } = await hub.query(example.query, undefined, as);
      expect(status).toBe(200);
      // The whole answer, `data` and any `errors`, deep and exact: every number, every item, in order.
      expect(body).toStrictEqual(example.output.value);
    });

    const ideExample = ideExamples.find((ide) => ide.name === example.name);
    if (ideExample) {
      test(`is the IDE's example ${ideExample.file}, word for word`, () => {
        expect(example.query).toBe(ideExample.query);
      });
    }
  },
);
