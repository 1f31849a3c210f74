import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';
import { draftsInAudit } from '../visibility';
import type { ContentStatus, StoredTranslation } from './content';

/**
 * The project's newsletter, edited for the partnership as a whole: it names no owning organisation
 * (no `ownerOrganisationIds`), so partner roles neither write it nor see its drafts.
 */
export class Newsletter extends HubRecord {
  /** The audit trail keeps a draft issue's values for those who may see it: admins. */
  static readonly auditConfidentiality = draftsInAudit();

  /** Unique (index), from 1. */
  issueNumber!: number;
  publishedOn!: Date;
  /** Title and summary only: the items are the body. */
  translations!: StoredTranslation[];
  languages!: string[];
  searchKeys!: string[];
  /** NewsItem ids in reading order; kept in this document so the issue changes as one. */
  itemIds!: string[];
  status!: ContentStatus;
}

export const NewsletterSchema = new EntitySchema<Newsletter, HubRecord>({
  class: Newsletter,
  extends: HubRecordSchema,
  collection: 'newsletters',
  indexes: [
    { properties: ['status', 'archived', 'issueNumber'] },
    { properties: ['status', 'archived', 'publishedOn', '_id'] },
    { properties: ['languages'] },
    { properties: ['searchKeys'] },
  ],
  // Two editors numbering issues at once: the database refuses the second, not just our check.
  uniques: [{ properties: ['issueNumber'] }],
  properties: {
    issueNumber: { type: 'integer' },
    publishedOn: { type: 'Date' },
    translations: { type: 'json' },
    languages: { type: 'json' },
    searchKeys: { type: 'json' },
    itemIds: { type: 'json' },
    status: { type: 'string' },
  },
});
