import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { Country, GoverningBody, Meeting, Organisation, Person, ProjectPartner } from './entities';

export function createLoaders(em: EntityManager) {
  const live = { archived: false };
  return {
    organisation: loaderByKey(em, Organisation),
    country: loaderByKey(em, Country),
    person: loaderByKey(em, Person),
    projectPartner: loaderByKey(em, ProjectPartner),
    governingBody: loaderByKey(em, GoverningBody),
    meeting: loaderByKey(em, Meeting),
    organisationsByCountry: loaderGroupedBy(em, Organisation, 'countryCode', {
      where: live,
      orderBy: { name: 'asc' },
    }),
    partnersByProject: loaderGroupedBy(em, ProjectPartner, 'projectId', {
      where: live,
      orderBy: { countryCode: 'asc', _id: 'asc' },
    }),
    partnersByOrganisation: loaderGroupedBy(em, ProjectPartner, 'organisationId', {
      where: live,
      orderBy: { projectId: 'asc' },
    }),
    peopleByOrganisation: loaderGroupedBy(em, Person, 'organisationId', {
      where: live,
      orderBy: { name: 'asc' },
    }),
    meetingsByBody: loaderGroupedBy(em, Meeting, 'bodyId', { where: live, orderBy: { date: 'asc' } }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
