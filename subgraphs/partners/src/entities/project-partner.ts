import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

export type PartnerRole = 'LEAD' | 'PARTNER' | 'ASSOCIATED';
export type FundingSource = 'ERDF' | 'IPA' | 'ENPI';

/**
 * `_id` is `<projectId>--<organisationId>`: an organisation takes part in a project once. Not an
 * `OwnedRecord`: a place in the partnership is the project's decision, so partner roles never
 * change it, not even their own.
 */
export class ProjectPartner extends HubRecord {
  /** A Project of the projects subgraph, named by key only. */
  projectId!: string;
  organisationId!: string;
  /** The organisation's, copied here so that counts by country need no join. */
  countryCode!: string;
  role!: PartnerRole;
  partnerNumber?: string | null;
  fundingSource!: FundingSource;
  joinedOn!: Date;
  leftOn?: Date | null;
}

export function projectPartnerId(projectId: string, organisationId: string): string {
  return `${projectId}--${organisationId}`;
}

export const ProjectPartnerSchema = new EntitySchema<ProjectPartner, HubRecord>({
  class: ProjectPartner,
  extends: HubRecordSchema,
  collection: 'project_partners',
  indexes: [
    { properties: ['projectId', 'countryCode'] },
    { properties: ['projectId', 'role'] },
    { properties: ['projectId', 'fundingSource'] },
    { properties: ['projectId', 'partnerNumber'] },
    { properties: ['projectId', 'joinedOn'] },
    { properties: ['projectId', 'createdAt'] },
    { properties: ['organisationId'] },
  ],
  properties: {
    projectId: { type: 'string' },
    organisationId: { type: 'string' },
    countryCode: { type: 'string' },
    role: { type: 'string' },
    partnerNumber: { type: 'string', nullable: true },
    fundingSource: { type: 'string' },
    joinedOn: { type: 'Date' },
    leftOn: { type: 'Date', nullable: true },
  },
});
