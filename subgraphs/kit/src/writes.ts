import {
  UniqueConstraintViolationException,
  wrap,
  type AnyEntity,
  type EntityData,
  type EntityManager,
  type EntityName,
  type RequiredEntityData,
} from '@mikro-orm/mongodb';
import type { GraphQLError } from 'graphql';
import { AUDITED_BY } from './audit/audit-entry';
import { auditStep } from './audit/fault-hook';
import {
  discard,
  openPending,
  resolvePending,
  settle,
  settleBeforeOverwrite,
  type PlannedChange,
} from './audit/pending';
import { assertMayChange } from './auth/ownership';
import { assertNotStopped } from './deadline';
import { refusedByDatabase } from './database-answers';
import { conflict, notFound } from './errors';
import { versionReadBy } from './reads';
import type { HubRecord } from './record';
import {
  CLAIM_ABANDONED_AFTER_MS,
  CLAIM_LEASE_MS,
  claimVersion,
  releaseClaim,
  withinLease,
} from './version-claims';

/**
 * Flushes the request's pending changes (usually one new record), after checking the record
 * rules on each, each with an audit entry that a crash at any step cannot lose or fake
 * (audit/pending.ts). Resolvers check for an existing record first, to answer with a clear
 * CONFLICT; this covers the race where another request inserts the same id between that check
 * and this write, which the unique `_id` refuses and which must not surface as an internal error.
 */
export async function flushNew(em: EntityManager, duplicate: () => GraphQLError): Promise<void> {
  const uow = em.getUnitOfWork();
  uow.computeChangeSets();
  const planned: PlannedChange[] = [];
  const entities: Record<string, unknown>[] = [];
  for (const changeSet of uow.getChangeSets()) {
    const { className, collection } = changeSet.meta;
    const recordId = String(changeSet.getPrimaryKey());
    const change = { entity: className, collection, recordType: className, recordId };
    if (changeSet.type === 'create') {
      assertMayChange(em, className, recordId, changeSet.entity);
      const { version } = changeSet.entity as { version?: unknown };
      planned.push({ ...change, action: 'CREATE', version: typeof version === 'number' ? version : null });
    } else {
      const before = asRecord(changeSet.entity, changeSet.originalEntity ?? {});
      assertMayChange(em, className, recordId, before, changeSet.entity);
      // Not versioned: the unit of work's update does not move the version.
      planned.push({ ...change, action: 'UPDATE', before: { ...before } });
    }
    entities.push(changeSet.entity as Record<string, unknown>);
  }
  if (planned.length === 0) return;
  // Last check before writing: a request stopped (its caller gone, its time up) changes nothing.
  // Once the record is written its audit entry is written too, stopped or not.
  assertNotStopped(em);
  const pending = await openPending(em, planned);
  // Each record carries its entry's id in its own insert: the proof that it was written.
  entities.forEach((entity, i) => (entity[AUDITED_BY] = pending[i]!._id));
  if (!withinLease(pending[0]!)) {
    for (const entry of pending) await discard(em, entry);
    throw tooSlow(planned[0]!.recordType, planned[0]!.recordId);
  }
  await auditStep('before-change', planned[0]!.recordType, planned[0]!.recordId);
  try {
    await em.flush();
  } catch (error) {
    const refused = error instanceof UniqueConstraintViolationException || refusedByDatabase(error);
    // Refused: the database answered, so what it wrote (some of a batch, perhaps) is what it keeps.
    // Otherwise the outcome is unknown until the reconciler looks, once no write can land any more.
    if (refused) for (const entry of pending) await resolvePending(em, entry);
    if (error instanceof UniqueConstraintViolationException) throw duplicate();
    throw error;
  }
  await auditStep('after-change', planned[0]!.recordType, planned[0]!.recordId);
  for (const [i, entry] of pending.entries())
    await settle(em, entry, wrap(entities[i] as AnyEntity, true).toPOJO() as object);
}

