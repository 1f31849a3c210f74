import { randomUUID } from 'node:crypto';
import { EntitySchema, type MikroORM } from '@mikro-orm/mongodb';
import { openDatabase } from './database';
import { badUserInput, conflict } from './errors';
import { HubRecord, HubRecordSchema } from './record';
import { uniqueDatabaseName } from './testing';
import {
  SEAT_ABANDONED_AFTER_MS,
  SEAT_RETIREMENTS_COLLECTION,
  UNIQUE_SEATS_COLLECTION,
  withUniqueSeats,
  type UniqueKey,
} from './unique-seats';
import { flushNew, insertMissing, updateVersioned } from './writes';

/** Seats under simultaneous writers and after crashes, on whatever engine the run uses. */

class Desk extends HubRecord {
  code?: string | null;
}
const DeskSchema = new EntitySchema<Desk, HubRecord>({
  class: Desk,
  extends: HubRecordSchema,
  collection: 'desks',
  properties: { code: { type: 'string', nullable: true } },
});

let orm: MikroORM;

beforeAll(async () => {
  orm = await openDatabase({
    mongoUri: process.env.MONGODB_URI!,
    databaseName: uniqueDatabaseName('kit_seats'),
    entities: [DeskSchema],
  });
});
afterAll(async () => {
  await orm.em.getConnection().getDb().dropDatabase();
  await orm.close(true);
});

const db = () => orm.em.getConnection().getDb();
interface Seat {
  _id: string;
  holder: string;
  token: string;
  at: Date;
  requestId: string | null;
}
const seats = () => db().collection<Seat>(UNIQUE_SEATS_COLLECTION);
const retirements = () => db().collection<{ _id: string }>(SEAT_RETIREMENTS_COLLECTION);
const longAgo = () => new Date(Date.now() - SEAT_ABANDONED_AFTER_MS - 1000);

const codeKey = (code: string): UniqueKey => ({
  key: `Desk:code:${code}`,
  heldBy: { code },
  taken: (holder) => badUserInput('code', `"${code}" is already the code of desk ${holder}`),
});

/** Creates desk `id` holding `code`, through the seats, on a request's own EntityManager. */
function createDesk(id: string, code: string, write?: () => Promise<unknown>) {
  const em = orm.em.fork();
  return withUniqueSeats(em, {
    entity: Desk,
    typename: 'Desk',
    holder: id,
    hold: [codeKey(code)],
    write:
      write ??
      (async () => {
        const desk = em.create(Desk, { _id: id, code, source: 'synthetic' });
        await flushNew(em, () => conflict(`desk ${id} exists`));
        return desk;
      }),
  });
}

function changeCode(id: string, version: number, from: string | null, to: string | null) {
  const em = orm.em.fork();
  return withUniqueSeats(em, {
    entity: Desk,
    typename: 'Desk',
    holder: id,
    hold: to ? [codeKey(to)] : [],
    release: from ? [codeKey(from).key] : [],
    write: () => updateVersioned(em, Desk, 'Desk', id, version, { code: to }),
  });
}

/** Stores desks as a writer without seats did (a seed, an older release). */
const legacyDesks = (rows: { _id: string; code: string; archived?: boolean }[]) =>
  insertMissing(
    orm.em.fork(),
    Desk,
    rows.map((row) => ({ source: 'synthetic', ...row })),
  );

const liveWithCode = (code: string) => db().collection('desks').countDocuments({ code, archived: false });

async function settle<T>(writes: Promise<T>[]) {
  const results = await Promise.allSettled(writes);
  return {
    won: results.filter((r) => r.status === 'fulfilled').length,
    refusals: results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as { extensions?: Record<string, unknown> }).extensions] : [],
    ),
  };
}

test('of 20 simultaneous writers of one key exactly one wins, the others are told it is taken', async () => {
  for (let round = 0; round < 3; round += 1) {
    const code = `raced-${round}`;
    const { won, refusals } = await settle(
      Array.from({ length: 20 }, (_, i) => createDesk(`raced-${round}-${i}`, code)),
    );
    expect(won).toBe(1);
    expect(refusals).toHaveLength(19);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(await liveWithCode(code)).toBe(1);
    const [holder] = await db().collection('desks').find({ code }).toArray();
    expect(await seats().findOne({ _id: `Desk:code:${code}` })).toMatchObject({ holder: holder!._id });
  }
});

test('a stale seat whose holder never wrote is taken over', async () => {
  await seats().insertOne({
    _id: 'Desk:code:crashed',
    holder: 'never-written',
    token: randomUUID(),
    at: longAgo(),
    requestId: null,
  });
  await createDesk('after-crash', 'crashed');
  expect(await seats().findOne({ _id: 'Desk:code:crashed' })).toMatchObject({ holder: 'after-crash' });
  // The retirement guarded only the delete of that seat, and went with it.
  expect(await retirements().countDocuments({ key: 'Desk:code:crashed' })).toBe(0);
});

