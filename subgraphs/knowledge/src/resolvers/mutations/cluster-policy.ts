import {
  archiveMutation,
  badUserInput,
  changedOnly,
  conflict,
  countryCode,
  flushNew,
  loadForUpdate,
  optionalText,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers, PolicyInstrumentInput } from '../../__generated__/resolvers';
import { ClusterPolicy, clusterPolicyNames, type PolicyInstrument } from '../../entities';
import { optionalOrganisationId, organisationId, TEXT_MAX, TITLE_MAX, year } from '../../validation';
import { newId, source } from './common';

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

  updateClusterPolicy: async (_root, { id, version, input }, { em }) => {
    const policy = await loadForUpdate(em, ClusterPolicy, 'ClusterPolicy', id, version);
    const change = updateInput(input);
    const changes = changedOnly({
      title: change.required('title', (v, f) => requiredText(f, v, { max: TITLE_MAX })),
      countryCode: change.required('countryCode', (v, f) => countryCode(f, v)),
      region: change.optional('region', (v) => region(v)),
      level: change.required('level'),
      responsibleOrganisationId: change.optional('responsibleOrganisationId', (v, f) => organisationId(f, v)),
      periodStart: change.required('periodStart', (v, f) => year(f, v)),
      periodEnd: change.optional('periodEnd', (v, f) => year(f, v)),
      instruments: change.optional('instruments', (v) => instruments(v), []),
      source: change.required('source', (v, f) => source(v, f)),
    });
    const next = { ...policy, ...changes };
    checkPolicy(next);
    const names = 'title' in changes || 'region' in changes ? clusterPolicyNames(next) : {};
    return updateVersioned(em, ClusterPolicy, 'ClusterPolicy', id, version, { ...changes, ...names });
  },

  archiveClusterPolicy: archiveMutation(ClusterPolicy, 'ClusterPolicy'),
};
