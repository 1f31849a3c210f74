import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

/**
 * `_id` is `<bodyId>-<YYYY-MM-DD>`: one meeting per body and day. Not an `OwnedRecord`, like its
 * body: the minutes are the project's, whoever attended.
 */
export class Meeting extends HubRecord {
  bodyId!: string;
  date!: Date;
  place!: string;
  decisions: string[] = [];
}

export const MeetingSchema = new EntitySchema<Meeting, HubRecord>({
  class: Meeting,
  extends: HubRecordSchema,
  collection: 'meetings',
  indexes: [{ properties: ['bodyId', 'date'] }],
  properties: {
    bodyId: { type: 'string' },
    date: { type: 'Date' },
    place: { type: 'string' },
    decisions: { type: 'json' },
  },
});
