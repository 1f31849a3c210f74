import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager, EntityName } from '@mikro-orm/mongodb';
import { GraphQLError } from 'graphql';
import { conflict } from './errors';
import { requestScopeOf } from './request-scope';
import { isDuplicateKey, refusedByDatabase } from './database-answers';
import { CLAIM_ABANDONED_AFTER_MS, CLAIM_LEASE_MS } from './version-claims';

/*
 * Why seats exist: some rules say that at most one live record holds a value derived from its
 * fields (the lead partner of a project, a partner number within a project). A unique index
 * cannot say it (the value is optional, or a condition on a field: that needs a partial index,
 * which FerretDB lacks), and reading "is it taken?" before writing lets simultaneous writers all
 * pass. The one guarantee MongoDB, FerretDB 1.24 and mongo-java-server all give under concurrency
 * is that a second insert of an `_id` is refused (FerretDB applies filtered updates and deletes
 * as a read, then a write by `_id`). So a writer first inserts a seat whose `_id` is the value's
 * key, naming its record as holder, and writes the record only if the database took the seat.
 *
 * A seat can outlive its reason: its writer crashed before writing the record, or wrote it and
 * crashed before giving back a key the record no longer holds. So a seat is only ever believed
 * together with the records: a seat whose holder, as stored, is live and holds the key is taken;
 * one whose holder does not hold it is either being written right now (younger than
 * SEAT_ABANDONED_AFTER_MS) or stale, and a stale seat is retired and taken again. The holder
 * sends its record write only while its seat is younger than SEAT_LEASE_MS; the gap to
 * SEAT_ABANDONED_AFTER_MS covers a version claim the write takes after that (its own lease) and
 * the claims' allowance for clocks and a write in flight (version-claims.ts), so a write can no
 * longer land by the time its seat counts as stale.
 *
 * Deleting a seat is where FerretDB would let two writers in: its `deleteOne({ _id, holder })`
 * reads the seat, then deletes by `_id`, which can remove a seat inserted in between by a third
 * writer. So every seat carries a token, and a seat is deleted only by the one writer that wins
 * the unique insert of a retirement named after that token: whoever gives it back, releases it
 * or takes it over stale. Since only that writer deletes the seat, no newer seat can exist
 * while it does. Once the seat's delete is acknowledged no later delete can match the token, so
 * the retirement is deleted too; one whose writer died before deleting the seat is abandoned
 * after SEAT_ABANDONED_AFTER_MS and the next attempt of the same retirement taken.
 *
 * Records written before seats existed (a seed, an older release) hold keys with no seat. They
 * are found when a seat is taken: the records are read for another live holder of the key before
 * the insert (the usual refusal, which then writes nothing) and again right after it, and if
 * there is one the new seat is given back and the write refused. No backfill is needed, and a
 * seed may keep writing records directly while nothing else writes; a record that holds its key
 * without a seat takes one the next time it is written.
 */

export const UNIQUE_SEATS_COLLECTION = 'hub_unique_seats';
export const SEAT_RETIREMENTS_COLLECTION = 'hub_unique_seat_retirements';
export const SEAT_LEASE_MS = CLAIM_LEASE_MS;
export const SEAT_ABANDONED_AFTER_MS = CLAIM_LEASE_MS + CLAIM_ABANDONED_AFTER_MS;

/**
 * Every round that fails makes progress for someone (a seat retired, a seat taken) or waits for
 * a retirement at work, so a long chain means a writer died mid-retirement or seats were damaged
 * by hand, not a workload; refusing beats looping.
 */
const MAX_ROUNDS = 20;

interface SeatDocument {
  /** The key. */
  _id: string;
  /** The `_id` of the record that holds, or is being written to hold, the key. */
  holder: string;
  /** Names this seat among all seats the key ever had, for its retirement. */
  token: string;
  /** When the holder sent the insert, by its clock. */
  at: Date;
  /** The request that took it, for an operator looking at a blocked key; null outside requests. */
  requestId: string | null;
}

interface RetirementDocument {
  /** `<seat token>#<attempt>`. */
  _id: string;
  key: string;
  holder: string;
  by: string;
  at: Date;
}

