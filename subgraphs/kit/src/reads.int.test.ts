import { EntitySchema, type MikroORM } from '@mikro-orm/mongodb';
import { openDatabase } from './database';
import { loaderByKey, loaderGroupedBy } from './loaders';
import { findPage } from './pagination';
import { readRows } from './reads';
import { HubRecord, HubRecordSchema } from './record';
import { countCommands, uniqueDatabaseName, type CommandCounter } from './testing';
import { insertMissing, loadForUpdate, updateVersioned } from './writes';

/** The rows loaders and pages hand to resolvers: instances of the entity, unmanaged, as stored. */

class Gadget extends HubRecord {
  name!: string;
  group!: string;
  parts?: { code: string; count: number }[];
  retiredOn?: Date | null;
  describe(): string {
    return `${this.name} (${this.group})`;
  }
}
const GadgetSchema = new EntitySchema<Gadget, HubRecord>({
  class: Gadget,
  extends: HubRecordSchema,
  collection: 'gadgets',
  properties: {
    name: { type: 'string' },
    group: { type: 'string' },
    parts: { type: 'json', nullable: true },
    retiredOn: { type: 'Date', nullable: true },
  },
});

let orm: MikroORM;
let commands: CommandCounter;

beforeAll(async () => {
  orm = await openDatabase({
    mongoUri: process.env.MONGODB_URI!,
    databaseName: uniqueDatabaseName('kit_reads'),
    entities: [GadgetSchema],
    monitorCommands: true,
  });
  await insertMissing(orm.em.fork(), Gadget, [
    { _id: 'g-1', name: 'Beta', group: 'a', source: 'synthetic', parts: [{ code: 'x', count: 2 }] },
    { _id: 'g-2', name: 'Alpha', group: 'a', source: 'synthetic', retiredOn: new Date('2020-02-03') },
    { _id: 'g-3', name: 'Gamma', group: 'b', source: 'synthetic' },
  ]);
  // A field the entity does not declare, as an older version of a record might still hold.
  await orm.em
    .getConnection()
    .getDb()
    .collection('gadgets')
    .updateOne({ _id: 'g-3' as never }, { $set: { legacy: 1 } });
  commands = countCommands(orm);
});
afterAll(async () => {
  commands.stop();
  await orm.em.getConnection().getDb().dropDatabase();
  await orm.close(true);
});

test('rows are instances of the entity with the stored values, its getters and methods', async () => {
  const [beta, alpha] = await readRows(orm.em.fork(), Gadget, { group: 'a' }, { orderBy: { name: 'desc' } });
  expect(beta).toBeInstanceOf(Gadget);
  expect(beta!.id).toBe('g-1');
  expect(beta!.describe()).toBe('Beta (a)');
  expect(beta!.parts).toEqual([{ code: 'x', count: 2 }]);
  expect(beta!.version).toBe(1);
  expect(beta!.createdAt).toBeInstanceOf(Date);
  expect(alpha!.retiredOn).toEqual(new Date('2020-02-03'));
  expect(Object.keys(beta!).sort()).toEqual(
    ['_id', 'archived', 'createdAt', 'group', 'name', 'parts', 'source', 'updatedAt', 'version'].sort(),
  );
});

test('only declared properties are taken from the document', async () => {
  const [gamma] = await readRows(orm.em.fork(), Gadget, { _id: 'g-3' });
  expect(gamma).toBeDefined();
  expect('legacy' in gamma!).toBe(false);
});

test('rows stay out of the identity map, so a flush of the fork writes nothing for them', async () => {
  const em = orm.em.fork();
  const loader = loaderByKey(em, Gadget);
  const row = await loader.load('g-2');
  row!.name = 'changed in memory only';
  expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
  commands.reset();
  await em.flush();
  expect(commands.count()).toBe(0);
  const stored = await orm.em
    .getConnection()
    .getDb()
    .collection('gadgets')
    .findOne({ _id: 'g-2' as never });
  expect(stored?.name).toBe('Alpha');
});

test('a write loads what it changes itself, whatever a loader read before in the same request', async () => {
  const em = orm.em.fork();
  const before = await loaderByKey(em, Gadget).load('g-3');
  const managed = await loadForUpdate(em, Gadget, 'Gadget', 'g-3', 1);
  expect(managed).not.toBe(before);
  await updateVersioned(em, Gadget, 'Gadget', 'g-3', 1, { name: 'Gamma prime' });
  expect(await loaderByKey(orm.em.fork(), Gadget).load('g-3')).toMatchObject({
    name: 'Gamma prime',
    version: 2,
  });
});

test('grouped loaders and pages keep their order and query once', async () => {
  const em = orm.em.fork();
  const grouped = loaderGroupedBy(em, Gadget, 'group', { orderBy: { name: 'asc' } });
  commands.reset();
  const [a, b, none] = await Promise.all([grouped.load('a'), grouped.load('b'), grouped.load('c')]);
  expect(commands.count()).toBe(1);
  expect(a.map((g) => g.name)).toEqual(['Alpha', 'Beta']);
  expect(b.map((g) => g._id)).toEqual(['g-3']);
  expect(none).toEqual([]);

  const first = await findPage(em, Gadget, {
    where: {},
    sort: { field: 'name', direction: 'desc' },
    first: 2,
  });
  expect(first.nodes.map((g) => g._id)).toEqual(['g-3', 'g-1']);
  expect(first.nodes[0]).toBeInstanceOf(Gadget);
  const rest = await findPage(em, Gadget, {
    where: {},
    sort: { field: 'name', direction: 'desc' },
    first: 2,
    after: first.pageInfo.endCursor,
  });
  expect(rest.nodes.map((g) => g._id)).toEqual(['g-2']);
  expect(rest.pageInfo.hasNextPage).toBe(false);
});

test('an update still refuses a version newer than the one its request read through a loader', async () => {
  const em = orm.em.fork();
  const read = await loaderByKey(em, Gadget).load('g-1');
  expect(read?.version).toBe(1);
  // Another request moves the record on meanwhile; this one names that newer version.
  await updateVersioned(orm.em.fork(), Gadget, 'Gadget', 'g-1', 1, { name: 'Beta two' });
  await expect(
    updateVersioned(em, Gadget, 'Gadget', 'g-1', 2, { name: 'from a stale read' }),
  ).rejects.toMatchObject({
    extensions: { code: 'CONFLICT' },
  });
});
