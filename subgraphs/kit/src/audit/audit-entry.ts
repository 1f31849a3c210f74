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
  action!: AuditAction;
  recordType!: string;
  recordId!: string;
  changes!: AuditChange[];

  get id(): Opt<string> {
    return this._id;
  }
}

export class AuditEntryConnection extends Connection<AuditEntry> {}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  collection: 'audit_log',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    at: { type: 'Date' },
    subgraph: { type: 'string' },
    actor: { type: 'string' },
    actorRole: { type: 'string' },
    actorOrganisationId: { type: 'string', nullable: true },
    requestId: { type: 'string', nullable: true },
    action: { type: 'string' },
    recordType: { type: 'string' },
    recordId: { type: 'string' },
    changes: { type: 'json' },
  },
  indexes: [{ properties: ['recordType', 'recordId', 'at'] }, { properties: ['at'] }],
});
