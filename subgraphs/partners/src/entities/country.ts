import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

export type ProgrammeStatus = 'EU_MEMBER' | 'IPA' | 'ENPI';

/** `_id` is the ISO 3166-1 alpha-2 code. */
export class Country extends HubRecord {
  name!: string;
  programmeStatus!: ProgrammeStatus;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get code(): Opt<string> {
    return this._id;
  }
}

export const CountrySchema = new EntitySchema<Country, HubRecord>({
  class: Country,
  extends: HubRecordSchema,
  collection: 'countries',
  properties: {
    code: { type: 'string', persist: false, getter: true },
    name: { type: 'string' },
    programmeStatus: { type: 'string' },
  },
});
