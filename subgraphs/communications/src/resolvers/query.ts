import { archivedFilter, badUserInput, findPage, listSort, searchFilter } from '@clusterpolisee/kit';
import type { FilterQuery } from '@mikro-orm/mongodb';
import type { QueryResolvers } from '../__generated__/resolvers';
import { Event, NewsItem, Newsletter, Publication } from '../entities';
import type { Context } from '../loaders';
import { filterCountry, filterDate, filterLanguage, workingGroupCode } from '../rules';
import { statusWhere, visibleOrNull, type StatusFilter } from '../visibility';

interface ContentFilter extends StatusFilter {
  lang?: string | null;
  search?: string | null;
  from?: string | null;
  to?: string | null;
  includeArchived?: boolean | null;
}

/**
 * What every content list filters on: status, archived, language, title search. The status
 * condition, which may name the owning organisation, sits under `$and`, so that a filter the
 * resolver adds on the same field (`authorId`) narrows it instead of replacing it.
 */
function contentWhere(
  filter: ContentFilter,
  context: Context,
  ownerField: string | undefined,
): Record<string, unknown> {
  const where: Record<string, unknown> = {
    $and: [statusWhere(filter, context.identity, ownerField)],
    ...archivedFilter(filter.includeArchived),
  };
  const lang = filterLanguage('filter.lang', filter.lang);
  if (lang) where.languages = lang;
  Object.assign(where, searchFilter(filter.search));
  return where;
}

/** `from`/`to` as a validated, inclusive range. */
function dateRange(filter: ContentFilter): { from?: Date; to?: Date } {
  const from = filterDate('filter.from', filter.from);
  const to = filterDate('filter.to', filter.to);
  if (from && to && to < from) throw badUserInput('filter.to', 'must not be before filter.from');
  return { from, to };
}

function between(range: { from?: Date; to?: Date }): Record<string, Date> | undefined {
  if (!range.from && !range.to) return undefined;
  return { ...(range.from && { $gte: range.from }), ...(range.to && { $lte: range.to }) };
}

const PUBLISHED_SORT = { PUBLISHED_ON: 'publishedOn', CREATED_AT: 'createdAt' } as const;
const EVENT_SORT = { START_DATE: 'startDate', CREATED_AT: 'createdAt' } as const;
const NEWSLETTER_SORT = { ISSUE_NUMBER: 'issueNumber', PUBLISHED_ON: 'publishedOn' } as const;

export const queryResolvers: QueryResolvers = {
  news: (_root, { first, after, filter, orderBy }, context) => {
    const f = filter ?? {};
    const where = contentWhere(f, context, NewsItem.ownerField);
    if (f.authorId) where.authorOrganisationId = f.authorId;
    const workingGroup = workingGroupCode('filter.workingGroup', f.workingGroup);
    if (workingGroup) where.workingGroupCode = workingGroup;
    const publishedOn = between(dateRange(f));
    if (publishedOn) where.publishedOn = publishedOn;
    return findPage(context.em, NewsItem, {
      where: where as FilterQuery<NewsItem>,
      sort: listSort(orderBy, PUBLISHED_SORT, { field: 'PUBLISHED_ON', direction: 'DESC' }),
      first,
      after,
    });
  },
  newsItem: async (_root, { id }, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.newsItem.load(id)),

  events: (_root, { first, after, filter, orderBy }, context) => {
    const f = filter ?? {};
    const where = contentWhere(f, context, Event.ownerField);
    if (f.type) where.type = f.type;
    if (f.hostId) where.hostOrganisationId = f.hostId;
    const country = filterCountry('filter.country', f.country);
    if (country) where.countryCode = country;
    const workingGroup = workingGroupCode('filter.workingGroup', f.workingGroup);
    if (workingGroup) where.workingGroupCode = workingGroup;
    // Events that take place, at least partly, within the range.
    const { from, to } = dateRange(f);
    if (from) where.endDate = { $gte: from };
    if (to) where.startDate = { $lte: to };
    return findPage(context.em, Event, {
      where: where as FilterQuery<Event>,
      sort: listSort(orderBy, EVENT_SORT, { field: 'START_DATE', direction: 'ASC' }),
      first,
      after,
    });
  },
  event: async (_root, { id }, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.event.load(id)),

  publications: (_root, { first, after, filter, orderBy }, context) => {
    const f = filter ?? {};
    const where = contentWhere(f, context, Publication.ownerField);
    if (f.type) where.type = f.type;
    if (f.authorId) where.authorOrganisationId = f.authorId;
    const publishedOn = between(dateRange(f));
    if (publishedOn) where.publishedOn = publishedOn;
    return findPage(context.em, Publication, {
      where: where as FilterQuery<Publication>,
      sort: listSort(orderBy, PUBLISHED_SORT, { field: 'PUBLISHED_ON', direction: 'DESC' }),
      first,
      after,
    });
  },
  publication: async (_root, { id }, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.publication.load(id)),

  newsletters: (_root, { first, after, filter, orderBy }, context) => {
    const f = filter ?? {};
    const where = contentWhere(f, context, undefined);
    const publishedOn = between(dateRange(f));
    if (publishedOn) where.publishedOn = publishedOn;
    return findPage(context.em, Newsletter, {
      where: where as FilterQuery<Newsletter>,
      sort: listSort(orderBy, NEWSLETTER_SORT, { field: 'ISSUE_NUMBER', direction: 'DESC' }),
      first,
      after,
    });
  },
  newsletter: async (_root, { id }, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.newsletter.load(id)),
};
