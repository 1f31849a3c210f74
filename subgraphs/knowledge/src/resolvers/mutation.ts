import { badUserInput, conflict, flushNew, optionalText, requiredText } from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { WorkingGroup } from '../entities';

/** No leading zero, so that one number has one code and `WG07` cannot slip in beside `WG7`. */
const WORKING_GROUP_CODE = {
  regex: /^WG(0|[1-9][0-9]?)$/,
  description: '"WG" followed by a number from 0 to 99 without leading zero, such as "WG7"',
};
const ORGANISATION_ID_MAX = 100;

export const mutationResolvers: MutationResolvers = {
  createWorkingGroup: async (_root, { input }, { em, loaders }) => {
    const code = requiredText('input.code', input.code, { pattern: WORKING_GROUP_CODE });
    const title = requiredText('input.title', input.title, { max: 300 });
    const description = optionalText('input.description', input.description, { max: 5000 });
    // Given but blank is a mistake to report, not a lead to leave out.
    const leadOrganisationId =
      input.leadOrganisationId == null
        ? undefined
        : requiredText('input.leadOrganisationId', input.leadOrganisationId, { max: ORGANISATION_ID_MAX });
    const memberOrganisationIds = [
      ...new Set(
        (input.memberOrganisationIds ?? []).map((id, index) => {
          const trimmed = id.trim();
          if (trimmed === '')
            throw badUserInput('input.memberOrganisationIds', `entry ${index + 1} must not be empty`);
          if (trimmed.length > ORGANISATION_ID_MAX) {
            throw badUserInput(
              'input.memberOrganisationIds',
              `entry ${index + 1} must be at most ${ORGANISATION_ID_MAX} characters`,
            );
          }
          return trimmed;
        }),
      ),
    ];
    const source = requiredText('input.source', input.source, { max: 500 });

    const duplicate = () =>
      conflict(`Working group ${code} already exists; pick a code not yet used`, {
        typename: 'WorkingGroup',
        key: code,
      });
    if (await loaders.workingGroup.load(code)) throw duplicate();
    const group = em.create(WorkingGroup, {
      _id: code,
      title,
      description,
      leadOrganisationId,
      memberOrganisationIds,
      source,
    });
    await flushNew(em, duplicate);
    return group;
  },
};
