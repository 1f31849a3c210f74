import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export type ProgrammeStatus = 'EU_MEMBER' | 'IPA' | 'ENPI';

export class Country {
  /** ISO 3166-1 alpha-2 code. */
  _id!: string;
  name!: string;
  programmeStatus!: ProgrammeStatus;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get code(): Opt<string> {
    return this._id;
  }
}

export const CountrySchema = new EntitySchema<Country>({
  class: Country,
  collection: 'countries',
  properties: {
    _id: { type: 'string', primary: true },
    code: { type: 'string', persist: false, getter: true },
    name: { type: 'string' },
    programmeStatus: { type: 'string' },
    source: { type: 'string' },
  },
});
