import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

/**
 * What every stored record of the hub has: a readable string key, its provenance, a version
 * for optimistic concurrency, and archiving instead of deletion (other subgraphs may still
 * refer to it by key, and a reference must never dangle).
 */
export abstract class HubRecord {
  _id!: string;
  /** A URL, `project description`, or `synthetic`. */
  source!: string;
  /** Starts at 1; every update must name the version it was based on and increments it. */
  version: Opt<number> = 1;
  archived: Opt<boolean> = false;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
  /** The audit entry of the change that gave the record this state (audit/pending.ts); not in the API. */
  auditEntryId?: Opt<string> | null;

  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get id(): Opt<string> {
    return this._id;
  }
}

export const HubRecordSchema = new EntitySchema<HubRecord>({
  name: 'HubRecord',
  abstract: true,
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    source: { type: 'string' },
    version: { type: 'integer' },
    archived: { type: 'boolean', index: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
    auditEntryId: { type: 'string', nullable: true },
  },
});
