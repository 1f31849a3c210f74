import {
  archiveMutation,
  badUserInput,
  changedOnly,
  conflict,
  flushNew,
  loadForUpdate,
  optionalText,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { WorkingGroup, workingGroupDerived, type WorkingGroupMembership } from '../../entities';
import {
  ORGANISATION_ID_MAX,
  optionalOrganisationId,
  organisationId,
  TEXT_MAX,
  textList,
  TITLE_MAX,
  WORKING_GROUP_CODE,
} from '../../validation';
import { source } from './common';

const memberIds = (ids: readonly string[] | null | undefined) =>
  textList('input.memberOrganisationIds', ids, { max: ORGANISATION_ID_MAX, maxCount: 1000 });

export const workingGroupMutations: Pick<
  MutationResolvers,
  'createWorkingGroup' | 'updateWorkingGroup' | 'archiveWorkingGroup'
> = {
  createWorkingGroup: async (_root, { input }, { em, loaders }) => {
    const code = requiredText('input.code', input.code, { pattern: WORKING_GROUP_CODE });
    const title = requiredText('input.title', input.title, { max: TITLE_MAX });
    const description = optionalText('input.description', input.description, { max: TEXT_MAX });
    const leadOrganisationId = optionalOrganisationId('input.leadOrganisationId', input.leadOrganisationId);
    const members = memberIds(input.memberOrganisationIds);
    const provenance = source(input.source);

    // A code in use is bad input the caller can fix; an archived group keeps its code, since
    // what was filed under it still points to it.
    const holder = await loaders.workingGroup.load(code);
    if (holder)
      throw badUserInput(
        'input.code',
        `${code} is already used by ${holder.archived ? 'an archived' : 'another'} working group; choose another code`,
      );
    // The check and the insert are two steps: a request that took the code in between is refused
    // by the unique _id, with CONFLICT.
    const duplicate = () =>
      conflict(`Working group ${code} was just created by another request; choose another code`, {
        typename: 'WorkingGroup',
        key: code,
        field: 'input.code',
      });
    const group = em.create(WorkingGroup, {
      _id: code,
      title,
      description,
      leadOrganisationId,
      memberships: members.map((organisationId) => ({ organisationId, source: provenance })),
      source: provenance,
    });
    await flushNew(em, duplicate);
    return group;
  },

  updateWorkingGroup: async (_root, { code, version, input }, { em }) => {
    const group = await loadForUpdate(em, WorkingGroup, 'WorkingGroup', code, version);
    const change = updateInput(input);
    const provenance = change.required('source', (v, f) => source(v, f));
    // A kept member keeps the provenance it had; only a new one takes the group's.
    const known = new Map(group.memberships.map((m) => [m.organisationId, m]));
    const membership = (organisationId: string): WorkingGroupMembership =>
      known.get(organisationId) ?? { organisationId, source: provenance ?? group.source };
    const next = {
      title: group.title,
      description: group.description,
      leadOrganisationId: group.leadOrganisationId,
      source: group.source,
      memberships: group.memberships,
      ...changedOnly({
        title: change.required('title', (v, f) => requiredText(f, v, { max: TITLE_MAX })),
        description: change.optional('description', (v, f) => optionalText(f, v, { max: TEXT_MAX })),
        leadOrganisationId: change.optional('leadOrganisationId', (v, f) => organisationId(f, v)),
        source: provenance,
        memberships: change.optional('memberOrganisationIds', (v) => memberIds(v).map(membership), []),
      }),
    };
    return updateVersioned(em, WorkingGroup, 'WorkingGroup', code, version, {
      ...next,
      ...workingGroupDerived({ _id: code, ...next }),
    });
  },

  archiveWorkingGroup: archiveMutation(WorkingGroup, 'WorkingGroup', 'code'),
};
