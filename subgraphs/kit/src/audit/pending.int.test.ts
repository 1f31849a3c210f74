// The pending-entry protocol in one process: writes frozen at a step by the test-only fault hook
// stand for writers that died there (the subgraph-level kill test is in the partners subgraph).
import { setTimeout as sleep } from 'node:timers/promises';
import { EntitySchema, type MikroORM } from '@mikro-orm/mongodb';
import { GraphQLError } from 'graphql';
import { openDatabase } from '../database';
import { HubRecord, HubRecordSchema } from '../record';
import { uniqueDatabaseName } from '../testing';
import { flushNew, insertMissing, updateVersioned } from '../writes';
import { armAuditPause } from './fault-hook';
import { AUDIT_PENDING_COLLECTION, PENDING_ABANDONED_AFTER_MS, reconcilePending } from './pending';
import { findUnauditedChanges } from './unaudited';

class Thing extends HubRecord {
  name!: string;
}
const ThingSchema = new EntitySchema<Thing, HubRecord>({
  class: Thing,
  extends: HubRecordSchema,
  collection: 'things',
  properties: { name: { type: 'string' } },
});

let orm: MikroORM;

beforeAll(async () => {
  orm = await openDatabase({
    mongoUri: process.env.MONGODB_URI!,
    databaseName: uniqueDatabaseName('kit_audit_pending'),
    entities: [ThingSchema],
  });
  await insertMissing(
    orm.em.fork(),
    Thing,
    ['helped', 'never-made'].map((id) => ({ _id: id, name: 'start', source: 'synthetic' })),
  );
});
afterEach(() => armAuditPause(undefined));
afterAll(async () => {
  await orm.em.getConnection().getDb().dropDatabase();
  await orm.close(true);
});

const db = () => orm.em.getConnection().getDb();
const stored = (id: string) => db().collection<Thing>('things').findOne({ _id: id });
const entriesOf = (recordId: string) =>
  db()
    .collection<{ version: number; action: string; changes: { field: string; after: string | null }[] }>(
      'audit_log',
    )
    .find({ recordId })
    .sort({ version: 1 })
    .toArray();
const pendingOf = (recordId: string) =>
  db().collection(AUDIT_PENDING_COLLECTION).countDocuments({ recordId });
/** As the reconciler sees them once every writer's lease is over. */
const later = () => ({
  olderThanMs: PENDING_ABANDONED_AFTER_MS,
  now: Date.now() + PENDING_ABANDONED_AFTER_MS + 1,
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i += 1) await sleep(25);
  expect(await check()).toBe(true);
}

/** Starts a write that freezes at `step`, as a writer that dies there; returns once it reached it. */
async function frozen(
  step: 'before-change' | 'after-change',
  write: () => Promise<unknown>,
  reached: () => Promise<boolean>,
) {
  armAuditPause(step);
  write().catch(() => undefined);
  await until(reached);
  armAuditPause(undefined);
}

test('a writer overwriting a change left unsettled settles its entry first, and only once', async () => {
  await frozen(
    'after-change',
    () => updateVersioned(orm.em.fork(), Thing, 'Thing', 'helped', 1, { name: 'first' }),
    async () => (await stored('helped'))?.version === 2,
  );
  expect(await entriesOf('helped')).toEqual([]);
  await updateVersioned(orm.em.fork(), Thing, 'Thing', 'helped', 2, { name: 'second' });
  const entries = await entriesOf('helped');
  expect(entries.map((entry) => entry.version)).toEqual([2, 3]);
  expect(entries[0]!.changes).toEqual([
    { field: 'name', before: '"start"', after: '"first"' },
    { field: 'version', before: '1', after: '2' },
  ]);
  expect(entries[1]!.changes).toEqual([
    { field: 'name', before: '"first"', after: '"second"' },
    { field: 'version', before: '2', after: '3' },
  ]);
  expect(await pendingOf('helped')).toBe(0);
  expect(await reconcilePending(orm.em.fork(), later())).toEqual({ settled: 0, discarded: 0 });
  expect(await entriesOf('helped')).toHaveLength(2);
});

test('a pending entry is judged only once no writer could still send its change, then dropped if absent', async () => {
  await frozen(
    'before-change',
    () => updateVersioned(orm.em.fork(), Thing, 'Thing', 'never-made', 1, { name: 'lost' }),
    async () => (await pendingOf('never-made')) === 1,
  );
  expect(await reconcilePending(orm.em.fork(), { olderThanMs: PENDING_ABANDONED_AFTER_MS })).toEqual({
    settled: 0,
    discarded: 0,
  });
  expect(await pendingOf('never-made')).toBe(1);
  expect(await reconcilePending(orm.em.fork(), later())).toEqual({ settled: 0, discarded: 1 });
  expect(await pendingOf('never-made')).toBe(0);
  expect(await entriesOf('never-made')).toEqual([]);
  expect(await stored('never-made')).toMatchObject({ version: 1, name: 'start' });
});

test('a creation stored before its writer died is settled by the reconciler, with every field', async () => {
  await frozen(
    'after-change',
    async () => {
      const em = orm.em.fork();
      em.create(Thing, { _id: 'created', name: 'new', source: 'synthetic' });
      await flushNew(em, () => new GraphQLError('duplicate'));
    },
    async () => (await stored('created')) !== null,
  );
  expect(await findUnauditedChanges(db())).toMatchObject({ unauditedChanges: 1, pendingEntries: 1 });
  expect(await reconcilePending(orm.em.fork(), later())).toEqual({ settled: 1, discarded: 0 });
  const [entry] = await entriesOf('created');
  expect(entry).toMatchObject({ action: 'CREATE', version: 1 });
  expect(entry!.changes.map((change) => change.field)).toEqual([
    '_id',
    'archived',
    'name',
    'source',
    'version',
  ]);
  expect(await findUnauditedChanges(db())).toMatchObject({
    unauditedChanges: 0,
    unprovenEntries: 0,
    pendingEntries: 0,
  });
});
