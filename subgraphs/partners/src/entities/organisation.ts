import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';

export type LegalStatus = 'PUBLIC' | 'PRIVATE';
export type OrganisationType =
  | 'MINISTRY'
  | 'NATIONAL_AGENCY'
  | 'REGIONAL_AUTHORITY'
  | 'DEVELOPMENT_AGENCY'
  | 'UNIVERSITY_OR_RESEARCH_CENTRE'
  | 'CHAMBER_OR_ASSOCIATION'
  | 'CLUSTER_ORGANISATION'
  | 'NGO';

/** `_id` is `slugId(countryCode, name)`, so the country is fixed for the record's life. */
export class Organisation extends HubRecord implements OwnedRecord {
  name!: string;
  nameOriginal?: string | null;
  acronym?: string | null;
  countryCode!: string;
  nutsRegion?: string | null;
  legalStatus!: LegalStatus;
  type!: OrganisationType;
  website?: string | null;
  /** `searchKeys(name, nameOriginal, acronym)`, rewritten on every change of them. */
  searchKeys: string[] = [];

  /** An organisation's partner roles act for it, so the record is theirs to keep up to date. */
  ownerOrganisationIds(): readonly string[] {
    return [this._id];
  }
}

export const OrganisationSchema = new EntitySchema<Organisation, HubRecord>({
  class: Organisation,
  extends: HubRecordSchema,
  collection: 'organisations',
  // One per filter and sort the organisations list offers; the name breaks the filters' ties.
  indexes: [
    { properties: ['name'] },
    { properties: ['countryCode', 'name'] },
    { properties: ['type', 'name'] },
    { properties: ['legalStatus', 'name'] },
    { properties: ['createdAt'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    name: { type: 'string' },
    nameOriginal: { type: 'string', nullable: true },
    acronym: { type: 'string', nullable: true },
    countryCode: { type: 'string' },
    nutsRegion: { type: 'string', nullable: true },
    legalStatus: { type: 'string' },
    type: { type: 'string' },
    website: { type: 'string', nullable: true },
    searchKeys: { type: 'json' },
  },
});
