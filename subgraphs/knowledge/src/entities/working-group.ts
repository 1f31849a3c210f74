import { EntitySchema, type EventArgs, type Opt } from '@mikro-orm/mongodb';

export class WorkingGroup {
  /** The code, `WG1` ... `WG6`. */
  _id!: string;
  title!: string;
  description?: string;
  /** An Organisation of the partners subgraph; unset where the lead is not public. */
  leadOrganisationId?: string;
  /** Organisations of the partners subgraph; unset when none is known. */
  memberOrganisationIds?: string[];
  /**
   * Lead and members together, derived on every write, so that the working groups of many
   * organisations come from one indexed `$in` query whichever way each one takes part.
   */
  organisationIds!: Opt<string[]>;
  /** The number in the code: sorting by it puts WG10 after WG9, where sorting the text would not. */
  codeNumber!: Opt<number>;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get code(): Opt<string> {
    return this._id;
  }

  createdAt: Opt<Date> = new Date();
}

/** The organisations a working group names, each once, the lead first. */
export function workingGroupOrganisations(
  group: Pick<WorkingGroup, 'leadOrganisationId' | 'memberOrganisationIds'>,
): string[] {
  return [
    ...new Set([
      ...(group.leadOrganisationId ? [group.leadOrganisationId] : []),
      ...(group.memberOrganisationIds ?? []),
    ]),
  ];
}

function codeNumber(code: string): number {
  return Number(code.replace(/^\D+/, ''));
}

/**
 * `em.upsert` and `em.upsertMany` (how seeds write) run no onCreate/onUpdate, so the derived
 * fields are filled here from the record being written. Upsert whole records: a partial one
 * naming only the members would lose the lead from `organisationIds`.
 */
function deriveOnUpsert({ entity: data }: EventArgs<WorkingGroup>): void {
  if (typeof data._id === 'string') data.codeNumber = codeNumber(data._id);
  if ('leadOrganisationId' in data || 'memberOrganisationIds' in data)
    data.organisationIds = workingGroupOrganisations(data);
}

export const WorkingGroupSchema = new EntitySchema<WorkingGroup>({
  class: WorkingGroup,
  collection: 'workingGroups',
  indexes: [{ properties: ['codeNumber'] }, { properties: ['organisationIds', 'codeNumber'] }],
  hooks: { beforeUpsert: [deriveOnUpsert] },
  properties: {
    _id: { type: 'string', primary: true },
    code: { type: 'string', persist: false, getter: true },
    title: { type: 'string' },
    description: { type: 'string', nullable: true },
    leadOrganisationId: { type: 'string', nullable: true },
    memberOrganisationIds: { type: 'string[]', nullable: true },
    organisationIds: {
      type: 'string[]',
      onCreate: (group: WorkingGroup) => workingGroupOrganisations(group),
      onUpdate: (group: WorkingGroup) => workingGroupOrganisations(group),
    },
    codeNumber: { type: 'integer', onCreate: (group: WorkingGroup) => codeNumber(group._id) },
    source: { type: 'string' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
