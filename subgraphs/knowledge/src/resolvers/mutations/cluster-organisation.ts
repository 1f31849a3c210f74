import {
  badUserInput,
  conflict,
  countryCode,
  flushNew,
  isoDate,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { ClusterOrganisation, nameFields } from '../../entities';
import { optionalUrl, textList, TITLE_MAX } from '../../validation';
import { archive, current, newId, source } from './common';

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

  updateClusterOrganisation: async (_root, { id, version, input }, { em, loaders }) => {
    const organisation = await current(loaders.clusterOrganisation, 'ClusterOrganisation', id);
    const changes: Partial<ClusterOrganisation> = {};
    if (input.name !== undefined) {
      changes.name = requiredText('input.name', input.name, { max: TITLE_MAX });
      Object.assign(changes, nameFields(changes.name));
    }
    if (input.countryCode !== undefined)
      changes.countryCode = countryCode('input.countryCode', input.countryCode);
    if (input.sectors !== undefined) changes.sectors = sectors(input.sectors);
    if (input.memberCount !== undefined) {
      if (input.memberCount === null) throw badUserInput('input.memberCount', 'must not be empty');
      changes.memberCount = memberCount(input.memberCount);
    }
    if (input.escaLabel !== undefined) changes.escaLabel = input.escaLabel;
    if (input.escaValidUntil !== undefined) changes.escaValidUntil = validUntil(input.escaValidUntil);
    checkLabel(
      'escaLabel' in changes ? changes.escaLabel : organisation.escaLabel,
      'escaValidUntil' in changes ? changes.escaValidUntil : organisation.escaValidUntil,
    );
    if (input.website !== undefined) changes.website = optionalUrl('input.website', input.website);
    if (input.source !== undefined) changes.source = source(input.source);
    return updateVersioned(em, ClusterOrganisation, 'ClusterOrganisation', id, version, changes);
  },

  archiveClusterOrganisation: (_root, { id, version }, { em }) =>
    archive(em, ClusterOrganisation, 'ClusterOrganisation', id, version),
};
