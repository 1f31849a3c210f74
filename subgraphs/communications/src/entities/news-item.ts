import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { draftsInAudit } from '../visibility';
import type { ContentStatus, StoredTranslation } from './content';

/**
 * Its id is `slugId(publishedOn, English title)` when created published and random when created as
 * a draft (mutation.ts), and stays when either changes.
 */
export class NewsItem extends HubRecord implements OwnedRecord {
  /** The owning organisation; lists filter drafts on it in the query, as the record rules do in memory. */
  static readonly ownerField = 'authorOrganisationId' satisfies keyof NewsItem;
  /** The audit trail keeps a draft's values for those who may see the draft. */
  static readonly auditConfidentiality = draftsInAudit(NewsItem.ownerField);

  translations!: StoredTranslation[];
  languages!: string[];
  searchKeys!: string[];
  /** UTC midnight of the day. */
  publishedOn!: Date;
  /** An Organisation of the partners subgraph. */
  authorOrganisationId!: string;
  /** A WorkingGroup of the knowledge subgraph (WG1-WG6). */
  workingGroupCode?: string;
  status!: ContentStatus;

  /** Its author's partners write it and, while it is a draft, alone read it. */
  ownerOrganisationIds(): readonly string[] {
    return [this[NewsItem.ownerField]];
  }
}

export const NewsItemSchema = new EntitySchema<NewsItem, HubRecord>({
  class: NewsItem,
  extends: HubRecordSchema,
  collection: 'news',
  // Lists filter on status and archived, then sort by date; `_id` breaks ties so pages never shuffle.
  indexes: [
    { properties: ['status', 'archived', 'publishedOn', '_id'] },
    { properties: ['createdAt', '_id'] },
    { properties: ['authorOrganisationId', 'publishedOn', '_id'] },
    { properties: ['workingGroupCode', 'publishedOn'] },
    { properties: ['languages'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    translations: { type: 'json' },
    languages: { type: 'json' },
    searchKeys: { type: 'json' },
    publishedOn: { type: 'Date' },
    authorOrganisationId: { type: 'string' },
    workingGroupCode: { type: 'string', nullable: true },
    status: { type: 'string' },
  },
});
