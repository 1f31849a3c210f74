import { EntitySchema, type EventArgs, type Opt } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';
import { nameFields } from './named';

/** One organisation's membership, with its own provenance: the group may be fact, the membership not. */
export class WorkingGroupMembership {
  organisationId!: string;
  source!: string;
}

/**
 * Not an OwnedRecord: a thematic area and its memberships are the project's structure, not a
 * partner's, so only roles not bound to an organisation change it (write:governance).
 */
export class WorkingGroup extends HubRecord {
  /** `_id` is the code, `WG1` ... `WG6`. */
  title!: string;
  description?: string | null;
  /** An Organisation of the partners subgraph; unset where the lead is not public. */
  leadOrganisationId?: string | null;
  memberships: Opt<WorkingGroupMembership[]> = [];
  /**
   * Lead and members together, derived on every write, so that the working groups of many
   * organisations come from one indexed `$in` query whichever way each one takes part.
   */
  organisationIds!: Opt<string[]>;
  /** The number in the code: sorting by it puts WG10 after WG9, where sorting the text would not. */
  codeNumber!: Opt<number>;
  sortName!: Opt<string>;
  searchKeys!: Opt<string[]>;

  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get code(): Opt<string> {
    return this._id;
  }
}

/** The organisations a working group names, each once, the lead first. */
export function workingGroupOrganisations(
  group: Pick<WorkingGroup, 'leadOrganisationId' | 'memberships'>,
): string[] {
  return [
    ...new Set([
      ...(group.leadOrganisationId ? [group.leadOrganisationId] : []),
      ...(group.memberships ?? []).map((m) => m.organisationId),
    ]),
  ];
}

export function workingGroupCodeNumber(code: string): number {
  return Number(code.replace(/^\D+/, ''));
}

/**
 * Everything a working group stores that derives from its other fields. Creation (mutation or
 * seed through `insertMissing`) gets it from the onCreate hooks below, upserts from the hook
 * below, updates (one atomic `updateVersioned`, which runs no hooks) by calling this directly.
 */
export function workingGroupDerived(
  group: Pick<WorkingGroup, '_id' | 'title' | 'leadOrganisationId' | 'memberships'>,
) {
  return {
    organisationIds: workingGroupOrganisations(group),
    codeNumber: workingGroupCodeNumber(group._id),
    ...nameFields(group.title),
  };
}

function deriveOnUpsert({ entity: data }: EventArgs<WorkingGroup>): void {
  if (typeof data._id === 'string' && typeof data.title === 'string')
    Object.assign(data, workingGroupDerived(data));
}

export const WorkingGroupSchema = new EntitySchema<WorkingGroup, HubRecord>({
  class: WorkingGroup,
  extends: HubRecordSchema,
  collection: 'workingGroups',
  indexes: [
    { properties: ['archived', 'codeNumber'] },
    { properties: ['organisationIds', 'codeNumber'] },
    { properties: ['searchKeys'] },
  ],
  hooks: { beforeUpsert: [deriveOnUpsert] },
  properties: {
    code: { type: 'string', persist: false, getter: true },
    title: { type: 'string' },
    description: { type: 'string', nullable: true },
    leadOrganisationId: { type: 'string', nullable: true },
    memberships: { type: 'json' },
    organisationIds: { type: 'json', onCreate: (g: WorkingGroup) => workingGroupOrganisations(g) },
    codeNumber: { type: 'integer', onCreate: (g: WorkingGroup) => workingGroupCodeNumber(g._id) },
    sortName: { type: 'string', onCreate: (g: WorkingGroup) => nameFields(g.title).sortName },
    searchKeys: { type: 'json', onCreate: (g: WorkingGroup) => nameFields(g.title).searchKeys },
  },
});
