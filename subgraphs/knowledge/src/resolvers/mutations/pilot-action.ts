import {
  badUserInput,
  conflict,
  countryCode,
  flushNew,
  formatIsoDate,
  optionalText,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { nameFields, PilotAction } from '../../entities';
import { liveWorkingGroup, organisationId, projectDate, TEXT_MAX, TITLE_MAX } from '../../validation';
import { archive, current, newId, source } from './common';

function checkOrder(start: Date, end: Date): void {
  if (end < start)
    throw badUserInput(
      'input.endDate',
      `must not be before the start date ${formatIsoDate(start)} (got ${formatIsoDate(end)})`,
    );
}

export const pilotActionMutations: Pick<
  MutationResolvers,
  'createPilotAction' | 'updatePilotAction' | 'archivePilotAction'
> = {
  createPilotAction: async (_root, { input }, { em, loaders }) => {
    const title = requiredText('input.title', input.title, { max: TITLE_MAX });
    const leadOrganisationId = organisationId('input.leadOrganisationId', input.leadOrganisationId);
    const country = countryCode('input.countryCode', input.countryCode);
    const group = await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders);
    const startDate = projectDate('input.startDate', input.startDate);
    const endDate = projectDate('input.endDate', input.endDate);
    checkOrder(startDate, endDate);
    const results = optionalText('input.results', input.results, { max: TEXT_MAX });
    const provenance = source(input.source);

    const pilot = em.create(PilotAction, {
      _id: newId('pilot', group._id, title),
      title,
      leadOrganisationId,
      countryCode: country,
      workingGroupCode: group._id,
      startDate,
      endDate,
      results,
      source: provenance,
    });
    await flushNew(em, () => conflict('A pilot action with this id was just created; retry'));
    return pilot;
  },

  updatePilotAction: async (_root, { id, version, input }, { em, loaders }) => {
    const pilot = await current(loaders.pilotAction, 'PilotAction', id);
    const changes: Partial<PilotAction> = {};
    if (input.title !== undefined) {
      changes.title = requiredText('input.title', input.title, { max: TITLE_MAX });
      Object.assign(changes, nameFields(changes.title));
    }
    if (input.leadOrganisationId !== undefined)
      changes.leadOrganisationId = organisationId('input.leadOrganisationId', input.leadOrganisationId);
    if (input.countryCode !== undefined)
      changes.countryCode = countryCode('input.countryCode', input.countryCode);
    if (input.workingGroup !== undefined && input.workingGroup !== pilot.workingGroupCode)
      changes.workingGroupCode = (
        await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders)
      )._id;
    if (input.startDate !== undefined) changes.startDate = projectDate('input.startDate', input.startDate);
    if (input.endDate !== undefined) changes.endDate = projectDate('input.endDate', input.endDate);
    checkOrder(changes.startDate ?? pilot.startDate, changes.endDate ?? pilot.endDate);
    if (input.results !== undefined)
      changes.results = optionalText('input.results', input.results, { max: TEXT_MAX }) ?? null;
    if (input.source !== undefined) changes.source = source(input.source);
    return updateVersioned(em, PilotAction, 'PilotAction', id, version, changes);
  },

  archivePilotAction: (_root, { id, version }, { em }) =>
    archive(em, PilotAction, 'PilotAction', id, version),
};
