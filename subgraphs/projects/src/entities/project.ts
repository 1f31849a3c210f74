import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

export type ProjectStatus = 'PLANNED' | 'RUNNING' | 'CLOSED';

export class Project extends HubRecord {
  /** `_id` is a slug of the acronym, e.g. `clusterpolisee`. */
  acronym!: string;
  title!: string;
  /** The programme's reference, unique across projects, e.g. `SEE/C/0008/1.3/X`. */
  reference!: string;
  programmeId!: string;
  /** A `number` of the programme's priority axes. */
  priorityAxis!: number;
  /** e.g. `3rd call`. */
  call?: string;
  strategic!: boolean;
  /** UTC midnight of the first day. */
  startDate!: Date;
  /** UTC midnight of the last day. */
  endDate!: Date;
  status!: ProjectStatus;
  /** Integer cents: money is never a float here. */
  totalCents!: number;
  /** ISO 4217 code shared by every amount of the project. */
  currency!: string;
  searchKeys!: string[];
}

export const ProjectSchema = new EntitySchema<Project, HubRecord>({
  class: Project,
  extends: HubRecordSchema,
  collection: 'projects',
  indexes: [
    { properties: ['archived', 'acronym'] },
    { properties: ['archived', 'startDate'] },
    { properties: ['status', 'acronym'] },
    { properties: ['searchKeys'] },
    { properties: ['programmeId'] },
  ],
  // A reference names one project; the index also settles two creations racing each other.
  uniques: [{ properties: ['reference'] }],
  properties: {
    acronym: { type: 'string' },
    title: { type: 'string' },
    reference: { type: 'string' },
    programmeId: { type: 'string' },
    priorityAxis: { type: 'integer' },
    call: { type: 'string', nullable: true },
    strategic: { type: 'boolean' },
    startDate: { type: 'Date' },
    endDate: { type: 'Date' },
    status: { type: 'string' },
    totalCents: { type: 'integer' },
    currency: { type: 'string' },
    searchKeys: { type: 'json' },
  },
});
