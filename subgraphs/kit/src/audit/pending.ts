import { randomUUID } from 'node:crypto';
import { wrap, type AnyEntity, type EntityManager } from '@mikro-orm/mongodb';
import { isDuplicateKey } from '../database-answers';
import { AUDIT_LOG_COLLECTION, AUDITED_BY, type AuditAction, type AuditEntryDocument } from './audit-entry';
import { auditEntryOf, authorOf, type ChangeAuthor } from './trail';

/*
 * Why pending entries: the engines have no multi-document transactions, so a record and its audit
 * entry are two writes, and a crash between them must leave neither an unaudited change nor an
 * entry for a change that never happened. So every change the kit's write helpers make goes:
 *
 *   1. pending: a document in hub_audit_pending, with a fresh id E and all the entry needs except
 *      the state after (who, when, which record, the record as it was, the version claimed);
 *   2. change: the record's single-document write (the insert, or the versioned update) also sets
 *      the record's `auditEntryId` to E. That field is the proof: the change happened exactly
 *      when a stored state of the record carries E;
 *   3. settle: the entry E is inserted into audit_log (its `_id` unique: whoever settles first
 *      wins, the others are refused and do nothing), then the pending document is deleted.
 *
 * A pending document whose writer died is resolved by whoever meets it, always by the same rule:
 * - a writer about to overwrite a record carrying E first settles E from the state it read, so a
 *   state carrying E never disappears while E is pending (`settleBeforeOverwrite`);
 * - the reconciler (at start and periodically, reconciler.ts) takes pending documents older than
 *   PENDING_ABANDONED_AFTER_MS: if the record carries E, E is settled from it; else, if audit_log
 *   holds E, a writer settled it before overwriting; else the change never happened and the
 *   pending document is deleted. The record is read before audit_log, so an overwrite in between
 *   cannot make a settled change look absent.
 * The age is that of an abandoned version claim: a writer sends its change only within the lease
 * (CLAIM_LEASE_MS) of its claim and of its pending document, and the margin to the abandonment
 * covers a write in flight and clocks of replicas that differ, so an old pending document's
 * change can no longer land after it was judged absent.
 *
 * audit_log itself stays append-only, and holds only settled entries: readers never see a pending
 * one, and since each entry's `_id` is E, no change is recorded twice.
 */

export const AUDIT_PENDING_COLLECTION = 'hub_audit_pending';

/** A pending document older than this no longer has a writer that could still change the record. */
export { CLAIM_ABANDONED_AFTER_MS as PENDING_ABANDONED_AFTER_MS } from '../version-claims';

export interface PendingEntry {
  /** The id the settled entry gets, and what the changed record carries in `auditEntryId`. */
  _id: string;
  /** When the change was planned: the entry's time. */
  at: Date;
  author: ChangeAuthor;
  action: AuditAction;
  /** The entity class, to read the record back. */
  entity: string;
  collection: string;
  /** The type the trail names (the GraphQL type). */
  recordType: string;
  recordId: string;
  /** The stored record before the change; null for a creation. */
  before: Record<string, unknown> | null;
  /** The version the change gives the record; null for an unversioned change. */
  version: number | null;
  /** The version claim the writer holds, for an operator; null for a creation. */
  claimId: string | null;
}

export interface PlannedChange {
  action: AuditAction;
  entity: string;
  collection: string;
  recordType: string;
  recordId: string;
  before?: object;
  version?: number | null;
  claimId?: string | null;
}

function pendingEntries(em: EntityManager) {
  return em.getConnection().getCollection<PendingEntry>(AUDIT_PENDING_COLLECTION);
}

function auditLog(em: EntityManager) {
  return em.getConnection().getCollection<AuditEntryDocument>(AUDIT_LOG_COLLECTION);
}

/** Step 1: stores one pending entry per planned change, before any of them is made. */
export async function openPending(em: EntityManager, changes: PlannedChange[]): Promise<PendingEntry[]> {
  const author = authorOf(em);
  const at = new Date();
  const pending = changes.map((change): PendingEntry => ({
    _id: randomUUID(),
    at,
    author,
    action: change.action,
    entity: change.entity,
    collection: change.collection,
    recordType: change.recordType,
    recordId: change.recordId,
    before: change.before ? (storable(change.before) as Record<string, unknown>) : null,
    version: change.version ?? null,
    claimId: change.claimId ?? null,
  }));
  if (pending.length > 0) await pendingEntries(em).insertMany(pending);
  return pending;
}

