import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { Connection } from '../pagination';

export type AuditAction = 'CREATE' | 'UPDATE';

export interface AuditChange {
  field: string;
  /** JSON text of the stored value; null when the field was absent. */
  before: string | null;
  after: string | null;
}

/**
 * Who may read the values an entry records of a record in one state: callers holding `scope` and
 * acting for one of `organisationIds` (roles not bound to an organisation hold it for all).
 */
export interface Confidentiality {
  scope: string;
  organisationIds: string[];
}

/** The confidentiality of each side of a change, judged when it was written; null: readable by any reader of the trail. */
export interface EntryConfidentiality {
  before: Confidentiality | null;
  after: Confidentiality | null;
}

/**
 * The field of every record written through the kit that names the audit entry of the change
 * that gave the record its current state: written in the same single-document write as the
 * change, it is what proves, after a crash, that a pending entry's change happened (pending.ts).
 */
export const AUDITED_BY = 'auditEntryId';

/** The name of the trail's collection. */
export const AUDIT_LOG_COLLECTION = 'audit_log';

/**
 * One change to one record. The collection is append-only: the kit inserts entries and has no
 * code path that updates or deletes them.
 */
export class AuditEntry {
  _id!: string;
  at!: Date;
  subgraph!: string;
  actor!: string;
  actorRole!: string;
  actorOrganisationId!: string | null;
  requestId!: string | null;
  /** The id the client sent for its request: its own label, unverified. */
  clientRequestId?: string | null;
  action!: AuditAction;
  recordType!: string;
  recordId!: string;
  /** The version the change gave the record; absent from unversioned changes and older entries. */
  version?: number | null;
  changes!: AuditChange[];
  /** Absent from entries written before the trail recorded it: see `withheldSides`. */
  confidentiality?: EntryConfidentiality | null;

  get id(): Opt<string> {
    return this._id;
  }
}

/** An entry as stored. */
export type AuditEntryDocument = Omit<AuditEntry, 'id'>;

export class AuditEntryConnection extends Connection<AuditEntry> {}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  collection: AUDIT_LOG_COLLECTION,
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    at: { type: 'Date' },
    subgraph: { type: 'string' },
    actor: { type: 'string' },
    actorRole: { type: 'string' },
    actorOrganisationId: { type: 'string', nullable: true },
    requestId: { type: 'string', nullable: true },
    clientRequestId: { type: 'string', nullable: true },
    action: { type: 'string' },
    recordType: { type: 'string' },
    recordId: { type: 'string' },
    version: { type: 'integer', nullable: true },
    changes: { type: 'json' },
    confidentiality: { type: 'json', nullable: true },
  },
  indexes: [{ properties: ['recordType', 'recordId', 'at'] }, { properties: ['at'] }],
});
