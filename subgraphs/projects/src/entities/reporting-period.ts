import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

/** One of the project's reporting periods, to which partners' expenditure claims belong. */
export class ReportingPeriod extends HubRecord {
  /** `_id` is e.g. `clusterpolisee-p1`. */
  projectId!: string;
  /** 1, 2, ... in date order. */
  number!: number;
  startDate!: Date;
  endDate!: Date;
}

export const ReportingPeriodSchema = new EntitySchema<ReportingPeriod, HubRecord>({
  class: ReportingPeriod,
  extends: HubRecordSchema,
  collection: 'reportingPeriods',
  uniques: [{ properties: ['projectId', 'number'] }],
  properties: {
    projectId: { type: 'string' },
    number: { type: 'integer' },
    startDate: { type: 'Date' },
    endDate: { type: 'Date' },
  },
});
