import type { Db } from 'mongodb';
import { AUDIT_LOG_COLLECTION, AUDITED_BY } from './audit-entry';
import { AUDIT_PENDING_COLLECTION } from './pending';

/** A change stored without its settled audit entry, or an entry that does not match what is stored. */
export interface AuditFinding {
  collection: string;
  recordId: string;
  /** The record's version as stored. */
  version: number | null;
  /**
   * `unaudited`: the record's state carries an entry id audit_log lacks, or a version the record
   * went through has no entry; `duplicate`: a version has more than one entry; `phantom`: an entry
   * names a version the record never reached.
   */
  kind: 'unaudited' | 'duplicate' | 'phantom';
  detail: string;
}

export interface AuditCheck {
  /** Changes without a settled entry: what the reliability harness reports as `unauditedChanges`. */
  unauditedChanges: number;
  /** Entries claiming a change that is not stored, or a change recorded twice. */
  unprovenEntries: number;
  /** Entries still pending (not yet a fact; the reconciler settles or drops them). */
  pendingEntries: number;
  findings: AuditFinding[];
}

interface EntryFacts {
  _id: string;
  recordType: string;
  recordId: string;
  action: string;
  version?: number | null;
}

/**
 * Reads one subgraph's database and checks the trail against the records, for tests and the
 * reliability harness (it reads every record: not for a request path). For each record that a
 * kit write helper changed (it carries `auditEntryId`): that entry must be in audit_log, and each
 * version from its creation (or its first entry, for a seeded record) to the stored one must have
 * exactly one entry, none beyond. Call it after the reconciler ran (a subgraph's start does, for
 * entries older than 30 s), or count `pendingEntries` as in flight.
 */
export async function findUnauditedChanges(db: Db): Promise<AuditCheck> {
  const entries = await db
    .collection<EntryFacts>(AUDIT_LOG_COLLECTION)
    .find({}, { projection: { _id: 1, recordType: 1, recordId: 1, action: 1, version: 1 } })
    .toArray();
  const byId = new Map(entries.map((entry) => [entry._id, entry]));
  const byRecord = new Map<string, EntryFacts[]>();
  for (const entry of entries) {
    const key = `${entry.recordType}\u0000${entry.recordId}`;
    byRecord.set(key, [...(byRecord.get(key) ?? []), entry]);
  }
  const findings: AuditFinding[] = [];
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    .filter(
      (name) => name !== AUDIT_LOG_COLLECTION && !name.startsWith('hub_') && !name.startsWith('system.'),
    )
    .sort();
  for (const collection of names) {
    const records = await db
      .collection<{ _id: string; version?: unknown; [AUDITED_BY]?: unknown }>(collection)
      .find({ [AUDITED_BY]: { $type: 'string' } }, { projection: { _id: 1, version: 1, [AUDITED_BY]: 1 } })
      .toArray();
    for (const record of records) {
      const version = typeof record.version === 'number' ? record.version : null;
      const found = (kind: AuditFinding['kind'], detail: string) =>
        findings.push({ collection, recordId: String(record._id), version, kind, detail });
      const latest = byId.get(record[AUDITED_BY] as string);
      if (!latest) {
        found(
          'unaudited',
          `its current state's entry ${String(record[AUDITED_BY])} is not in ${AUDIT_LOG_COLLECTION}`,
        );
        continue;
      }
      if (version === null) continue;
      const versioned = (byRecord.get(`${latest.recordType}\u0000${latest.recordId}`) ?? []).filter(
        (entry) => typeof entry.version === 'number',
      );
      const created = versioned.some((entry) => entry.action === 'CREATE');
      const first = created ? 1 : Math.min(...versioned.map((entry) => entry.version!));
      for (let v = first; v <= version; v += 1) {
        const count = versioned.filter((entry) => entry.version === v).length;
        if (count === 0) found('unaudited', `no entry for version ${v}`);
        if (count > 1) found('duplicate', `${count} entries for version ${v}`);
      }
      for (const entry of versioned)
        if (entry.version! > version) found('phantom', `entry ${entry._id} for version ${entry.version}`);
    }
  }
  const pendingEntries = await db.collection(AUDIT_PENDING_COLLECTION).countDocuments();
  return {
    unauditedChanges: findings.filter((finding) => finding.kind === 'unaudited').length,
    unprovenEntries: findings.filter((finding) => finding.kind !== 'unaudited').length,
    pendingEntries,
    findings,
  };
}
