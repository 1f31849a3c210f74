import {
  badUserInput,
  conflict,
  flushNew,
  formatIsoDate,
  notFound,
  optionalText,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { EntityManager } from '@mikro-orm/mongodb';
import type { MutationResolvers } from '../__generated__/resolvers';
import { ProjectPartner, projectPartnerId, type PartnerRole } from '../entities';
import { dateInProject, FUNDING_BY_STATUS, PARTNER_NUMBER } from '../rules';
import { definedOnly, optionalChange, requiredChange } from './update-input';

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

/**
 * The rules that involve other partners of the project. Checked before writing; two requests
 * racing for the same number could both pass, as MongoDB without transactions cannot hold a
 * unique constraint over an optional field without partial indexes, which FerretDB lacks.
 */
async function checkPartnership(em: EntityManager, p: Partnership): Promise<void> {
  if (p.role === 'LEAD' && p.partnerNumber !== 'LP') {
    throw badUserInput('input.partnerNumber', 'the lead partner\'s number is "LP"');
  }
  if (p.role !== 'LEAD' && p.partnerNumber === 'LP') {
    throw badUserInput('input.partnerNumber', '"LP" is the lead partner\'s number; use "PP" and a number');
  }
  if (p.leftOn && p.leftOn < p.joinedOn) {
    throw badUserInput('input.leftOn', `must not be before joinedOn (${formatIsoDate(p.joinedOn)})`);
  }
  const others = { projectId: p.projectId, archived: false, _id: { $ne: p.id } };
  if (p.role === 'LEAD') {
    const lead = await em.findOne(ProjectPartner, { ...others, role: 'LEAD' });
    if (lead) {
      throw badUserInput(
        'input.role',
        `project "${p.projectId}" already has a lead partner (${lead.organisationId}); a project has one`,
      );
    }
  }
  if (p.partnerNumber) {
    const holder = await em.findOne(ProjectPartner, { ...others, partnerNumber: p.partnerNumber });
    if (holder) {
      throw badUserInput(
        'input.partnerNumber',
        `"${p.partnerNumber}" is already the number of ${holder.organisationId} in project "${p.projectId}"`,
      );
    }
  }
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
    await checkPartnership(em, partnership);
    const duplicate = () =>
      conflict(`${organisationId} is already a partner of project "${projectId}" (id "${id}")`, { id });
    if (await loaders.projectPartner.load(id)) throw duplicate();
    const { id: _id, ...fields } = partnership;
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

  updateProjectPartner: async (_root, { id, version, input }, { em, loaders }) => {
    const stored = await loaders.projectPartner.load(id);
    if (!stored) throw notFound('ProjectPartner', id);
    const changes = definedOnly({
      role: requiredChange('input.role', input.role),
      partnerNumber: optionalChange(input.partnerNumber, partnerNumber),
      fundingSource: requiredChange('input.fundingSource', input.fundingSource),
      joinedOn: requiredChange('input.joinedOn', input.joinedOn, (v) =>
        dateInProject('input.joinedOn', v, stored.projectId),
      ),
      leftOn: optionalChange(input.leftOn, (v) => dateInProject('input.leftOn', v, stored.projectId)),
      source: requiredChange('input.source', input.source, (v) => requiredText('input.source', v)),
    });
    await checkPartnership(em, {
      id,
      projectId: stored.projectId,
      role: changes.role ?? stored.role,
      partnerNumber: changes.partnerNumber !== undefined ? changes.partnerNumber : stored.partnerNumber,
      joinedOn: changes.joinedOn ?? stored.joinedOn,
      leftOn: changes.leftOn !== undefined ? changes.leftOn : stored.leftOn,
    });
    return updateVersioned(em, ProjectPartner, 'ProjectPartner', id, version, changes);
  },

  archiveProjectPartner: (_root, { id, version }, { em }) =>
    updateVersioned(em, ProjectPartner, 'ProjectPartner', id, version, { archived: true }),
};
