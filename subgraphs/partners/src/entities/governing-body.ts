import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

export type GoverningBodyKind = 'STEERING_COMMITTEE' | 'ADVISORY_BOARD';
export type MembershipRole = 'CHAIR' | 'MEMBER' | 'COORDINATOR';

/** A seat, stored inside its body so that adding or removing one is a single versioned write. */
export class Membership {
  /** `slugId(organisationId, personId)`: unique within the body. */
  id!: string;
  organisationId!: string;
  personId?: string | null;
  role!: MembershipRole;
  source!: string;
}

/** Not an `OwnedRecord`: the project's bodies and their seats are the coordinator's to change. */
export class GoverningBody extends HubRecord {
  /** A Project of the projects subgraph; its period bounds the body's meetings. */
  projectId!: string;
  kind!: GoverningBodyKind;
  name!: string;
  description?: string | null;
  memberships: Membership[] = [];
}

export const GoverningBodySchema = new EntitySchema<GoverningBody, HubRecord>({
  class: GoverningBody,
  extends: HubRecordSchema,
  collection: 'governing_bodies',
  indexes: [{ properties: ['projectId', 'kind'] }],
  properties: {
    projectId: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string', nullable: true },
    memberships: { type: 'json' },
  },
});
