import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';
import { nameFields } from './named';

export type StrategyDocumentType = 'JOINT_STRATEGIC_PLAN' | 'SUSTAINABILITY_PLAN' | 'POLICY_FACTSHEET';
export type DatePrecision = 'DAY' | 'MONTH';

/**
 * Not an OwnedRecord: the plans and factsheets are the partnership's joint outputs
 * (write:governance), whichever partner drafted them.
 */
export class StrategyDocument extends HubRecord {
  type!: StrategyDocumentType;
  title!: string;
  /** The thematic area of a factsheet; unset for the plans. */
  workingGroupCode?: string | null;
  publishedOn?: Date | null;
  /** MONTH where only the month is public (the factsheets: October 2014); the day is then the 1st. */
  publishedOnPrecision?: DatePrecision | null;
  url?: string | null;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;
}

export const StrategyDocumentSchema = new EntitySchema<StrategyDocument, HubRecord>({
  class: StrategyDocument,
  extends: HubRecordSchema,
  collection: 'strategyDocuments',
  indexes: [
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'createdAt'] },
    { properties: ['type', 'archived', 'sortName'] },
    { properties: ['workingGroupCode', 'archived', 'sortName'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    workingGroupCode: { type: 'string', nullable: true },
    publishedOn: { type: 'Date', nullable: true },
    publishedOnPrecision: { type: 'string', nullable: true },
    url: { type: 'string', nullable: true },
    sortName: { type: 'string', onCreate: (d: StrategyDocument) => nameFields(d.title).sortName },
    searchKeys: { type: 'json', onCreate: (d: StrategyDocument) => nameFields(d.title).searchKeys },
  },
});
