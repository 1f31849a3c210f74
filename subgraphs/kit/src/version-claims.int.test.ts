import { EntitySchema, type MikroORM } from '@mikro-orm/mongodb';
import { openDatabase } from './database';
import { HubRecord, HubRecordSchema } from './record';
import { uniqueDatabaseName } from './testing';
import { CLAIM_ABANDONED_AFTER_MS, VERSION_CLAIMS_COLLECTION, versionClaimId } from './version-claims';
import { insertMissing, updateVersioned } from './writes';

/** Simultaneous versioned writes of one record, on whatever engine the run uses. */

class Counter extends HubRecord {
  label!: string;
  code!: string;
}
const CounterSchema = new EntitySchema<Counter, HubRecord>({
  class: Counter,
  extends: HubRecordSchema,
  collection: 'counters',
  properties: { label: { type: 'string' }, code: { type: 'string', unique: true } },
});

let orm: MikroORM;

beforeAll(async () => {
  orm = await openDatabase({
    mongoUri: process.env.MONGODB_URI!,
    databaseName: uniqueDatabaseName('kit_claims'),
    entities: [CounterSchema],
  });
  await insertMissing(
    orm.em.fork(),
    Counter,
    ['raced', 'blocked', 'abandoned', 'chained', 'taken-over', 'refused', 'other'].map((id) => ({
      _id: id,
      label: 'start',
      code: id,
      source: 'synthetic',
    })),
  );
});
afterAll(async () => {
  await orm.em.getConnection().getDb().dropDatabase();
  await orm.close(true);
});

const db = () => orm.em.getConnection().getDb();
const claims = () => db().collection<{ _id: string; at: Date }>(VERSION_CLAIMS_COLLECTION);
const auditCount = (recordId: string) => db().collection('audit_log').countDocuments({ recordId });
const storedCounter = (id: string) => orm.em.fork().findOneOrFail(Counter, { _id: id });

/** `writers` simultaneous updates of `id` from `version`, each on its own request's EntityManager. */
async function race(id: string, version: number, writers: number) {
  const results = await Promise.allSettled(
    Array.from({ length: writers }, (_, i) =>
      updateVersioned(orm.em.fork(), Counter, 'Counter', id, version, { label: `writer ${i}` }),
    ),
  );
  const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const refusals = results.flatMap((r) =>
    r.status === 'rejected' ? [(r.reason as { extensions?: Record<string, unknown> }).extensions] : [],
  );
  return { won, refusals };
}

test('of 20 simultaneous updates of one version exactly one wins, round after round', async () => {
  for (let version = 1; version <= 6; version += 1) {
    const { won, refusals } = await race('raced', version, 20);
    expect(won).toHaveLength(1);
    expect(refusals).toHaveLength(19);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ code: 'CONFLICT', typename: 'Counter', key: 'raced' });
      expect(refusal!.currentVersion).toBe(version + 1);
    }
    const stored = await storedCounter('raced');
    expect(stored).toMatchObject({ version: version + 1, label: won[0]!.label });
    expect(await auditCount('raced')).toBe(version);
  }
});

test('a fresh claim blocks the version it claims and nothing is written', async () => {
  await claims().insertOne({ _id: versionClaimId('counters', 'blocked', 2), at: new Date() });
  await expect(
    updateVersioned(orm.em.fork(), Counter, 'Counter', 'blocked', 1, { label: 'blocked' }),
  ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
  expect(await storedCounter('blocked')).toMatchObject({ version: 1, label: 'start' });
  expect(await auditCount('blocked')).toBe(0);
});

test('an abandoned claim is taken over, by exactly one of simultaneous writers', async () => {
  const longAgo = new Date(Date.now() - CLAIM_ABANDONED_AFTER_MS - 1000);
  await claims().insertOne({ _id: versionClaimId('counters', 'abandoned', 2), at: longAgo });
  await claims().insertOne({ _id: versionClaimId('counters', 'taken-over', 2), at: longAgo });

  const alone = await updateVersioned(orm.em.fork(), Counter, 'Counter', 'abandoned', 1, {
    label: 'after the crash',
  });
  expect(alone).toMatchObject({ version: 2, label: 'after the crash' });
  expect(await claims().countDocuments({ _id: versionClaimId('counters', 'abandoned', 2, 1) })).toBe(1);

  const { won, refusals } = await race('taken-over', 1, 20);
  expect(won).toHaveLength(1);
  expect(refusals).toHaveLength(19);
  expect(refusals.every((r) => r?.code === 'CONFLICT')).toBe(true);
  expect(await storedCounter('taken-over')).toMatchObject({ version: 2, label: won[0]!.label });
  expect(await auditCount('taken-over')).toBe(1);
});

test('a takeover that is itself fresh blocks like any claim', async () => {
  const longAgo = new Date(Date.now() - CLAIM_ABANDONED_AFTER_MS - 1000);
  await claims().insertOne({ _id: versionClaimId('counters', 'chained', 2, 0), at: longAgo });
  await claims().insertOne({ _id: versionClaimId('counters', 'chained', 2, 1), at: new Date() });
  await expect(
    updateVersioned(orm.em.fork(), Counter, 'Counter', 'chained', 1, { label: 'blocked' }),
  ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
  expect(await storedCounter('chained')).toMatchObject({ version: 1, label: 'start' });
});

test('an update the database refuses gives its claim back at once', async () => {
  // The unique index refuses the code another record holds.
  await expect(
    updateVersioned(orm.em.fork(), Counter, 'Counter', 'refused', 1, { code: 'other' }),
  ).rejects.toBeDefined();
  expect(await storedCounter('refused')).toMatchObject({ version: 1, code: 'refused' });
  expect(await claims().countDocuments({ _id: versionClaimId('counters', 'refused', 2) })).toBe(0);
  const next = await updateVersioned(orm.em.fork(), Counter, 'Counter', 'refused', 1, { label: 'next' });
  expect(next).toMatchObject({ version: 2, label: 'next' });
});

test('a stale version is refused without writing a claim', async () => {
  const before = await claims().countDocuments();
  await expect(
    updateVersioned(orm.em.fork(), Counter, 'Counter', 'raced', 1, { label: 'late' }),
  ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', key: 'raced', currentVersion: 7 } });
  expect(await claims().countDocuments()).toBe(before);
});
