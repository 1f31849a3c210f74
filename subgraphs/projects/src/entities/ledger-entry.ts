import { EntitySchema } from '@mikro-orm/mongodb';

/**
 * One step of an account's running figures (see ledger.ts): the figures after the step and why
 * it was taken. `_id` is `<account>#<seq>`, so that two steps can never follow the same one.
 */
export class LedgerEntry {
  _id!: string;
  /** `budget:<budgetId>` or `project:<projectId>`. */
  account?: string;
  seq?: number;
  figures?: Record<string, number>;
  /** The claim or budget whose change this step enters, or `opening` for the sum it starts from. */
  cause?: string;
  at!: Date;
}

export const LedgerEntrySchema = new EntitySchema<LedgerEntry>({
  class: LedgerEntry,
  collection: 'ledger',
  indexes: [{ properties: ['account', 'seq'] }],
  properties: {
    _id: { type: 'string', primary: true },
    account: { type: 'string', nullable: true },
    seq: { type: 'integer', nullable: true },
    figures: { type: 'json', nullable: true },
    cause: { type: 'string', nullable: true },
    at: { type: 'Date' },
  },
});
