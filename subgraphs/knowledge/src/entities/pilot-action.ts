import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { nameFields } from './named';

export class PilotAction extends HubRecord implements OwnedRecord {
  title!: string;
  leadOrganisationId!: string;
  /**
   * The lead organisation's country, denormalised: the organisation lives in the partners
   * subgraph, and counting pilots by country must run in this database (no cross-database join).
   * Supplied with the pilot and validated as an ISO code.
   */
  countryCode!: string;
  workingGroupCode!: string;
  startDate!: Date;
  endDate!: Date;
  results?: string | null;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;

  /** The lead organisation runs the pilot and reports its results. */
  ownerOrganisationIds() {
    return [this.leadOrganisationId];
  }
}

export const PilotActionSchema = new EntitySchema<PilotAction, HubRecord>({
  class: PilotAction,
  extends: HubRecordSchema,
  collection: 'pilotActions',
  indexes: [
    { properties: ['archived', 'startDate'] },
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'countryCode', 'startDate'] },
    { properties: ['workingGroupCode', 'archived', 'startDate'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    title: { type: 'string' },
    leadOrganisationId: { type: 'string' },
    countryCode: { type: 'string' },
    workingGroupCode: { type: 'string' },
    startDate: { type: 'Date' },
    endDate: { type: 'Date' },
    results: { type: 'string', nullable: true },
    sortName: { type: 'string', onCreate: (p: PilotAction) => nameFields(p.title).sortName },
    searchKeys: { type: 'json', onCreate: (p: PilotAction) => nameFields(p.title).searchKeys },
  },
});
