import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { seedKnowledge } from '@clusterpolisee/infra/seed/knowledge';
import type { RunningSubgraph } from '@clusterpolisee/kit';
import { IDENTITY_HEADER, signForwardedIdentity, type IdentitySigningKey } from '@clusterpolisee/kit/auth';
import {
  postGraphQL,
  TEST_ADMIN,
  testIdentityKey,
  uniqueDatabaseName,
  type GraphQLResponse,
} from '@clusterpolisee/kit/testing';
import { isObjectType, type GraphQLFieldResolver } from 'graphql';
import { knowledge } from '.';

/**
 * Issue 17, finding 2: a subgraph kept computing a huge cyclic query long after the gateway had
 * given up on it, and other callers waited behind it. The subgraph has no cost limit of its own
 * (the gateway's is), so these requests go to it directly.
 */

/** `workingGroups { members { workingGroups { members { ... { id } } } } }`, `depth` lists deep. */
function cycle(depth: number): string {
  let selection = 'id';
  for (let level = depth; level > 0; level--) {
    selection = level % 2 === 1 ? `workingGroups { ${selection} }` : `members { ${selection} }`;
  }
  return selection;
}
const CYCLE = cycle(8);
const HUGE = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: ${CYCLE}`).join(' ')} }`;

/** Field resolutions of the cycle's two list fields, counted across every request. */
let resolutions = 0;

let key: IdentitySigningKey;
let databaseName: string;
let patient: RunningSubgraph;
let impatient: RunningSubgraph;
const BUDGET_MS = 300;

beforeAll(async () => {
  countResolutions(['WorkingGroup', 'members'], ['Organisation', 'workingGroups']);
  key = await testIdentityKey();
  databaseName = uniqueDatabaseName('knowledge');
  const options = {
    port: 0,
    host: '127.0.0.1',
    mongoUri: process.env.MONGODB_URI!,
    databaseName,
    identityKeys: key.jwks as JSONWebKeySet,
  };
  // Started here rather than by startTestSubgraph, which sets no budget. `patient` has the default
  // (11 s, longer than these tests), so that only its caller hanging up stops its request.
  patient = await knowledge.start(options);
  impatient = await knowledge.start({ ...options, requestTimeoutMs: BUDGET_MS });
  await seedKnowledge(patient.orm.em.fork(), { scale: 1 });
}, 120_000);
afterAll(async () => {
  await patient?.orm.em.getConnection().getDb().dropDatabase();
  await patient?.close();
  await impatient?.close();
});

/** Wraps the kit's check, so that it counts every attempt to resolve the field, refused ones too. */
function countResolutions(...fields: [string, string][]): void {
  for (const [typeName, fieldName] of fields) {
    const type = knowledge.schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    const field = type.getFields()[fieldName]!;
    const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown>;
    field.resolve = (source, args, context, info) => {
      resolutions++;
      return resolve(source, args, context, info);
    };
  }
}

async function signedHeaders(): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    [IDENTITY_HEADER]: await signForwardedIdentity(TEST_ADMIN, key, 'knowledge', randomUUID()),
  };
}

async function query<T>(subgraph: RunningSubgraph, document: string): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(subgraph.url, document, undefined, await signedHeaders());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `read` gives the same value twice `intervalMs` apart; gives up after `limitMs`. */
async function settled(read: () => number, intervalMs: number, limitMs: number): Promise<number> {
  const until = Date.now() + limitMs;
  let previous = read();
  while (Date.now() < until) {
    await sleep(intervalMs);
    const now = read();
    if (now === previous) return now;
    previous = now;
  }
  throw new Error(`still changing after ${limitMs} ms (at ${previous})`);
}

/**
 * How many resolutions of the two list fields the whole of HUGE needs, from the membership graph:
 * what the subgraph would go on to do if nothing stopped it.
 */
async function resolutionsOfTheWholeQuery(): Promise<number> {
  const result = await query<{ workingGroups: { code: string; members: { id: string }[] }[] }>(
    patient,
    '{ workingGroups { code members { id } } }',
  );
  const groups = result.data!.workingGroups;
  const groupsOf = new Map<string, string[]>();
  for (const group of groups) {
    for (const member of group.members)
      groupsOf.set(member.id, [...(groupsOf.get(member.id) ?? []), group.code]);
  }
  const membersOf = new Map(groups.map((group) => [group.code, group.members.map((m) => m.id)]));
  // Per alias: every group at depth 1, 3, 5, 7 resolves `members`; every member at 2, 4, 6, 8 `workingGroups`.
  let total = 0;
  let level: string[] = groups.map((group) => group.code);
  for (let depth = 1; depth < 8; depth += 2) {
    const members = level.flatMap((code) => membersOf.get(code) ?? []);
    total += level.length + members.length;
    level = members.flatMap((id) => groupsOf.get(id) ?? []);
  }
  return 15 * total;
}

