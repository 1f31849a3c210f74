import { EntitySchema, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';
import { nameFields } from './named';

/**
 * Not an OwnedRecord: the mechanisms are outputs of the project as a whole (WP5) and name no
 * organisation, so partner roles may not change them.
 */
export class LearningMechanism extends HubRecord {
  title!: string;
  description?: string | null;
  /** A WorkingGroup code, where the mechanism serves one thematic area. */
  workingGroupCode?: string | null;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;
}

export const LearningMechanismSchema = new EntitySchema<LearningMechanism, HubRecord>({
  class: LearningMechanism,
  extends: HubRecordSchema,
  collection: 'learningMechanisms',
  indexes: [
    { properties: ['archived', 'sortName'] },
    { properties: ['archived', 'createdAt'] },
    { properties: ['workingGroupCode', 'archived', 'sortName'] },
    { properties: ['searchKeys'] },
  ],
  properties: {
    title: { type: 'string' },
    description: { type: 'string', nullable: true },
    workingGroupCode: { type: 'string', nullable: true },
    sortName: { type: 'string', onCreate: (m: LearningMechanism) => nameFields(m.title).sortName },
    searchKeys: { type: 'json', onCreate: (m: LearningMechanism) => nameFields(m.title).searchKeys },
  },
});
