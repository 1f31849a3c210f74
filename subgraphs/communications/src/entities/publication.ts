import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { draftsInAudit } from '../visibility';
import type { ContentStatus, StoredTranslation } from './content';

export type PublicationType = 'REPORT' | 'FACTSHEET' | 'BROCHURE' | 'ARTICLE' | 'PRESENTATION' | 'OTHER';

export class Publication extends HubRecord implements OwnedRecord {
  /** The owning organisation; lists filter drafts on it in the query, as the record rules do in memory. */
  static readonly ownerField = 'authorOrganisationId' satisfies keyof Publication;
  /** The audit trail keeps a draft's values for those who may see the draft. */
  static readonly auditConfidentiality = draftsInAudit(Publication.ownerField);

  type!: PublicationType;
  /** Each may carry its own `url`, the document in that language. */
  translations!: StoredTranslation[];
  languages!: string[];
  searchKeys!: string[];
  /** The link for languages without their own. At least one link exists, here or in a translation. */
  url?: string;
  publishedOn!: Date;
  authorOrganisationId!: string;
  status!: ContentStatus;

  /** Its author's partners write it and, while it is a draft, alone read it. */
  ownerOrganisationIds(): readonly string[] {
    return [this[Publication.ownerField]];
  }
}

export const PublicationSchema = new EntitySchema<Publication, HubRecord>({
  class: Publication,
  extends: HubRecordSchema,
  collection: 'publications',
  indexes: [
    { properties: ['status', 'archived', 'publishedOn', '_id'] },
    { properties: ['createdAt', '_id'] },
    { properties: ['type', 'publishedOn'] },
    { properties: ['authorOrganisationId', 'publishedOn'] },
    { properties: ['languages'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    type: { type: 'string' },
    translations: { type: 'json' },
    languages: { type: 'json' },
    searchKeys: { type: 'json' },
    url: { type: 'string', nullable: true },
    publishedOn: { type: 'Date' },
    authorOrganisationId: { type: 'string' },
    status: { type: 'string' },
  },
});