test('a request whose caller hangs up stops: no more fields are resolved, and other callers are answered', async () => {
  const whole = await resolutionsOfTheWholeQuery();
  const before = resolutions;
  const caller = new AbortController();
  const abandoned = fetch(patient.url, {
    method: 'POST',
    headers: await signedHeaders(),
    body: JSON.stringify({ query: HUGE }),
    signal: caller.signal,
  }).catch((error: unknown) => error);
  await sleep(300);

  // Another caller is answered while it works, rather than after it.
  const meanwhile = await query<{ workingGroups: { code: string }[] }>(patient, '{ workingGroups { code } }');
  expect(meanwhile.data?.workingGroups).toHaveLength(6);
  const atAbort = resolutions - before;
  caller.abort();
  expect(await abandoned).toMatchObject({ name: 'AbortError' });

  // The work it had started ends within a few fields, so the counter stops climbing...
  const stopped = (await settled(() => resolutions, 200, 10_000)) - before;
  // ...and stays put, and the process is idle rather than computing for nobody.
  const cpu = process.cpuUsage();
  const heap = process.memoryUsage().heapUsed;
  const windowStart = performance.now();
  await sleep(500);
  const windowMs = performance.now() - windowStart;
  const { user, system } = process.cpuUsage(cpu);
  const heapGrowth = process.memoryUsage().heapUsed - heap;
  expect(resolutions - before).toBe(stopped);
  expect((user + system) / 1000).toBeLessThan(windowMs / 2);
  expect(heapGrowth).toBeLessThan(32 * 1024 * 1024);

  expect(atAbort).toBeGreaterThan(0); // it was working when the caller left
  expect(stopped).toBeLessThan(whole / 2); // and did not go on to finish

  const next = await query<{ workingGroups: { code: string }[] }>(patient, '{ workingGroups { code } }');
  expect(next.errors).toBeUndefined();
  expect(next.data!.workingGroups).toHaveLength(6);
}, 60_000);

test('a request that runs past SUBGRAPH_REQUEST_TIMEOUT_MS stops and answers REQUEST_TIMEOUT', async () => {
  const whole = await resolutionsOfTheWholeQuery();
  const before = resolutions;
  const result = await query(impatient, HUGE);
  expect(result.data).toBeNull();
  expect(result.errors).toEqual([
    {
      message: expect.stringContaining(`ran longer than ${BUDGET_MS} ms (SUBGRAPH_REQUEST_TIMEOUT_MS)`),
      extensions: { code: 'REQUEST_TIMEOUT', timeoutMs: BUDGET_MS },
    },
  ]);
  // graphql-js answers once a list's first item fails, while the fields its siblings had
  // already begun still come in, each refused at once: the count settles shortly after the answer.
  const stopped = (await settled(() => resolutions, 200, 10_000)) - before;
  await sleep(300);
  expect(resolutions - before).toBe(stopped);
  expect(stopped).toBeLessThan(whole / 2);
}, 60_000);

test('a stopped mutation writes nothing after the stop: the next mutation field is never started', async () => {
  // The first creation is written, then its answer (a cycle from its working group) outlasts the
  // budget; mutation fields run one after another, so the second would start only after that.
  const fromGroup = `members { ${CYCLE} }`;
  const heavy = Array.from({ length: 15 }, (_, i) => `m${i}: ${fromGroup}`).join(' ');
  const result = await query(
    impatient,
    `mutation {
      first: createLearningMechanism(input: { title: "Stopped first", workingGroup: "WG1", source: "test" }) {
        id workingGroup { ${heavy} }
      }
      second: createLearningMechanism(input: { title: "Stopped second", source: "test" }) { id }
    }`,
  );
  expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['REQUEST_TIMEOUT']);
  const titles = async () => {
    const found = await query<{ learningMechanisms: { nodes: { title: string }[] } }>(
      patient,
      '{ learningMechanisms(first: 100) { nodes { title } } }',
    );
    return found.data!.learningMechanisms.nodes.map((node) => node.title);
  };
  await sleep(300);
  expect(await titles()).toContain('Stopped first');
  expect(await titles()).not.toContain('Stopped second');
}, 60_000);
