import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export class WorkingGroup {
  /** The code, `WG1` ... `WG6`. */
  _id!: string;
  title!: string;
  description?: string;
  /** An Organisation of the partners subgraph; unset where the lead is not public. */
  leadOrganisationId?: string;
  memberOrganisationIds: Opt<string[]> = [];
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
export function workingGroupOrganisations(group: Pick<WorkingGroup, 'leadOrganisationId' | 'memberOrganisationIds'>): string[] {
  return [...new Set([...(group.leadOrganisationId ? [group.leadOrganisationId] : []), ...group.memberOrganisationIds])];
}

export const WorkingGroupSchema = new EntitySchema<WorkingGroup>({
  class: WorkingGroup,
  collection: 'workingGroups',
  indexes: [{ properties: ['codeNumber'] }, { properties: ['organisationIds', 'codeNumber'] }],
  properties: {
    _id: { type: 'string', primary: true },
    code: { type: 'string', persist: false, getter: true },
    title: { type: 'string' },
    description: { type: 'string', nullable: true },
    leadOrganisationId: { type: 'string', nullable: true },
    memberOrganisationIds: { type: 'string[]' },
    organisationIds: {
      type: 'string[]',
      onCreate: (group: WorkingGroup) => workingGroupOrganisations(group),
      onUpdate: (group: WorkingGroup) => workingGroupOrganisations(group),
    },
    codeNumber: { type: 'integer', onCreate: (group: WorkingGroup) => Number(group._id.replace(/^\D+/, '')) },
    source: { type: 'string' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
