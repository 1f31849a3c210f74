/**
 * Changes without their audit entry, counted from what is stored: a record at version v has been
 * written v times since it was created at version 1 (its creation and v - 1 updates), each of
 * which must have appended one entry to its subgraph's `audit_log`. For records that existed
 * before, only the versions since `baseline` are counted, against the entries since `since`.
 */
import type { Db } from 'mongodb';
import { AUDIT_PENDING_COLLECTION, findUnauditedChanges } from '@clusterpolisee/kit';

export const AUDIT_COLLECTION = 'audit_log';

export interface AuditCount {
  /** Writes the stored versions say happened. */
  changes: number;
  /** Of those, how many have no entry. */
  unaudited: number;
  /** The records with a missing entry (first 20). */
  examples: Array<{ recordId: string; version: number; entries: number }>;
}

export async function countUnaudited(
  db: Db,
  records: Array<{ recordId: string; version: number; baselineVersion?: number }>,
  since?: Date,
): Promise<AuditCount> {
  if (records.length === 0) return { changes: 0, unaudited: 0, examples: [] };
  const entries = await db
    .collection<{ recordId: string; at: Date }>(AUDIT_COLLECTION)
    .aggregate<{ _id: string; n: number }>([
      {
        $match: {
          recordId: { $in: records.map((r) => r.recordId) },
          ...(since ? { at: { $gte: since } } : {}),
        },
      },
      { $group: { _id: '$recordId', n: { $sum: 1 } } },
    ])
    .toArray();
  const byRecord = new Map(entries.map((e) => [e._id, e.n]));
  let changes = 0;
  let unaudited = 0;
  const examples: AuditCount['examples'] = [];
  for (const r of records) {
    const expected = r.version - (r.baselineVersion ?? 0);
    const found = byRecord.get(r.recordId) ?? 0;
    changes += expected;
    if (found < expected) {
      unaudited += expected - found;
      if (examples.length < 20) examples.push({ recordId: r.recordId, version: r.version, entries: found });
    }
  }
  return { changes, unaudited, examples };
}

export interface HubAuditCheck {
  /** Changes stored without a settled entry and without a pending one that will settle it (must be 0). */
  unauditedChanges: number;
  /** Changes whose entry is still pending: the subgraphs' reconciler settles them (kit: audit/pending.ts). */
  pendingChanges: number;
  /** Entries claiming a change not stored, or a change recorded twice. */
  unprovenEntries: number;
  examples: string[];
}

/**
 * The kit's own check of the trail against the records (findUnauditedChanges), over every
 * subgraph's database: a change whose entry is still pending is not lost (the reconciler settles
 * it from the record, which carries the entry's id), and is counted apart.
 */
export async function hubAuditCheck(dbs: Db[]): Promise<HubAuditCheck> {
  const result: HubAuditCheck = { unauditedChanges: 0, pendingChanges: 0, unprovenEntries: 0, examples: [] };
  for (const db of dbs) {
    const check = await findUnauditedChanges(db);
    result.unprovenEntries += check.unprovenEntries;
    const pending = new Set(
      (
        await db
          .collection<{ recordId: string }>(AUDIT_PENDING_COLLECTION)
          .find({}, { projection: { recordId: 1 } })
          .toArray()
      ).map((p) => p.recordId),
    );
    for (const finding of check.findings) {
      const where = `${db.databaseName}/${finding.collection}/${finding.recordId}@${finding.version}: ${finding.kind}, ${finding.detail}`;
      if (finding.kind === 'unaudited' && pending.has(finding.recordId)) result.pendingChanges++;
      else {
        if (finding.kind === 'unaudited') result.unauditedChanges++;
        if (result.examples.length < 20) result.examples.push(where);
      }
    }
  }
  return result;
}

/** Pending audit entries left in every subgraph's database. */
export async function pendingEntries(dbs: Db[]): Promise<number> {
  let n = 0;
  for (const db of dbs) n += await db.collection(AUDIT_PENDING_COLLECTION).countDocuments();
  return n;
}
