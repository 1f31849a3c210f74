import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';

/**
 * Explicit `type` on every property (EntitySchema), not decorators: tsx and jest's swc emit no
 * decorator metadata, and the entity must behave the same under each.
 */
export class Certification extends HubRecord implements OwnedRecord {
  organisationId!: string;
  title!: string;
  issuedOn!: Date;

  /** The kit's record rules let a partner role change only its own organisation's records. */
  ownerOrganisationIds(): readonly string[] {
    return [this.organisationId];
  }
}

export const CertificationSchema = new EntitySchema<Certification, HubRecord>({
  class: Certification,
  extends: HubRecordSchema,
  collection: 'certifications',
  // Organisation.certifications asks for many organisations at once (one $in query per tick).
  indexes: [{ properties: ['organisationId', 'archived', 'issuedOn'] }],
  properties: {
    organisationId: { type: 'string' },
    title: { type: 'string' },
    issuedOn: { type: 'Date' },
  },
});