/** A value at most one live record may hold, and how to find the records that hold it. */
export interface UniqueKey {
  /** The seat's `_id`, e.g. `ProjectPartner:<projectId>:LEAD`; unique across the hub. */
  key: string;
  /**
   * A MongoDB filter on the stored records matching those that hold the key; the archived are
   * left out by the kit, as an archived record holds nothing.
   */
  heldBy: Record<string, unknown>;
  /** The refusal when another record holds the key, or is being written to hold it now. */
  taken: (holderId: string) => GraphQLError;
}

export interface SeatedWrite<T> {
  /** The records' entity and its GraphQL type name (for a CONFLICT). */
  entity: EntityName<object>;
  typename: string;
  /** The `_id` of the record written. */
  holder: string;
  /** Every key the record holds once written, those it holds already included. */
  hold: UniqueKey[];
  /** Keys the record holds as stored and no longer holds once written. */
  release?: string[];
  /**
   * Writes the record. It must send its write promptly: within the request's time budget, and,
   * if it takes a version claim, within that claim's lease (flushNew and updateVersioned do).
   */
  write: () => Promise<T>;
}

/**
 * Writes a record that is to hold `hold` and stop holding `release`, so that of simultaneous
 * writers of one key exactly one succeeds on every engine, and the others get the key's `taken`
 * error. Seats are taken in the order given, before the write; those taken are given back if the
 * write is refused; released keys are freed once the write succeeded.
 */
export async function withUniqueSeats<T>(em: EntityManager, options: SeatedWrite<T>): Promise<T> {
  const { holder, hold, release = [], write } = options;
  const taken: SeatDocument[] = [];
  try {
    for (const key of hold) {
      const seat = await takeSeat(em, options, key);
      if (seat) taken.push(seat);
    }
  } catch (error) {
    await giveBack(em, holder, taken);
    throw error;
  }
  if (taken.some((seat) => !withinLease(seat.at))) {
    await giveBack(em, holder, taken);
    throw conflict(
      `${options.typename} "${holder}" was not changed: the database took longer than ${SEAT_LEASE_MS} ms to reserve its unique values. Apply your change again.`,
      { typename: options.typename, key: holder },
    );
  }
  // Read before the write: once the record lets go of a key, the same record may take it again
  // (a later change), and only the seat held now is this write's to free.
  const held = new Set(hold.map((key) => key.key));
  const releasing: SeatDocument[] = [];
  for (const key of release) {
    if (held.has(key)) continue;
    const seat = await seats(em).findOne({ _id: key });
    if (seat?.holder === holder) releasing.push(seat);
  }
  let written: T;
  try {
    written = await write();
  } catch (error) {
    // A refusal (ours or the database's) wrote nothing and will not later; after any other error
    // (a lost connection) the write may still land, so its seats stay until abandoned.
    if (error instanceof GraphQLError || refusedByDatabase(error)) await giveBack(em, holder, taken);
    throw error;
  }
  for (const seat of releasing) await retire(em, seat, holder);
  return written;
}

/**
 * Takes the seat of `wanted` for the holder: the seat inserted, or null if the holder held it
 * already. Throws the key's `taken` error if another record holds it or is being written to.
 */
