import { EntitySchema, type MikroORM } from '@mikro-orm/mongodb';
import { GraphQLError } from 'graphql';
import { openDatabase } from './database';
import { bindSignal, REQUEST_TIMEOUT, startDeadline } from './deadline';
import { loaderByKey, loaderGroupedBy } from './loaders';
import { findPage } from './pagination';
import { HubRecord, HubRecordSchema } from './record';
import { countCommands, uniqueDatabaseName, type CommandCounter } from './testing';
import { flushNew, insertMissing, updateVersioned } from './writes';

/** What the kit's loaders, pages and writes do with the EntityManager of a stopped request. */

class Thing extends HubRecord {
  name!: string;
  group!: string;
}
const ThingSchema = new EntitySchema<Thing, HubRecord>({
  class: Thing,
  extends: HubRecordSchema,
  collection: 'things',
  properties: { name: { type: 'string' }, group: { type: 'string' } },
});

let orm: MikroORM;
let commands: CommandCounter;

beforeAll(async () => {
  orm = await openDatabase({
    mongoUri: process.env.MONGODB_URI!,
    databaseName: uniqueDatabaseName('kit_deadline'),
    entities: [ThingSchema],
    monitorCommands: true,
  });
  await insertMissing(orm.em.fork(), Thing, [
    { _id: 'thing-1', name: 'One', group: 'a', source: 'synthetic' },
    { _id: 'thing-2', name: 'Two', group: 'a', source: 'synthetic' },
  ]);
  commands = countCommands(orm);
});
afterAll(async () => {
  commands.stop();
  await orm.em.getConnection().getDb().dropDatabase();
  await orm.close(true);
});

/** A request's fork whose time budget has run out. */
async function stoppedFork() {
  const em = orm.em.fork();
  const deadline = startDeadline({ ms: 1, setting: 'SUBGRAPH_REQUEST_TIMEOUT_MS' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  deadline.release();
  expect(deadline.signal.aborted).toBe(true);
  bindSignal(em, deadline.signal);
  return em;
}

async function stored(): Promise<string> {
  return JSON.stringify(
    await orm.em.getConnection().getDb().collection('things').find().sort({ _id: 1 }).toArray(),
  );
}

const timedOut = expect.objectContaining({ extensions: expect.objectContaining({ code: REQUEST_TIMEOUT }) });

test('loaders and pages send no query for a stopped request', async () => {
  const em = await stoppedFork();
  commands.reset();
  await expect(loaderByKey(em, Thing).load('thing-1')).rejects.toEqual(timedOut);
  await expect(loaderGroupedBy(em, Thing, 'group').load('a')).rejects.toEqual(timedOut);
  await expect(findPage(em, Thing, { where: {}, sort: { field: 'name', direction: 'asc' } })).rejects.toEqual(
    timedOut,
  );
  expect(commands.names()).toEqual([]);
});

test("a page's totalCount, asked for after the request stopped, is not counted", async () => {
  const em = orm.em.fork();
  const controller = new AbortController();
  bindSignal(em, controller.signal);
  const page = await findPage(em, Thing, { where: {}, sort: { field: 'name', direction: 'asc' } });
  expect(page.nodes).toHaveLength(2);
  controller.abort(new GraphQLError('stopped', { extensions: { code: REQUEST_TIMEOUT } }));
  commands.reset();
  await expect(page.totalCount()).rejects.toEqual(timedOut);
  expect(commands.count()).toBe(0);
});

test('the write helpers write nothing for a stopped request', async () => {
  const before = await stored();

  const creating = await stoppedFork();
  creating.create(Thing, { _id: 'thing-3', name: 'Three', group: 'b', source: 'synthetic' });
  await expect(flushNew(creating, () => new GraphQLError('duplicate'))).rejects.toEqual(timedOut);

  await expect(
    updateVersioned(await stoppedFork(), Thing, 'Thing', 'thing-1', 1, { name: 'Changed' }),
  ).rejects.toEqual(timedOut);

  await expect(
    insertMissing(await stoppedFork(), Thing, [
      { _id: 'thing-4', name: 'Four', group: 'b', source: 'synthetic' },
    ]),
  ).rejects.toEqual(timedOut);

  expect(await stored()).toBe(before);
  const audit = await orm.em.getConnection().getDb().collection('audit_log').countDocuments();
  expect(audit).toBe(0);
});
