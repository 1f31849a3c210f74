// The recorder's memory bound: distinct operations beyond it are folded into one overflow entry,
// whose coordinates still count, so a flood of distinct operations cannot grow the gateway.
import { buildSchema, parse } from 'graphql';
import { operationCoordinates } from '../../../schema/registry/usage';
import { UsageRecorder } from './recorder';

const schema = buildSchema(`
  enum Status { ACTIVE RETIRED }
  input Filter { country: String, status: Status }
  type Organisation { id: ID!, name: String, acronym: String }
  type Query { organisations(first: Int, filter: Filter): [Organisation!]!, ping(n: Int): Int }
`);

it('names fields, arguments, input fields and enum literals as schema coordinates', () => {
  const document = parse(`
    query A { organisations(first: 2, filter: { status: ACTIVE }) { id ...F } }
    query B { ping }
    fragment F on Organisation { acronym __typename }
  `);
  expect([...operationCoordinates(schema, document, 'A')].sort()).toEqual([
    'Filter.status',
    'Organisation.acronym',
    'Organisation.id',
    'Query.organisations',
    'Query.organisations(filter:)',
    'Query.organisations(first:)',
    'Status.ACTIVE',
  ]);
  expect([...operationCoordinates(schema, document, 'B')]).toEqual(['Query.ping']);
});

it('stays within its bound under 10,000 distinct operations, still counting their coordinates', async () => {
  const maxEntries = 500;
  const recorder = new UsageRecorder({ maxEntries, flushSeconds: null });
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10_000; i += 1) {
    const field = i % 2 === 0 ? 'acronym' : 'name';
    const document = parse(`query Op${i} { ping(n: ${i}) organisations { ${field} } }`);
    recorder.record({
      operation: `hash-${i}`,
      operationName: `Op${i}`,
      client: `client-${i % 7}`,
      clientVersion: '1.0',
      coordinates: () => operationCoordinates(schema, document, `Op${i}`),
    });
    expect(recorder.stats().entries).toBeLessThanOrEqual(maxEntries);
  }
  expect(recorder.stats()).toEqual({
    entries: maxEntries,
    overflowCount: 10_000 - maxEntries,
    // Query.ping, Query.ping(n:), Query.organisations, Organisation.acronym, Organisation.name
    overflowCoordinates: 5,
  });
  // A loose ceiling, far below what 10,000 held entries would take, and robust to GC timing.
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 2 ** 20);

  // A repeated operation counts in its entry, not in the overflow.
  recorder.record({
    operation: 'hash-0',
    operationName: 'Op0',
    client: 'client-0',
    clientVersion: '1.0',
    coordinates: () => {
      throw new Error('an entry held is not analysed again');
    },
  });
  expect(recorder.stats().overflowCount).toBe(10_000 - maxEntries);

  await recorder.close();
  expect(recorder.stats()).toEqual({ entries: 0, overflowCount: 0, overflowCoordinates: 0 });
});
