import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { nameFields } from './named';

export type PolicyLevel = 'NATIONAL' | 'REGIONAL';

/** Embedded in its policy: an instrument means nothing alone and always changes with it. */
export class PolicyInstrument {
  type!: string;
  name!: string;
  description?: string | null;
}

export class ClusterPolicy extends HubRecord implements OwnedRecord {
  title!: string;
  countryCode!: string;
  region?: string | null;
  level!: PolicyLevel;
  responsibleOrganisationId?: string | null;
  periodStart!: number;
  periodEnd?: number | null;
  instruments: Opt<PolicyInstrument[]> = [];
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;

  /** A partner role changes the policies its organisation is responsible for; one with none is the coordinator's. */
  ownerOrganisationIds() {
    return [this.responsibleOrganisationId];
  }
}

export const clusterPolicyNames = (p: Pick<ClusterPolicy, 'title' | 'region'>) =>
  nameFields(p.title, p.region);

export const ClusterPolicySchema = new EntitySchema<ClusterPolicy, HubRecord>({
  class: ClusterPolicy,
  extends: HubRecordSchema,
  collection: 'clusterPolicies',
  indexes: [
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'countryCode', 'sortName'] },
    { properties: ['archived', 'periodStart'] },
    { properties: ['level', 'sortName'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    title: { type: 'string' },
    countryCode: { type: 'string' },
    region: { type: 'string', nullable: true },
    level: { type: 'string' },
    responsibleOrganisationId: { type: 'string', nullable: true },
    periodStart: { type: 'integer' },
    periodEnd: { type: 'integer', nullable: true },
    instruments: { type: 'json' },
    sortName: { type: 'string', onCreate: (p: ClusterPolicy) => clusterPolicyNames(p).sortName },
    searchKeys: { type: 'json', onCreate: (p: ClusterPolicy) => clusterPolicyNames(p).searchKeys },
  },
});
