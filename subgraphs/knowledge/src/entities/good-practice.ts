import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { nameFields } from './named';

export type Transferability = 'LOW' | 'MEDIUM' | 'HIGH';

export class GoodPractice extends HubRecord implements OwnedRecord {
  title!: string;
  description?: string | null;
  /** The thematic area: a WorkingGroup code. */
  workingGroupCode!: string;
  countryCode!: string;
  /** An Organisation of the partners subgraph, where one is named. */
  organisationId?: string | null;
  successFactors: Opt<string[]> = [];
  transferability!: Transferability;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;

  /** The contributing organisation maintains it; a practice naming none is the coordinator's. */
  ownerOrganisationIds() {
    return [this.organisationId];
  }
}

export const GoodPracticeSchema = new EntitySchema<GoodPractice, HubRecord>({
  class: GoodPractice,
  extends: HubRecordSchema,
  collection: 'goodPractices',
  indexes: [
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'createdAt'] },
    { properties: ['archived', 'countryCode', 'sortName'] },
    { properties: ['workingGroupCode', 'archived', 'sortName'] },
    { properties: ['organisationId', 'archived', 'sortName'] },
    { properties: ['transferability', 'sortName'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    title: { type: 'string' },
    description: { type: 'string', nullable: true },
    workingGroupCode: { type: 'string' },
    countryCode: { type: 'string' },
    organisationId: { type: 'string', nullable: true },
    successFactors: { type: 'json' },
    transferability: { type: 'string' },
    sortName: { type: 'string', onCreate: (g: GoodPractice) => nameFields(g.title).sortName },
    searchKeys: { type: 'json', onCreate: (g: GoodPractice) => nameFields(g.title).searchKeys },
  },
});
