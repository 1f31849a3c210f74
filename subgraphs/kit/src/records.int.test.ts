import { EntitySchema, type MikroORM } from '@mikro-orm/mongodb';
import { openDatabase } from './database';
import { findPage, type Page } from './pagination';
import { HubRecord, HubRecordSchema } from './record';
import { searchFilter, searchKeys } from './search';
import { uniqueDatabaseName } from './testing';
import { insertMissing, updateVersioned } from './writes';

class Item extends HubRecord {
  name!: string;
  rank!: number;
  searchKeys: string[] = [];
}
const ItemSchema = new EntitySchema<Item, HubRecord>({
  class: Item,
  extends: HubRecordSchema,
  collection: 'items',
  properties: { name: { type: 'string' }, rank: { type: 'integer' }, searchKeys: { type: 'json' } },
});

let orm: MikroORM;
const names = [
  'Marche Region',
  'Veneto Region',
  'Istrian Development Agency',
  'Изпълнителна агенция',
  'Ecoplus',
];

beforeAll(async () => {
  orm = await openDatabase({
    mongoUri: process.env.MONGODB_URI!,
    databaseName: uniqueDatabaseName('kit'),
    entities: [ItemSchema],
  });
  const em = orm.em.fork();
  const rows = Array.from({ length: 25 }, (_, i) => ({
    _id: `item-${String(i).padStart(2, '0')}`,
    name: names[i % names.length]!,
    rank: i % 5, // ties on purpose: the id must order them
    searchKeys: searchKeys(names[i % names.length]),
    source: 'synthetic',
  }));
  expect(await insertMissing(em, Item, rows)).toBe(25);
  expect(await insertMissing(orm.em.fork(), Item, rows)).toBe(0);
});
afterAll(async () => {
  await orm.em.getConnection().getDb().dropDatabase();
  await orm.close(true);
});

test('insertMissing applies the record defaults', async () => {
  const item = await orm.em.fork().findOneOrFail(Item, { _id: 'item-00' });
  expect(item).toMatchObject({ version: 1, archived: false, id: 'item-00' });
  expect(item.createdAt).toBeInstanceOf(Date);
});

test('pages walk the whole list once, in order, ties broken by id', async () => {
  for (const direction of ['asc', 'desc'] as const) {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<Item> = await findPage(orm.em.fork(), Item, {
        where: {},
        sort: { field: 'rank', direction },
        first: 7,
        after,
      });
      seen.push(...page.nodes.map((n) => n._id));
      expect(await page.totalCount()).toBe(25);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const all = await orm.em.fork().find(Item, {}, { orderBy: { rank: direction, _id: direction } });
    expect(seen).toEqual(all.map((n) => n._id));
  }
});

test('page size and cursor are validated', async () => {
  const em = orm.em.fork();
  await expect(
    findPage(em, Item, { where: {}, sort: { field: 'rank', direction: 'asc' }, first: 101 }),
  ).rejects.toMatchObject({
    extensions: { code: 'BAD_USER_INPUT', field: 'first' },
  });
  await expect(
    findPage(em, Item, { where: {}, sort: { field: 'rank', direction: 'asc' }, after: 'not-a-cursor' }),
  ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
});

test('search matches word prefixes, folded, and treats regex characters literally', async () => {
  const em = orm.em.fork();
  const count = (q: string) => em.count(Item, searchFilter(q) ?? {});
  expect(await count('reg')).toBe(10);
  expect(await count('VENETO')).toBe(5);
  expect(await count('агенц')).toBe(5);
  expect(await count('reg.*ion')).toBe(0); // folded to "reg ion": no regex reaches the database
  expect(await count('development agency')).toBe(5);
});

test('an update based on a stale version is refused and changes nothing', async () => {
  const em = orm.em.fork();
  const updated = await updateVersioned(em, Item, 'Item', 'item-01', 1, { name: 'Renamed' });
  expect(updated).toMatchObject({ name: 'Renamed', version: 2 });
  await expect(
    updateVersioned(orm.em.fork(), Item, 'Item', 'item-01', 1, { name: 'Lost update' }),
  ).rejects.toMatchObject({
    extensions: { code: 'CONFLICT', currentVersion: 2 },
  });
  await expect(updateVersioned(orm.em.fork(), Item, 'Item', 'nope', 1, { name: 'x' })).rejects.toMatchObject({
    extensions: { code: 'NOT_FOUND' },
  });
  expect((await orm.em.fork().findOneOrFail(Item, { _id: 'item-01' })).name).toBe('Renamed');
});

test('changes derived from an older read are not written over a newer version', async () => {
  const em = orm.em.fork();
  const read = await em.findOneOrFail(Item, { _id: 'item-02' });
  expect(read.version).toBe(1);
  await updateVersioned(orm.em.fork(), Item, 'Item', 'item-02', 1, { name: 'Meanwhile' });
  // The client sends version 2 as if it had seen it, with a name derived from version 1.
  await expect(
    updateVersioned(em, Item, 'Item', 'item-02', 2, { name: `${read.name} (derived)` }),
  ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
  expect(await orm.em.fork().findOneOrFail(Item, { _id: 'item-02' })).toMatchObject({
    name: 'Meanwhile',
    version: 2,
  });
});
