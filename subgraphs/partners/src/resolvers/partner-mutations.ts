import {
  badUserInput,
  changedOnly,
  conflict,
  flushNew,
  formatIsoDate,
  loadForUpdate,
  optionalText,
  requiredText,
  setArchived,
  updateInput,
  updateVersioned,
  withUniqueSeats,
  type UniqueKey,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { ProjectPartner, projectPartnerId, type PartnerRole } from '../entities';
import { dateInProject, FUNDING_BY_STATUS, PARTNER_NUMBER } from '../rules';

const PROJECT_ID = {
  regex: /^[a-z0-9]+(-[a-z0-9]+)*$/,
  description: 'a project id such as "clusterpolisee"',
};

interface Partnership {
  id: string;
  projectId: string;
  role: PartnerRole;
  partnerNumber?: string | null;
  joinedOn: Date;
  leftOn?: Date | null;
}

/** The rules on one partnership's own fields. */
function checkPartnership(p: Partnership): void {
  if (p.role === 'LEAD' && p.partnerNumber !== 'LP') {
    throw badUserInput('input.partnerNumber', 'the lead partner\'s number is "LP"');
  }
  if (p.role !== 'LEAD' && p.partnerNumber === 'LP') {
    throw badUserInput('input.partnerNumber', '"LP" is the lead partner\'s number; use "PP" and a number');
  }
  if (p.leftOn && p.leftOn < p.joinedOn) {
    throw badUserInput('input.leftOn', `must not be before joinedOn (${formatIsoDate(p.joinedOn)})`);
  }
}

type Held = Pick<Partnership, 'projectId' | 'role' | 'partnerNumber'>;

const leadKey = (projectId: string) => `ProjectPartner:${projectId}:LEAD`;
const numberKey = (projectId: string, partnerNumber: string) =>
  `ProjectPartner:${projectId}:number:${partnerNumber}`;

/** The organisation of a partnership, from its id `<projectId>--<organisationId>`. */
const organisationOf = (projectId: string, partnershipId: string) =>
  partnershipId.slice(projectPartnerId(projectId, '').length);

/**
 * What one live partnership of a project may hold: the lead role, and its number. Held through
 * kit seats, so that simultaneous requests cannot give a project two leads or two partners one
 * number (no partial unique index can say it on every engine). The lead comes first, so that
 * rivals for the lead are told about the role rather than about "LP".
 */
function uniqueKeys(p: Held): UniqueKey[] {
  const keys: UniqueKey[] = [];
  if (p.role === 'LEAD') {
    keys.push({
      key: leadKey(p.projectId),
      heldBy: { projectId: p.projectId, role: 'LEAD' },
      taken: (holder) =>
        badUserInput(
          'input.role',
          `project "${p.projectId}" already has a lead partner (${organisationOf(p.projectId, holder)}); a project has one`,
        ),
    });
  }
  if (p.partnerNumber) {
    const number = p.partnerNumber;
    keys.push({
      key: numberKey(p.projectId, number),
      heldBy: { projectId: p.projectId, partnerNumber: number },
      taken: (holder) =>
        badUserInput(
          'input.partnerNumber',
          `"${number}" is already the number of ${organisationOf(p.projectId, holder)} in project "${p.projectId}"`,
        ),
    });
  }
  return keys;
}

/** Keys a stored partnership holds and would not once changed to `after` (null: archived). */
function released(before: Held, after: Held | null): string[] {
  const kept = new Set((after ? uniqueKeys(after) : []).map((k) => k.key));
  return uniqueKeys(before)
    .map((k) => k.key)
    .filter((key) => !kept.has(key));
}

const partnerNumber = (value: string) =>
  optionalText('input.partnerNumber', value, { max: 10, pattern: PARTNER_NUMBER });

export const partnerMutations: MutationResolvers = {
  addProjectPartner: async (_root, { input }, { em, loaders }) => {
    const projectId = requiredText('input.projectId', input.projectId, { max: 100, pattern: PROJECT_ID });
    const organisationId = requiredText('input.organisationId', input.organisationId, { max: 200 });
    const organisation = await loaders.organisation.load(organisationId);
    if (!organisation || organisation.archived) {
      throw badUserInput(
        'input.organisationId',
        `"${organisationId}" is not ${organisation ? 'a current' : 'an'} organisation of the hub`,
      );
    }
    const country = await loaders.country.load(organisation.countryCode);
    if (!country)
      throw new Error(`Organisation ${organisationId} names unknown country ${organisation.countryCode}`);
    const id = projectPartnerId(projectId, organisationId);
    const partnership = {
      id,
      projectId,
      role: input.role,
      partnerNumber: input.partnerNumber == null ? undefined : partnerNumber(input.partnerNumber),
      joinedOn: dateInProject('input.joinedOn', input.joinedOn, projectId),
      leftOn: input.leftOn == null ? undefined : dateInProject('input.leftOn', input.leftOn, projectId),
    };
    const source = requiredText('input.source', input.source);
    checkPartnership(partnership);
    const duplicate = () =>
      conflict(`${organisationId} is already a partner of project "${projectId}" (id "${id}")`, { id });
    const { id: _id, ...fields } = partnership;
    return withUniqueSeats(em, {
      entity: ProjectPartner,
      typename: 'ProjectPartner',
      holder: id,
      hold: uniqueKeys(partnership),
      write: async () => {
        if (await loaders.projectPartner.load(id)) throw duplicate();
        const created = em.create(ProjectPartner, {
          _id: id,
          ...fields,
          organisationId,
          countryCode: organisation.countryCode,
          fundingSource: input.fundingSource ?? FUNDING_BY_STATUS[country.programmeStatus],
          source,
        });
        await flushNew(em, duplicate);
        return created;
      },
    });
  },

  updateProjectPartner: async (_root, { id, version, input }, { em }) => {
    // Fresh and at the client's version, so that the keys it lets go of are those it holds.
    const stored = await loadForUpdate(em, ProjectPartner, 'ProjectPartner', id, version);
    const change = updateInput(input);
    const changes = changedOnly({
      role: change.required('role'),
      partnerNumber: change.optional('partnerNumber', partnerNumber),
      fundingSource: change.required('fundingSource'),
      joinedOn: change.required('joinedOn', (v, f) => dateInProject(f, v, stored.projectId)),
      leftOn: change.optional('leftOn', (v, f) => dateInProject(f, v, stored.projectId)),
      source: change.required('source', (v, f) => requiredText(f, v)),
    });
    const after = {
      id,
      projectId: stored.projectId,
      role: changes.role ?? stored.role,
      partnerNumber: changes.partnerNumber !== undefined ? changes.partnerNumber : stored.partnerNumber,
      joinedOn: changes.joinedOn ?? stored.joinedOn,
      leftOn: changes.leftOn !== undefined ? changes.leftOn : stored.leftOn,
    };
    checkPartnership(after);
    // An archived partnership holds nothing, so it takes no seats: its number is history.
    return withUniqueSeats(em, {
      entity: ProjectPartner,
      typename: 'ProjectPartner',
      holder: id,
      hold: stored.archived ? [] : uniqueKeys(after),
      release: stored.archived ? [] : released(stored, after),
      write: () => updateVersioned(em, ProjectPartner, 'ProjectPartner', id, version, changes),
    });
  },

  archiveProjectPartner: async (_root, { id, version }, { em }) => {
    const stored = await loadForUpdate(em, ProjectPartner, 'ProjectPartner', id, version);
    return withUniqueSeats(em, {
      entity: ProjectPartner,
      typename: 'ProjectPartner',
      holder: id,
      hold: [],
      release: stored.archived ? [] : released(stored, null),
      write: () => setArchived(em, ProjectPartner, 'ProjectPartner', id, version, true),
    });
  },
};