/**
 * Applies `changes` only if the record is still at `expectedVersion`, in one update of one
 * document: a client that read version 3 cannot overwrite what another wrote as version 4, and of
 * writers changing version 3 at the same moment exactly one wins, on every engine (the version
 * claim in version-claims.ts; the update's version filter alone is not atomic on FerretDB). The
 * record rules are checked on the record as stored and as it would be after the change, and the
 * change's audit entry is pending before the write and settled before the caller answers
 * (audit/pending.ts). Returns the record as now stored. NOT_FOUND if it does not exist, FORBIDDEN if the caller may not change it, CONFLICT if
 * it moved on or another writer is moving it.
 */
export async function updateVersioned<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  typename: string,
  id: string,
  expectedVersion: number,
  changes: EntityData<T>,
): Promise<T> {
  const { className, collection } = em.getMetadata(entity);
  // Resolvers derive changes (a list with one seat more, search names) from the record they
  // loaded in this request; taken before the refresh below overwrites it.
  const readVersion =
    em.getUnitOfWork().getById<HubRecord>(className, id)?.version ?? versionReadBy(em, className, id);
  const stored = await em.findOne(entity, { _id: id } as never, { refresh: true });
  if (!stored) throw notFound(typename, id);
  assertMayChange(em, typename, id, stored, asRecord(stored, { ...wrap(stored, true).toPOJO(), ...changes }));
  // A stale version is refused before anything is written, claim included.
  if (stored.version !== expectedVersion) throw staleVersion(typename, id, expectedVersion, stored.version);
  // A client that names a version newer than the one this request read (sending its next change
  // before the previous one is answered) would otherwise have changes derived from the old
  // version written over the new one.
  if (readVersion !== undefined && readVersion !== expectedVersion)
    throw staleVersion(typename, id, readVersion, stored.version);
  const before = wrap(stored, true).toPOJO() as object;
  assertNotStopped(em);
  const claim = await claimVersion(em, collection, id, expectedVersion + 1);
  if (!claim) throw await movedByAnother(em, entity, typename, id, expectedVersion);
  // Past the lease another writer may take the claim over: writing now could overlap its update.
  if (!withinLease(claim)) throw claimExpired(typename, id);
  // The state read may carry a change whose writer died before settling its entry: this update
  // takes that proof away, so it settles the entry first.
  await settleBeforeOverwrite(em, stored);
  const [pending] = await openPending(em, [
    {
      action: 'UPDATE',
      entity: className,
      collection,
      recordType: typename,
      recordId: id,
      before,
      version: expectedVersion + 1,
      claimId: claim.id,
    },
  ]);
  if (!withinLease(claim)) {
    await discard(em, pending!);
    throw claimExpired(typename, id);
  }
  await auditStep('before-change', typename, id);
  let updated: number;
  try {
    updated = await em.nativeUpdate(
      entity,
      // Kept although the claim decides: it is what makes the update conditional on MongoDB, and
      // it turns a claim taken over from an abandoned writer that did write into a no-op.
      { _id: id, version: expectedVersion } as never,
      {
        ...changes,
        version: expectedVersion + 1,
        updatedAt: new Date(),
        [AUDITED_BY]: pending!._id,
      } as EntityData<T>,
    );
  } catch (error) {
    if (refusedByDatabase(error)) {
      await releaseClaim(em, claim);
      await discard(em, pending!);
    }
    throw error;
  }
  if (updated === 0) {
    await releaseClaim(em, claim);
    await discard(em, pending!);
  }
  await auditStep('after-change', typename, id);
  const current = await em.findOne(entity, { _id: id } as never, { refresh: true });
  if (!current) throw notFound(typename, id);
  if (updated === 0) throw staleVersion(typename, id, expectedVersion, current.version);
  await settle(em, pending!, wrap(current, true).toPOJO() as object);
  return current;
}

/**
 * The CONFLICT of a writer that lost the claim. The winner may not have written yet, so the
 * version named is at least the one being written: reloading sooner may still show the old one.
 */
async function movedByAnother<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  typename: string,
  id: string,
  expectedVersion: number,
): Promise<GraphQLError> {
  const current = await em.findOne(entity, { _id: id } as never, { refresh: true });
  if (!current) return notFound(typename, id);
  return staleVersion(typename, id, expectedVersion, Math.max(current.version, expectedVersion + 1));
}

