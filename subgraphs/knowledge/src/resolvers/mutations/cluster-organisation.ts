import {
  archiveMutation,
  badUserInput,
  changedOnly,
  conflict,
  countryCode,
  flushNew,
  isoDate,
  loadForUpdate,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { ClusterOrganisation } from '../../entities';
import { optionalUrl, textList, TITLE_MAX } from '../../validation';
import { newId, renamed, source } from './common';

const sectors = (values: readonly string[] | null | undefined) =>
  textList('input.sectors', values, { max: 100, maxCount: 30 });

function memberCount(value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw badUserInput('input.memberCount', `must be a whole number, 0 or more (got ${value})`);
  return value;
}

function validUntil(value: string | null | undefined): Date | null {
  return value == null ? null : isoDate('input.escaValidUntil', requiredText('input.escaValidUntil', value));
}

/** An ESCA label is awarded until a date: a label without one, or a date without a label, is a mistake. */
function checkLabel(label: string | null | undefined, until: Date | null | undefined): void {
  if (label && !until) throw badUserInput('input.escaValidUntil', 'is required with an ESCA label');
  if (!label && until) throw badUserInput('input.escaValidUntil', 'must be empty without an ESCA label');
}

export const clusterOrganisationMutations: Pick<
  MutationResolvers,
  'createClusterOrganisation' | 'updateClusterOrganisation' | 'archiveClusterOrganisation'
> = {
  createClusterOrganisation: async (_root, { input }, { em }) => {
    const name = requiredText('input.name', input.name, { max: TITLE_MAX });
    const country = countryCode('input.countryCode', input.countryCode);
    const sectorList = sectors(input.sectors);
    const members = memberCount(input.memberCount);
    const escaValidUntil = validUntil(input.escaValidUntil);
    checkLabel(input.escaLabel, escaValidUntil);
    const website = optionalUrl('input.website', input.website);
    const provenance = source(input.source);

    const organisation = em.create(ClusterOrganisation, {
      _id: newId('cluster', country, name),
      name,
      countryCode: country,
      sectors: sectorList,
      memberCount: members,
      escaLabel: input.escaLabel ?? null,
      escaValidUntil,
      website,
      source: provenance,
    });
    await flushNew(em, () => conflict('A cluster organisation with this id was just created; retry'));
    return organisation;
  },

  updateClusterOrganisation: async (_root, { id, version, input }, { em }) => {
    const organisation = await loadForUpdate(em, ClusterOrganisation, 'ClusterOrganisation', id, version);
    const change = updateInput(input);
    const name = change.required('name', (v, f) => requiredText(f, v, { max: TITLE_MAX }));
    const changes = changedOnly({
      name,
      ...renamed(name),
      countryCode: change.required('countryCode', (v, f) => countryCode(f, v)),
      sectors: change.optional('sectors', (v) => sectors(v), []),
      memberCount: change.required('memberCount', (v) => memberCount(v)),
      escaLabel: change.optional('escaLabel'),
      escaValidUntil: change.optional('escaValidUntil', (v) => validUntil(v)),
      website: change.optional('website', (v, f) => optionalUrl(f, v)),
      source: change.required('source', (v, f) => source(v, f)),
    });
    checkLabel(
      'escaLabel' in changes ? changes.escaLabel : organisation.escaLabel,
      'escaValidUntil' in changes ? changes.escaValidUntil : organisation.escaValidUntil,
    );
    return updateVersioned(em, ClusterOrganisation, 'ClusterOrganisation', id, version, changes);
  },

  archiveClusterOrganisation: archiveMutation(ClusterOrganisation, 'ClusterOrganisation'),
};