test('a stale seat is taken over by exactly one of 20 simultaneous writers', async () => {
  await seats().insertOne({
    _id: 'Desk:code:contested',
    holder: 'never-written-either',
    token: randomUUID(),
    at: longAgo(),
    requestId: null,
  });
  const { won, refusals } = await settle(
    Array.from({ length: 20 }, (_, i) => createDesk(`contested-${i}`, 'contested')),
  );
  expect(won).toBe(1);
  expect(refusals.every((r) => r?.code === 'BAD_USER_INPUT' && r.field === 'code')).toBe(true);
  expect(await liveWithCode('contested')).toBe(1);
});

test('a stale seat of a record archived, or changed without giving it back, is taken over', async () => {
  await legacyDesks([
    { _id: 'archived-holder', code: 'left-behind', archived: true },
    { _id: 'moved-on', code: 'elsewhere' },
  ]);
  for (const [holder, code] of [
    ['archived-holder', 'left-behind'],
    ['moved-on', 'moved-from'],
  ] as const) {
    await seats().insertOne({
      _id: `Desk:code:${code}`,
      holder,
      token: randomUUID(),
      at: longAgo(),
      requestId: null,
    });
    await createDesk(`successor-of-${holder}`, code);
    expect(await seats().findOne({ _id: `Desk:code:${code}` })).toMatchObject({
      holder: `successor-of-${holder}`,
    });
  }
});

test('a young seat whose record is not written yet is respected: its writer may be at work', async () => {
  await seats().insertOne({
    _id: 'Desk:code:in-flight',
    holder: 'being-written',
    token: randomUUID(),
    at: new Date(),
    requestId: null,
  });
  await expect(createDesk('latecomer', 'in-flight')).rejects.toMatchObject({
    extensions: { code: 'BAD_USER_INPUT', field: 'code' },
    message: 'code: "in-flight" is already the code of desk being-written',
  });
  expect(await liveWithCode('in-flight')).toBe(0);
});

test('an old seat whose holder still holds the key is not stale', async () => {
  await legacyDesks([{ _id: 'long-standing', code: 'kept' }]);
  await seats().insertOne({
    _id: 'Desk:code:kept',
    holder: 'long-standing',
    token: randomUUID(),
    at: longAgo(),
    requestId: null,
  });
  await expect(createDesk('usurper', 'kept')).rejects.toMatchObject({ extensions: { field: 'code' } });
  expect(await seats().findOne({ _id: 'Desk:code:kept' })).toMatchObject({ holder: 'long-standing' });
});

test('a record stored before seats existed holds its key, and takes its seat when next written', async () => {
  await legacyDesks([{ _id: 'seeded', code: 'from-the-seed' }]);
  await expect(createDesk('newcomer', 'from-the-seed')).rejects.toMatchObject({
    message: 'code: "from-the-seed" is already the code of desk seeded',
  });
  expect(await seats().countDocuments({ _id: 'Desk:code:from-the-seed' })).toBe(0);
  expect(await retirements().countDocuments()).toBe(0);
  // The seeded record keeps it through its own changes, and takes its seat on the way.
  await changeCode('seeded', 1, 'from-the-seed', 'from-the-seed');
  expect(await seats().findOne({ _id: 'Desk:code:from-the-seed' })).toMatchObject({ holder: 'seeded' });
});

test('seats are given back when the write is refused, and released when the record lets go', async () => {
  await expect(
    createDesk('refused', 'given-back', () => Promise.reject(conflict('refused by the write'))),
  ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
  expect(await seats().countDocuments({ _id: 'Desk:code:given-back' })).toBe(0);

  await createDesk('renumbered', 'first');
  await changeCode('renumbered', 1, 'first', 'second');
  expect(await seats().countDocuments({ _id: 'Desk:code:first' })).toBe(0);
  await createDesk('takes-first', 'first');
  await expect(createDesk('wants-second', 'second')).rejects.toMatchObject({ extensions: { field: 'code' } });

  // A stale version: the write refuses, the new seat is given back and the old one kept.
  await expect(changeCode('renumbered', 1, 'second', 'third')).rejects.toMatchObject({
    extensions: { code: 'CONFLICT' },
  });
  expect(await seats().countDocuments({ _id: 'Desk:code:third' })).toBe(0);
  expect(await seats().findOne({ _id: 'Desk:code:second' })).toMatchObject({ holder: 'renumbered' });
});

test('a record that comes to hold the key without a seat while one is taken wins: the seat is given back', async () => {
  // As a seed writing directly, or a write whose seat was given back after it landed: the first
  // read of the holders finds nothing, the record is stored, then the seat is inserted.
  let reads = 0;
  const key: UniqueKey = {
    ...codeKey('slipped-in'),
    get heldBy() {
      reads += 1;
      return reads === 1 ? { code: 'slipped-in', _id: 'no such desk' } : { code: 'slipped-in' };
    },
  };
  await legacyDesks([{ _id: 'without-seat', code: 'slipped-in' }]);
  const em = orm.em.fork();
  await expect(
    withUniqueSeats(em, {
      entity: Desk,
      typename: 'Desk',
      holder: 'second',
      hold: [key],
      write: () => Promise.reject(new Error('must not be written')),
    }),
  ).rejects.toMatchObject({ message: 'code: "slipped-in" is already the code of desk without-seat' });
  expect(reads).toBe(2);
  expect(await seats().countDocuments({ _id: 'Desk:code:slipped-in' })).toBe(0);
  expect(await retirements().countDocuments()).toBe(0);
});
