import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';
import { nameFields } from './named';

export type EscaLabel = 'BRONZE' | 'SILVER' | 'GOLD';

/**
 * Not an OwnedRecord: a cluster profile describes an organisation outside the partnership and
 * names no partner that answers for it, so the project as a whole curates it.
 */
export class ClusterOrganisation extends HubRecord {
  name!: string;
  countryCode!: string;
  sectors: Opt<string[]> = [];
  memberCount!: number;
  /** Set together with `escaValidUntil` or not at all. */
  escaLabel?: EscaLabel | null;
  escaValidUntil?: Date | null;
  website?: string | null;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;
}

export const ClusterOrganisationSchema = new EntitySchema<ClusterOrganisation, HubRecord>({
  class: ClusterOrganisation,
  extends: HubRecordSchema,
  collection: 'clusterOrganisations',
  indexes: [
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'memberCount'] },
    { properties: ['archived', 'countryCode', 'sortName'] },
    { properties: ['escaLabel', 'sortName'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    name: { type: 'string' },
    countryCode: { type: 'string' },
    sectors: { type: 'json' },
    memberCount: { type: 'integer' },
    escaLabel: { type: 'string', nullable: true },
    escaValidUntil: { type: 'Date', nullable: true },
    website: { type: 'string', nullable: true },
    sortName: { type: 'string', onCreate: (o: ClusterOrganisation) => nameFields(o.name).sortName },
    searchKeys: { type: 'json', onCreate: (o: ClusterOrganisation) => nameFields(o.name).searchKeys },
  },
});
