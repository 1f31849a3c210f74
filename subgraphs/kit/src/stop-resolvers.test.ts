import {
  buildSchema,
  execute,
  parse,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { startDeadline, REQUEST_TIMEOUT } from './deadline';
import { stopResolversWhenAborted } from './stop-resolvers';

/**
 * A tree whose every level is already loaded, as a loader's cache answers a cyclic query: each
 * `children` is a resolved promise, so graphql-js walks it in the microtask queue alone and,
 * unchecked, never lets a timer or a socket run until it has walked all of it.
 */
function treeSchema(calls: { count: number }): GraphQLSchema {
  const schema = buildSchema(`
    type Node { id: Int! children: [Node!] }
    type Query { root: Node! }
  `);
  const node = (id: number) => ({ id });
  schema.getQueryType()!.getFields().root!.resolve = () => node(0);
  const nodeType = schema.getType('Node') as GraphQLObjectType;
  nodeType.getFields().children!.resolve = (parent: { id: number }) => {
    calls.count++;
    return Promise.resolve(Array.from({ length: 8 }, (_, i) => node(parent.id * 8 + i + 1)));
  };
  stopResolversWhenAborted(schema);
  return schema;
}

function nested(depth: number): string {
  return depth === 0 ? 'id' : `id children { ${nested(depth - 1)} }`;
}

test('a request whose signal aborts resolves no further field', async () => {
  const calls = { count: 0 };
  const schema = treeSchema(calls);
  const controller = new AbortController();
  controller.abort(new Error('stopped'));
  const result = (await execute({
    schema,
    document: parse(`{ root { ${nested(3)} } }`),
    contextValue: { signal: controller.signal },
  })) as ExecutionResult;
  expect(calls.count).toBe(0);
  expect(result.errors?.[0]?.message).toBe('stopped');
});

test('a request that never waits on I/O still lets its time budget run out, and stops', async () => {
  const calls = { count: 0 };
  const schema = treeSchema(calls);
  // 8^7 (2 million) nodes: far more than 50 ms of work.
  const document = parse(`{ root { ${nested(7)} } }`);
  const deadline = startDeadline({ ms: 50, setting: 'SUBGRAPH_REQUEST_TIMEOUT_MS' });
  let answered = false;
  const timerRanMeanwhile = new Promise<boolean>((resolve) => setTimeout(() => resolve(!answered), 50));
  const result = (await execute({
    schema,
    document,
    contextValue: { signal: deadline.signal },
  })) as ExecutionResult;
  answered = true;
  deadline.release();
  const whole = (8 ** 7 - 1) / 7; // every node above the last level resolves `children`
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: REQUEST_TIMEOUT });
  expect(calls.count).toBeLessThan(whole / 4);
  // Other work (here, a timer) ran while it was under way, not after it.
  expect(await timerRanMeanwhile).toBe(true);
  // What this shows is that it stops, not how fast: on two cores shared with a busy CI run the
  // ~50 ms of work before the budget and the refusals after it took over jest's default 5 s.
}, 30_000);

test('a request that finishes quickly is not slowed or split: it never waits for the loop', async () => {
  const calls = { count: 0 };
  const schema = treeSchema(calls);
  let turns = 0;
  const immediate = setImmediate(() => turns++);
  const result = (await execute({
    schema,
    document: parse(`{ root { ${nested(3)} } }`),
    contextValue: { signal: new AbortController().signal },
  })) as ExecutionResult;
  clearImmediate(immediate);
  expect(result.errors).toBeUndefined();
  expect(calls.count).toBe(1 + 8 + 64);
  expect(turns).toBe(0); // answered within one turn of the loop
});
