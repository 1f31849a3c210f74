import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export type PartnerRole = 'LEAD' | 'PARTNER';

export class Organisation {
  _id!: string;
  name!: string;
  nameOriginal?: string;
  acronym?: string;
  countryCode!: string;
  partnerRole?: PartnerRole;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get id(): Opt<string> {
    return this._id;
  }

  createdAt: Opt<Date> = new Date();
}

export const OrganisationSchema = new EntitySchema<Organisation>({
  class: Organisation,
  collection: 'organisations',
  indexes: [{ properties: ['countryCode', 'name'] }, { properties: ['name'] }],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    name: { type: 'string' },
    nameOriginal: { type: 'string', nullable: true },
    acronym: { type: 'string', nullable: true },
    countryCode: { type: 'string' },
    partnerRole: { type: 'string', nullable: true },
    source: { type: 'string' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