function tooSlow(typename: string, id: string): GraphQLError {
  return conflict(
    `${typename} "${id}" was not changed: the database took longer than ${CLAIM_LEASE_MS} ms to record the change. Apply your change again.`,
    { typename, key: id },
  );
}

function claimExpired(typename: string, id: string): GraphQLError {
  return conflict(
    `${typename} "${id}" was not changed: the database took longer than ${CLAIM_LEASE_MS} ms to reserve the change. ` +
      `Apply your change again in ${CLAIM_ABANDONED_AFTER_MS / 1000} s.`,
    { typename, key: id, retryAfterMs: CLAIM_ABANDONED_AFTER_MS },
  );
}

/** Stored fields given the record's class, so that its `ownerOrganisationIds()` can read them. */
function asRecord(like: object, fields: object): object {
  const record = Object.create(Object.getPrototypeOf(like) as object) as Record<string, unknown>;
  for (const [field, value] of Object.entries(fields)) {
    // Derived getters such as `id` are the class's own business.
    if (!isGetterOnly(record, field)) record[field] = value;
  }
  return record;
}

function isGetterOnly(record: object, field: string): boolean {
  for (
    let proto = Object.getPrototypeOf(record) as object | null;
    proto;
    proto = Object.getPrototypeOf(proto)
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, field);
    if (descriptor) return descriptor.get !== undefined && descriptor.set === undefined;
  }
  return false;
}

/** The CONFLICT for a change based on a version that is no longer the stored one. */
export function staleVersion(
  typename: string,
  id: string,
  basedOn: number,
  currentVersion: number,
): GraphQLError {
  return conflict(
    `${typename} "${id}" was changed by someone else: you edited version ${basedOn}, it is now at version ${currentVersion}. Reload it and apply your change again.`,
    { typename, key: id, currentVersion },
  );
}

/**
 * The record an update is based on, read fresh: NOT_FOUND if it does not exist, FORBIDDEN if the
 * caller may not change it, CONFLICT if the client's version is stale. Rules that depend on the stored state (such as a claim's status)
 * are checked on it before `updateVersioned` writes atomically, guarded by the same version, so
 * that a change in between still ends as CONFLICT rather than a lost update.
 */
export async function loadForUpdate<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  typename: string,
  id: string,
  version: number,
): Promise<T> {
  const current = await em.findOne(entity, { _id: id } as never, { refresh: true });
  if (!current) throw notFound(typename, id);
  assertMayChange(em, typename, id, current);
  if (current.version !== version) throw staleVersion(typename, id, version, current.version);
  return current;
}

/** Rows per `$in` lookup and per flush: a unit of work of tens of thousands of entities is slow. */
const INSERT_BATCH = 1000;

/**
 * Inserts the rows whose `_id` is not stored yet and leaves the others alone, so seeding twice
 * changes nothing and never overwrites what users edited. Rows go through `em.create`, so
 * defaults and onCreate hooks apply as for any new record.
 */
export async function insertMissing<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  rows: RequiredEntityData<T>[],
): Promise<number> {
  const ids = rows.map((row) => (row as unknown as { _id: string })._id);
  const existing = new Set<string>();
  // An empty collection (a first seed) needs no lookups: FerretDB pushes no `$in` down, so each
  // would read the whole collection (most of the 206 s a first seed of 44,000 claims took there).
  // The count comes from the collection's metadata on every engine.
  if ((await em.getCollection(entity).estimatedDocumentCount()) > 0) {
    for (let i = 0; i < ids.length; i += INSERT_BATCH) {
      const found = await em.find(entity, { _id: { $in: ids.slice(i, i + INSERT_BATCH) } } as never, {
        fields: ['_id'] as never,
      });
      found.forEach((row) => existing.add(row._id));
    }
  }
  const missing = rows.filter((row) => !existing.has((row as unknown as { _id: string })._id));
  for (let i = 0; i < missing.length; i += INSERT_BATCH) {
    for (const row of missing.slice(i, i + INSERT_BATCH)) em.create(entity, row);
    assertNotStopped(em);
    await em.flush();
    em.clear();
  }
  return missing.length;
}