async function takeSeat(
  em: EntityManager,
  options: SeatedWrite<unknown>,
  wanted: UniqueKey,
): Promise<SeatDocument | null> {
  const { holder } = options;
  const requestId = requestScopeOf(em)?.requestId ?? null;
  // The usual refusal, by a record that holds the key as stored, writes nothing at all.
  const stored = (await liveHolders(em, options.entity, wanted)).find((id) => id !== holder);
  if (stored !== undefined) throw wanted.taken(stored);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const seat: SeatDocument = { _id: wanted.key, holder, token: randomUUID(), at: new Date(), requestId };
    try {
      await seats(em).insertOne(seat);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const current = await seats(em).findOne({ _id: wanted.key });
      // Retired between our insert and this read: the key may be free again.
      if (!current) continue;
      const holders = await liveHolders(em, options.entity, wanted);
      // Another live holder is named first: it holds the key for sure, a writer at work may fail.
      const other = holders.find((id) => id !== holder);
      if (holders.includes(current.holder)) {
        if (other === undefined) return null;
        throw wanted.taken(other);
      }
      if (!isAbandoned(current.at)) {
        if (other !== undefined) throw wanted.taken(other);
        throw current.holder === holder ? beingChanged(options) : wanted.taken(current.holder);
      }
      // Losing the retirement means another writer is retiring the seat: its outcome (a new seat,
      // or none) is read next round, once it had time to finish.
      if (!(await retire(em, current, holder))) await sleep(Math.random() * 10 * (round + 1));
      continue;
    }
    // Read again now that the seat is ours: a record may have come to hold the key without a seat
    // (a seed, a write whose seat was given back after it landed) since the read above.
    const others = (await liveHolders(em, options.entity, wanted)).filter((id) => id !== holder);
    if (others.length > 0) {
      await giveBack(em, holder, [seat]);
      throw wanted.taken(others[0]!);
    }
    return seat;
  }
  // Another writer's retirement of the stale seat never finished; it is abandoned in time.
  throw conflict(
    `${options.typename} "${holder}" was not changed: "${wanted.key}" is being freed by another request. Apply your change again in ${SEAT_ABANDONED_AFTER_MS / 1000} s.`,
    { typename: options.typename, key: holder, retryAfterMs: SEAT_ABANDONED_AFTER_MS },
  );
}

function beingChanged({ typename, holder }: SeatedWrite<unknown>): GraphQLError {
  return conflict(
    `${typename} "${holder}" is being changed by another request. Reload it and apply your change again.`,
    { typename, key: holder },
  );
}

async function giveBack(em: EntityManager, holder: string, taken: SeatDocument[]): Promise<void> {
  for (const seat of taken) await retire(em, seat, holder);
}

/**
 * Deletes `seat` if this writer wins its retirement; false if another writer is retiring it.
 * A retirement whose writer died before deleting is abandoned like a seat, and the next attempt
 * of the same seat's retirement taken.
 */
async function retire(em: EntityManager, seat: SeatDocument, by: string): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ROUNDS; attempt += 1) {
    const at = new Date();
    try {
      await retirements(em).insertOne({
        _id: `${seat.token}#${attempt}`,
        key: seat._id,
        holder: seat.holder,
        by,
        at,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const other = await retirements(em).findOne({ _id: `${seat.token}#${attempt}` });
      if (other && !isAbandoned(other.at)) return false;
      continue;
    }
    // A retirement past its lease may be overtaken by the next attempt, whose delete this one
    // must not overlap; the seat is then left for that attempt.
    if (!withinLease(at)) return false;
    await seats(em).deleteOne({ _id: seat._id, token: seat.token });
    // Once that seat is gone no delete can match it, so its retirement has nothing left to guard.
    await retirements(em).deleteOne({ _id: `${seat.token}#${attempt}` });
    return true;
  }
  throw new Error(
    `${MAX_ROUNDS} retirements of seat "${seat._id}" (token ${seat.token}) were found abandoned; ` +
      `inspect the ${SEAT_RETIREMENTS_COLLECTION} documents starting "${seat.token}#"`,
  );
}

/** The live records holding the key as stored now, read past the request's identity map. */
async function liveHolders(em: EntityManager, entity: EntityName<object>, key: UniqueKey): Promise<string[]> {
  const { collection } = em.getMetadata(entity);
  const found = await em
    .getConnection()
    .getCollection<{ _id: string }>(collection)
    .find({ ...key.heldBy, archived: false }, { projection: { _id: 1 } })
    .toArray();
  return found.map((record) => record._id);
}

function seats(em: EntityManager) {
  return em.getConnection().getCollection<SeatDocument>(UNIQUE_SEATS_COLLECTION);
}

function retirements(em: EntityManager) {
  return em.getConnection().getCollection<RetirementDocument>(SEAT_RETIREMENTS_COLLECTION);
}

function withinLease(at: Date, now = Date.now()): boolean {
  return now - at.getTime() < SEAT_LEASE_MS;
}

/** A seat without a readable time was not written by the kit; it must not block a key forever. */
function isAbandoned(at: unknown, now = Date.now()): boolean {
  return !(at instanceof Date) || now - at.getTime() > SEAT_ABANDONED_AFTER_MS;
}
