import {
  badUserInput,
  conflict,
  countryCode,
  flushNew,
  formatIsoDate,
  archiveMutation,
  changedOnly,
  loadForUpdate,
  optionalText,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { PilotAction } from '../../entities';
import { liveWorkingGroup, organisationId, projectDate, TEXT_MAX, TITLE_MAX } from '../../validation';
import { groupChange, newId, renamed, source } from './common';

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
    const pilot = await loadForUpdate(em, PilotAction, 'PilotAction', id, version);
    const change = updateInput(input);
    const title = change.required('title', (v, f) => requiredText(f, v, { max: TITLE_MAX }));
    const changes = changedOnly({
      title,
      ...renamed(title),
      leadOrganisationId: change.required('leadOrganisationId', (v, f) => organisationId(f, v)),
      countryCode: change.required('countryCode', (v, f) => countryCode(f, v)),
      workingGroupCode: await change.required('workingGroup', (v, f) =>
        groupChange(f, v, pilot.workingGroupCode, loaders),
      ),
      startDate: change.required('startDate', (v, f) => projectDate(f, v)),
      endDate: change.required('endDate', (v, f) => projectDate(f, v)),
      results: change.optional('results', (v, f) => optionalText(f, v, { max: TEXT_MAX })),
      source: change.required('source', (v, f) => source(v, f)),
    });
    checkOrder(changes.startDate ?? pilot.startDate, changes.endDate ?? pilot.endDate);
    return updateVersioned(em, PilotAction, 'PilotAction', id, version, changes);
  },

  archivePilotAction: archiveMutation(PilotAction, 'PilotAction'),
};
