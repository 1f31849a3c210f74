import { archivedFilter, findPage, listSort, searchFilter } from '@clusterpolisee/kit';
import type { FilterQuery } from '@mikro-orm/mongodb';
import type { QueryResolvers } from '../__generated__/resolvers';
import { Country, GoverningBody, Meeting, Organisation, Person, ProjectPartner } from '../entities';

const ORGANISATION_SORT = { NAME: 'name', COUNTRY: 'countryCode', CREATED_AT: 'createdAt' } as const;
const PARTNER_SORT = { COUNTRY: 'countryCode', JOINED_ON: 'joinedOn', CREATED_AT: 'createdAt' } as const;
const PERSON_SORT = { NAME: 'name', CREATED_AT: 'createdAt' } as const;

export const queryResolvers: QueryResolvers = {
  organisations: async (_root, { first, after, filter, orderBy }, { em }) => {
    const where: FilterQuery<Organisation> = {
      ...archivedFilter(filter?.includeArchived),
      ...(filter?.country ? { countryCode: filter.country } : {}),
      ...(filter?.type ? { type: filter.type } : {}),
      ...(filter?.legalStatus ? { legalStatus: filter.legalStatus } : {}),
      ...searchFilter(filter?.search),
    };
    const sort = listSort(orderBy, ORGANISATION_SORT, { field: 'NAME', direction: 'ASC' });
    return await findPage(em, Organisation, { where, sort, first, after });
  },
  organisation: (_root, { id }, { loaders }) => loaders.organisation.load(id),
  countries: (_root, _args, { em }) => em.find(Country, { archived: false }, { orderBy: { _id: 'asc' } }),
  country: (_root, { code }, { loaders }) => loaders.country.load(code),

  projectPartners: async (_root, { projectId, first, after, filter, orderBy }, { em }) => {
    const where: FilterQuery<ProjectPartner> = {
      projectId,
      ...archivedFilter(filter?.includeArchived),
      ...(filter?.role ? { role: filter.role } : {}),
      ...(filter?.country ? { countryCode: filter.country } : {}),
      ...(filter?.fundingSource ? { fundingSource: filter.fundingSource } : {}),
    };
    const sort = listSort(orderBy, PARTNER_SORT, { field: 'COUNTRY', direction: 'ASC' });
    return await findPage(em, ProjectPartner, { where, sort, first, after });
  },
  projectPartner: (_root, { id }, { loaders }) => loaders.projectPartner.load(id),

  people: async (_root, { first, after, filter, orderBy }, { em }) => {
    const where: FilterQuery<Person> = {
      ...archivedFilter(filter?.includeArchived),
      ...(filter?.organisationId ? { organisationId: filter.organisationId } : {}),
      ...searchFilter(filter?.search),
    };
    const sort = listSort(orderBy, PERSON_SORT, { field: 'NAME', direction: 'ASC' });
    return await findPage(em, Person, { where, sort, first, after });
  },
  person: (_root, { id }, { loaders }) => loaders.person.load(id),

  governingBodies: (_root, _args, { em }) =>
    em.find(GoverningBody, { archived: false }, { orderBy: { kind: 'desc', _id: 'asc' } }),
  governingBody: (_root, { id }, { loaders }) => loaders.governingBody.load(id),
  meetings: async (_root, { bodyId, first, after, filter }, { em }) => {
    const where: FilterQuery<Meeting> = { bodyId, ...archivedFilter(filter?.includeArchived) };
    return await findPage(em, Meeting, { where, sort: { field: 'date', direction: 'asc' }, first, after });
  },
  meeting: (_root, { id }, { loaders }) => loaders.meeting.load(id),

  partnerCountsByCountry: async (_root, { projectId }, { em, loaders }) => {
    // Counted in the database: the stages and accumulators MongoDB and FerretDB 1.24 both run.
    const rows = (await em.aggregate(ProjectPartner, [
      { $match: { projectId, archived: false } },
      { $group: { _id: '$countryCode', count: { $sum: 1 } } },
      { $sort: { count: -1, _id: 1 } },
    ])) as { _id: string; count: number }[];
    const countries = await loaders.country.loadMany(rows.map((row) => row._id));
    return rows.map((row, i) => {
      const country = countries[i];
      if (!country || country instanceof Error) throw new Error(`Partners name unknown country ${row._id}`);
      return { country, count: row.count };
    });
  },
};
