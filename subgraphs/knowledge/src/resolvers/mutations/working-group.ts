import {
  badUserInput,
  conflict,
  flushNew,
  optionalText,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { WorkingGroup, workingGroupDerived, type WorkingGroupMembership } from '../../entities';
import { ORGANISATION_ID_MAX, optionalOrganisationId, TEXT_MAX, textList, TITLE_MAX } from '../../validation';
import { archive, current, source } from './common';

/** No leading zero, so that one number has one code and `WG07` cannot slip in beside `WG7`. */
const WORKING_GROUP_CODE = {
  regex: /^WG(0|[1-9][0-9]?)$/,
  description: '"WG" followed by a number from 0 to 99 without leading zero, such as "WG7"',
};

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

  updateWorkingGroup: async (_root, { code, version, input }, { em, loaders }) => {
    const group = await current(loaders.workingGroup, 'WorkingGroup', code);
    const next = {
      title:
        input.title !== undefined
          ? requiredText('input.title', input.title, { max: TITLE_MAX })
          : group.title,
      description:
        input.description !== undefined
          ? (optionalText('input.description', input.description, { max: TEXT_MAX }) ?? null)
          : group.description,
      leadOrganisationId:
        input.leadOrganisationId !== undefined
          ? optionalOrganisationId('input.leadOrganisationId', input.leadOrganisationId)
          : group.leadOrganisationId,
      source: input.source !== undefined ? source(input.source) : group.source,
      memberships: group.memberships,
    };
    if (input.memberOrganisationIds !== undefined) {
      // A kept member keeps the provenance it had; only a new one takes the group's.
      const known = new Map(group.memberships.map((m) => [m.organisationId, m]));
      next.memberships = memberIds(input.memberOrganisationIds).map(
        (organisationId): WorkingGroupMembership =>
          known.get(organisationId) ?? { organisationId, source: next.source },
      );
    }
    return updateVersioned(em, WorkingGroup, 'WorkingGroup', code, version, {
      ...next,
      ...workingGroupDerived({ _id: code, ...next }),
    });
  },

  archiveWorkingGroup: (_root, { code, version }, { em }) =>
    archive(em, WorkingGroup, 'WorkingGroup', code, version),
};
