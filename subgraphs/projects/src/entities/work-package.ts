import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

export type OutputStatus = 'PLANNED' | 'IN_PROGRESS' | 'DONE' | 'LATE';

/**
 * A deliverable or milestone, embedded in its work package: it is only ever read with it, and
 * one document keeps the package and its due dates consistent in one write.
 */
export interface WorkPackageOutput {
  code: string;
  title: string;
  /**
   * `YYYY-MM-DD`. A string rather than a Date inside the embedded JSON: it sorts the same, and
   * the ORM passes JSON through without converting dates on the way back.
   */
  dueOn: string;
  status: OutputStatus;
  source: string;
}

export class WorkPackage extends HubRecord {
  /** `_id` is project-scoped, e.g. `clusterpolisee-wp3`, since every project numbers from WP0. */
  /** `WP0` ... `WP6`; unique within the project, archived packages included. */
  code!: string;
  title!: string;
  projectId!: string;
  /** An Organisation of the partners subgraph; unset where the lead is not public. */
  leadOrganisationId?: string;
  activities!: string[];
  deliverables!: WorkPackageOutput[];
  milestones!: WorkPackageOutput[];
}

export const WorkPackageSchema = new EntitySchema<WorkPackage, HubRecord>({
  class: WorkPackage,
  extends: HubRecordSchema,
  collection: 'workPackages',
  uniques: [{ properties: ['projectId', 'code'] }],
  indexes: [{ properties: ['leadOrganisationId'] }],
  properties: {
    code: { type: 'string' },
    title: { type: 'string' },
    projectId: { type: 'string' },
    leadOrganisationId: { type: 'string', nullable: true },
    activities: { type: 'json' },
    deliverables: { type: 'json' },
    milestones: { type: 'json' },
  },
});
