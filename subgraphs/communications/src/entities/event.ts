import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';
import { draftsInAudit } from '../visibility';
import type { ContentStatus, StoredTranslation } from './content';

export type EventType = 'CONFERENCE' | 'WORKSHOP' | 'STUDY_VISIT' | 'TRAINING';

export class Event extends HubRecord implements OwnedRecord {
  /** The owning organisation; lists filter drafts on it in the query, as the record rules do in memory. */
  static readonly ownerField = 'hostOrganisationId' satisfies keyof Event;
  /** The audit trail keeps a draft's values for those who may see the draft. */
  static readonly auditConfidentiality = draftsInAudit(Event.ownerField);

  type!: EventType;
  translations!: StoredTranslation[];
  languages!: string[];
  searchKeys!: string[];
  /** An Organisation of the partners subgraph. */
  hostOrganisationId!: string;
  /** UTC midnight; `endDate >= startDate`, both inside PROJECT_PERIOD. */
  startDate!: Date;
  endDate!: Date;
  city!: string;
  /** ISO 3166-1 alpha-2. */
  countryCode!: string;
  workingGroupCode?: string;
  status!: ContentStatus;

  /** The host's partners write it and, while it is a draft, alone read it. */
  ownerOrganisationIds(): readonly string[] {
    return [this[Event.ownerField]];
  }
}

export const EventSchema = new EntitySchema<Event, HubRecord>({
  class: Event,
  extends: HubRecordSchema,
  collection: 'events',
  indexes: [
    { properties: ['status', 'archived', 'startDate', '_id'] },
    { properties: ['endDate'] },
    { properties: ['createdAt', '_id'] },
    { properties: ['hostOrganisationId', 'startDate', '_id'] },
    { properties: ['type', 'startDate'] },
    { properties: ['countryCode', 'startDate'] },
    { properties: ['workingGroupCode', 'startDate'] },
    { properties: ['languages'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    type: { type: 'string' },
    translations: { type: 'json' },
    languages: { type: 'json' },
    searchKeys: { type: 'json' },
    hostOrganisationId: { type: 'string' },
    startDate: { type: 'Date' },
    endDate: { type: 'Date' },
    city: { type: 'string' },
    countryCode: { type: 'string' },
    workingGroupCode: { type: 'string', nullable: true },
    status: { type: 'string' },
  },
});
