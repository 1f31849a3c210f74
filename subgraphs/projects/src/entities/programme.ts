import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

export interface PriorityAxis {
  number: number;
  title: string;
}

/** A funding programme such as SEE 2007-2013: the frame a project's reference and axis belong to. */
export class Programme extends HubRecord {
  name!: string;
  acronym!: string;
  /** The Common Command Identifier of an EU programme, e.g. `2007CB163PO069`. */
  cci!: string;
  /** Embedded: a handful per programme, never queried alone. */
  priorityAxes!: PriorityAxis[];
}

export const ProgrammeSchema = new EntitySchema<Programme, HubRecord>({
  class: Programme,
  extends: HubRecordSchema,
  collection: 'programmes',
  properties: {
    name: { type: 'string' },
    acronym: { type: 'string' },
    cci: { type: 'string' },
    priorityAxes: { type: 'json' },
  },
});
