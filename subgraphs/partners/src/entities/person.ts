import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';

/** `_id` is `slugId(organisationId, name)`. */
export class Person extends HubRecord implements OwnedRecord {
  name!: string;
  organisationId!: string;
  position?: string | null;
  email?: string | null;
  phone?: string | null;
  searchKeys: string[] = [];

  /** The people an organisation employs are its own to record, correct and archive. */
  ownerOrganisationIds(): readonly string[] {
    return [this.organisationId];
  }
}

export const PersonSchema = new EntitySchema<Person, HubRecord>({
  class: Person,
  extends: HubRecordSchema,
  collection: 'people',
  indexes: [
    { properties: ['name'] },
    { properties: ['organisationId', 'name'] },
    { properties: ['createdAt'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    name: { type: 'string' },
    organisationId: { type: 'string' },
    position: { type: 'string', nullable: true },
    email: { type: 'string', nullable: true },
    phone: { type: 'string', nullable: true },
    searchKeys: { type: 'json' },
  },
});