/**
 * The value as the database gives it back: undefined fields left out, at any depth, so that the
 * entry a writer settles from memory and the one the reconciler settles from the stored pending
 * document are the same.
 */
function storable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : storable(item)));
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  // Dates, ids and buffers are stored as they are.
  if (proto !== Object.prototype && proto !== null) return value;
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) plain[key] = storable(item);
  return plain;
}

/**
 * Step 3: the change is stored and `after` is the record as it now is (carrying the entry's id):
 * the entry joins the trail, then the pending document goes.
 */
export async function settle(em: EntityManager, pending: PendingEntry, after: object): Promise<void> {
  const entry = auditEntryOf(
    em,
    pending._id,
    pending.at,
    pending.author,
    {
      action: pending.action,
      recordType: pending.recordType,
      recordId: pending.recordId,
      before: pending.before ?? undefined,
      after,
    },
    pending.version,
  );
  try {
    await auditLog(em).insertOne(entry);
  } catch (error) {
    // Settled already, by a writer that overwrote the record or by the reconciler.
    if (!isDuplicateKey(error)) throw error;
  }
  await pendingEntries(em).deleteOne({ _id: pending._id });
}

/** The change was refused by the database, or judged absent: nothing to record. */
export async function discard(em: EntityManager, pending: PendingEntry): Promise<void> {
  await pendingEntries(em).deleteOne({ _id: pending._id });
}

/**
 * Before a writer changes a record, the state it read: if that state carries an entry still
 * pending (its writer died after the change), the entry is settled from it now, since the
 * overwrite will take away the proof that the change happened.
 */
export async function settleBeforeOverwrite(em: EntityManager, stored: object): Promise<void> {
  const id = (stored as Record<string, unknown>)[AUDITED_BY];
  if (typeof id !== 'string') return;
  const pending = await pendingEntries(em).findOne({ _id: id });
  if (pending) await settle(em, pending, wrap(stored as AnyEntity, true).toPOJO() as object);
}

export type Resolution = 'settled' | 'discarded';

/**
 * Decides a pending entry whose writer is gone (or whose write the database answered with an
 * error, when its outcome is known): settled if the record carries it, else dropped.
 */
export async function resolvePending(em: EntityManager, pending: PendingEntry): Promise<Resolution> {
  // Read first: an overwrite after this read settled the entry before it wrote (see above).
  const record = await em.fork().findOne(pending.entity, { _id: pending.recordId }, { refresh: true });
  if (record && (record as Record<string, unknown>)[AUDITED_BY] === pending._id) {
    await settle(em, pending, wrap(record as AnyEntity, true).toPOJO() as object);
    return 'settled';
  }
  if (await auditLog(em).findOne({ _id: pending._id }, { projection: { _id: 1 } })) {
    await discard(em, pending);
    return 'settled';
  }
  await discard(em, pending);
  return 'discarded';
}

/**
 * Resolves every pending entry older than `olderThanMs` (by `now`): what the reconciler runs.
 * Returns how many were settled and how many dropped as never applied.
 */
export async function reconcilePending(
  em: EntityManager,
  options: { olderThanMs: number; now?: number },
): Promise<{ settled: number; discarded: number }> {
  const before = new Date((options.now ?? Date.now()) - options.olderThanMs);
  const old = await pendingEntries(em)
    .find({ at: { $lt: before } })
    .sort({ at: 1 })
    .toArray();
  const counts = { settled: 0, discarded: 0 };
  for (const pending of old) counts[await resolvePending(em, pending)] += 1;
  return counts;
}

/** The pending collection exists from the start, so that its first use changes no collection list. */
export async function ensurePendingCollection(em: EntityManager): Promise<void> {
  const db = em.getConnection().getDb();
  const found = await db.listCollections({ name: AUDIT_PENDING_COLLECTION }, { nameOnly: true }).toArray();
  if (found.length > 0) return;
  try {
    await db.createCollection(AUDIT_PENDING_COLLECTION);
  } catch (error) {
    // Another replica created it meanwhile (NamespaceExists).
    if ((error as { code?: unknown }).code !== 48) throw error;
  }
}
