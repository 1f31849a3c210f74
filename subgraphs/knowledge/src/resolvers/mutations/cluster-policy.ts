import {
  badUserInput,
  conflict,
  countryCode,
  flushNew,
  optionalText,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers, PolicyInstrumentInput } from '../../__generated__/resolvers';
import { ClusterPolicy, clusterPolicyNames, type PolicyInstrument } from '../../entities';
import { optionalOrganisationId, TEXT_MAX, TITLE_MAX, year } from '../../validation';
import { archive, current, newId, source } from './common';

function instruments(values: readonly PolicyInstrumentInput[] | null | undefined): PolicyInstrument[] {
  const list = values ?? [];
  if (list.length > 50)
    throw badUserInput('input.instruments', `must have at most 50 entries (got ${list.length})`);
  return list.map((instrument, i) => ({
    type: instrument.type,
    name: requiredText(`input.instruments.${i}.name`, instrument.name, { max: TITLE_MAX }),
    description:
      optionalText(`input.instruments.${i}.description`, instrument.description, { max: TEXT_MAX }) ?? null,
  }));
}

/** A regional policy names its region; the period runs forwards. */
function checkPolicy(policy: Pick<ClusterPolicy, 'level' | 'region' | 'periodStart' | 'periodEnd'>): void {
  if (policy.level === 'REGIONAL' && !policy.region)
    throw badUserInput('input.region', 'is required for a REGIONAL policy');
  if (policy.periodEnd != null && policy.periodEnd < policy.periodStart)
    throw badUserInput(
      'input.periodEnd',
      `must not be before periodStart ${policy.periodStart} (got ${policy.periodEnd})`,
    );
}

const region = (value: string | null | undefined) =>
  optionalText('input.region', value, { max: TITLE_MAX }) ?? null;

export const clusterPolicyMutations: Pick<
  MutationResolvers,
  'createClusterPolicy' | 'updateClusterPolicy' | 'archiveClusterPolicy'
> = {
  createClusterPolicy: async (_root, { input }, { em }) => {
    const policy = {
      title: requiredText('input.title', input.title, { max: TITLE_MAX }),
      countryCode: countryCode('input.countryCode', input.countryCode),
      region: region(input.region),
      level: input.level,
      responsibleOrganisationId: optionalOrganisationId(
        'input.responsibleOrganisationId',
        input.responsibleOrganisationId,
      ),
      periodStart: year('input.periodStart', input.periodStart),
      periodEnd: input.periodEnd == null ? null : year('input.periodEnd', input.periodEnd),
      instruments: instruments(input.instruments),
      source: source(input.source),
    };
    checkPolicy(policy);
    const created = em.create(ClusterPolicy, {
      _id: newId('policy', policy.countryCode, policy.title),
      ...policy,
    });
    await flushNew(em, () => conflict('A cluster policy with this id was just created; retry'));
    return created;
  },

  updateClusterPolicy: async (_root, { id, version, input }, { em, loaders }) => {
    const policy = await current(loaders.clusterPolicy, 'ClusterPolicy', id);
    const changes: Partial<ClusterPolicy> = {};
    if (input.title !== undefined)
      changes.title = requiredText('input.title', input.title, { max: TITLE_MAX });
    if (input.countryCode !== undefined)
      changes.countryCode = countryCode('input.countryCode', input.countryCode);
    if (input.region !== undefined) changes.region = region(input.region);
    if (input.level != null) changes.level = input.level;
    if (input.responsibleOrganisationId !== undefined)
      changes.responsibleOrganisationId = optionalOrganisationId(
        'input.responsibleOrganisationId',
        input.responsibleOrganisationId,
      );
    if (input.periodStart !== undefined) {
      if (input.periodStart === null) throw badUserInput('input.periodStart', 'must not be empty');
      changes.periodStart = year('input.periodStart', input.periodStart);
    }
    if (input.periodEnd !== undefined)
      changes.periodEnd = input.periodEnd === null ? null : year('input.periodEnd', input.periodEnd);
    if (input.instruments !== undefined) changes.instruments = instruments(input.instruments);
    if (input.source !== undefined) changes.source = source(input.source);
    const next = { ...policy, ...changes };
    checkPolicy(next);
    if ('title' in changes || 'region' in changes) Object.assign(changes, clusterPolicyNames(next));
    return updateVersioned(em, ClusterPolicy, 'ClusterPolicy', id, version, changes);
  },

  archiveClusterPolicy: (_root, { id, version }, { em }) =>
    archive(em, ClusterPolicy, 'ClusterPolicy', id, version),
};
