import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { nameFields } from './named';

export class PolicyAssessment extends HubRecord implements OwnedRecord {
  region!: string;
  /** Kept here because the region's country is what analysts filter by, and regions are free text. */
  countryCode!: string;
  /** The partner (an Organisation of the partners subgraph) that made the assessment. */
  organisationId!: string;
  pastActions?: string | null;
  currentState?: string | null;
  futureVision?: string | null;
  documentUrl?: string | null;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;

  /** The partner that made the assessment is the one that may change it. */
  ownerOrganisationIds() {
    return [this.organisationId];
  }
}

export const PolicyAssessmentSchema = new EntitySchema<PolicyAssessment, HubRecord>({
  class: PolicyAssessment,
  extends: HubRecordSchema,
  collection: 'policyAssessments',
  indexes: [
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'countryCode', 'sortName'] },
    { properties: ['organisationId', 'sortName'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    region: { type: 'string' },
    countryCode: { type: 'string' },
    organisationId: { type: 'string' },
    pastActions: { type: 'string', nullable: true },
    currentState: { type: 'string', nullable: true },
    futureVision: { type: 'string', nullable: true },
    documentUrl: { type: 'string', nullable: true },
    sortName: { type: 'string', onCreate: (a: PolicyAssessment) => nameFields(a.region).sortName },
    searchKeys: { type: 'json', onCreate: (a: PolicyAssessment) => nameFields(a.region).searchKeys },
  },
});
