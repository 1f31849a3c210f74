import { randomBytes } from 'node:crypto';
import {
  badUserInput,
  changedOnly,
  conflict,
  countryCode,
  flushNew,
  formatIsoDate,
  loadForUpdate,
  notFound,
  optionalUrl,
  setArchived,
  slugId,
  updateInput,
  updateVersioned,
  type HubRecord,
  type Identity,
} from '@clusterpolisee/kit';
import type { EntityClass, EntityData } from '@mikro-orm/mongodb';
import type { GraphQLError } from 'graphql';
import type { MutationResolvers } from '../__generated__/resolvers';
import {
  DEFAULT_LANGUAGE,
  Event,
  NewsItem,
  Newsletter,
  Publication,
  translationIndex,
  type ContentStatus,
  type StoredTranslation,
} from '../entities';
import { publicationLink } from '../language';
import type { Context } from '../loaders';
import { organisationId, projectDate, source, translations, workingGroupCode } from '../rules';
import { assertMayWriteStatuses, maySee } from '../visibility';

const english = (stored: StoredTranslation[]) => stored.find((t) => t.lang === DEFAULT_LANGUAGE)!;

/** The translations and what lists filter on, derived from them, for one write. */
function withIndex(stored: StoredTranslation[]) {
  return { translations: stored, ...translationIndex(stored) };
}

export const mutationResolvers: MutationResolvers = {
  // News ----------------------------------------------------------------------------------------
  createNewsItem: async (_root, { input }, { em, loaders, identity }) => {
    const status = newStatus(identity, input.status);
    const stored = translations('input.translations', input.translations, { body: true, url: false });
    const publishedOn = projectDate('input.publishedOn', input.publishedOn);
    const authorOrganisationId = organisationId('input.authorOrganisationId', input.authorOrganisationId);
    const workingGroup = workingGroupCode('input.workingGroup', input.workingGroup);
    const origin = source('input.source', input.source);

    const day = formatIsoDate(publishedOn);
    const title = english(stored).title;
    const { id, duplicate } = await newId(identity, status, 'news', day, title, loaders.newsItem, (taken) =>
      conflict(`A news item "${title}" published on ${day} already exists (id "${taken}")`, { id: taken }),
    );
    const item = em.create(NewsItem, {
      _id: id,
      ...withIndex(stored),
      publishedOn,
      authorOrganisationId,
      workingGroupCode: workingGroup,
      status,
      source: origin,
    });
    await flushNew(em, duplicate);
    return item;
  },

  updateNewsItem: async (_root, { id, version, input }, context) => {
    await loadContentForUpdate(context, NewsItem, 'NewsItem', id, version, input.status);
    const change = updateInput(input);
    const changes: EntityData<NewsItem> = changedOnly({
      ...change.required('translations', (v, f) => withIndex(translations(f, v, { body: true, url: false }))),
      publishedOn: change.required('publishedOn', (v, f) => projectDate(f, v)),
      authorOrganisationId: change.required('authorOrganisationId', (v, f) => organisationId(f, v)),
      workingGroupCode: change.optional('workingGroup', (v, f) => workingGroupCode(f, v)),
      status: change.required('status'),
      source: change.required('source', (v, f) => source(f, v)),
    });
    return updateVersioned(context.em, NewsItem, 'NewsItem', id, version, changes);
  },

  archiveNewsItem: archive(NewsItem, 'NewsItem'),

  // Events --------------------------------------------------------------------------------------
  createEvent: async (_root, { input }, { em, loaders, identity }) => {
    const status = newStatus(identity, input.status);
    const stored = translations('input.translations', input.translations, { body: true, url: false });
    const hostOrganisationId = organisationId('input.hostOrganisationId', input.hostOrganisationId);
    const { startDate, endDate } = eventDates(input.startDate, input.endDate);
    const city = requiredCity(input.place.city);
    const country = countryCode('input.place.countryCode', input.place.countryCode);
    const workingGroup = workingGroupCode('input.workingGroup', input.workingGroup);
    const origin = source('input.source', input.source);

    const day = formatIsoDate(startDate);
    const title = english(stored).title;
    const { id, duplicate } = await newId(identity, status, 'event', day, title, loaders.event, (taken) =>
      conflict(`An event "${title}" starting on ${day} already exists (id "${taken}")`, { id: taken }),
    );
    const event = em.create(Event, {
      _id: id,
      type: input.type,
      ...withIndex(stored),
      hostOrganisationId,
      startDate,
      endDate,
      city,
      countryCode: country,
      workingGroupCode: workingGroup,
      status,
      source: origin,
    });
    await flushNew(em, duplicate);
    return event;
  },

  updateEvent: async (_root, { id, version, input }, context) => {
    const current = await loadContentForUpdate(context, Event, 'Event', id, version, input.status);
    const change = updateInput(input);
    const startDate = change.required('startDate');
    const endDate = change.required('endDate');
    const changes: EntityData<Event> = changedOnly({
      type: change.required('type'),
      ...change.required('translations', (v, f) => withIndex(translations(f, v, { body: true, url: false }))),
      hostOrganisationId: change.required('hostOrganisationId', (v, f) => organisationId(f, v)),
      // Checked together with the stored date the input leaves alone, so the event stays whole.
      ...(startDate !== undefined || endDate !== undefined
        ? eventDates(
            startDate ?? formatIsoDate(current.startDate),
            endDate ?? formatIsoDate(current.endDate),
            endDate === undefined ? 'input.startDate' : 'input.endDate',
          )
        : {}),
      ...change.required('place', (v, f) => ({
        city: requiredCity(v.city),
        countryCode: countryCode(`${f}.countryCode`, v.countryCode),
      })),
      workingGroupCode: change.optional('workingGroup', (v, f) => workingGroupCode(f, v)),
      status: change.required('status'),
      source: change.required('source', (v, f) => source(f, v)),
    });
    return updateVersioned(context.em, Event, 'Event', id, version, changes);
  },

  archiveEvent: archive(Event, 'Event'),

  // Publications --------------------------------------------------------------------------------
  createPublication: async (_root, { input }, { em, loaders, identity }) => {
    const status = newStatus(identity, input.status);
    const stored = translations('input.translations', input.translations, { body: true, url: true });
    const url = optionalUrl('input.url', input.url);
    requireLink(stored, url);
    const publishedOn = projectDate('input.publishedOn', input.publishedOn);
    const authorOrganisationId = organisationId('input.authorOrganisationId', input.authorOrganisationId);
    const origin = source('input.source', input.source);

    const day = formatIsoDate(publishedOn);
    const title = english(stored).title;
    const { id, duplicate } = await newId(
      identity,
      status,
      'publication',
      day,
      title,
      loaders.publication,
      (taken) =>
        conflict(`A publication "${title}" published on ${day} already exists (id "${taken}")`, {
          id: taken,
        }),
    );
    const publication = em.create(Publication, {
      _id: id,
      type: input.type,
      ...withIndex(stored),
      url,
      publishedOn,
      authorOrganisationId,
      status,
      source: origin,
    });
    await flushNew(em, duplicate);
    return publication;
  },

  updatePublication: async (_root, { id, version, input }, context) => {
    const current = await loadContentForUpdate(
      context,
      Publication,
      'Publication',
      id,
      version,
      input.status,
    );
    const change = updateInput(input);
    const stored = change.required('translations', (v, f) => translations(f, v, { body: true, url: true }));
    const url = change.optional('url', (v, f) => optionalUrl(f, v));
    if (stored || url !== undefined)
      requireLink(stored ?? current.translations, url !== undefined ? url : current.url);
    const changes: EntityData<Publication> = changedOnly({
      type: change.required('type'),
      ...(stored && withIndex(stored)),
      url,
      publishedOn: change.required('publishedOn', (v, f) => projectDate(f, v)),
      authorOrganisationId: change.required('authorOrganisationId', (v, f) => organisationId(f, v)),
      status: change.required('status'),
      source: change.required('source', (v, f) => source(f, v)),
    });
    return updateVersioned(context.em, Publication, 'Publication', id, version, changes);
  },

  archivePublication: archive(Publication, 'Publication'),

  // Newsletters ---------------------------------------------------------------------------------
  createNewsletter: async (_root, { input }, context) => {
    const { em, loaders, identity } = context;
    const status = newStatus(identity, input.status);
    const issueNumber = positiveIssue(input.issueNumber);
    const publishedOn = projectDate('input.publishedOn', input.publishedOn);
    const stored = translations('input.translations', input.translations, { body: false, url: false });
    const itemIds = await existingItems(input.itemIds, context);
    const origin = source('input.source', input.source);

    await assertIssueFree(context, issueNumber);
    // An issue is `newsletter-<number>`, unless an issue renumbered since holds that id: then the
    // number is free but its id is not, and a random tail keeps the two apart.
    const plainId = `newsletter-${issueNumber}`;
    const id = (await loaders.newsletter.load(plainId))
      ? `${plainId}-${randomBytes(3).toString('hex')}`
      : plainId;
    const newsletter = em.create(Newsletter, {
      _id: id,
      issueNumber,
      publishedOn,
      ...withIndex(stored),
      itemIds,
      status,
      source: origin,
    });
    // The unique index on issueNumber refuses a number another request took meanwhile.
    await flushNew(em, () => issueRace(issueNumber));
    return newsletter;
  },

  updateNewsletter: async (_root, { id, version, input }, context) => {
    const { em } = context;
    await loadContentForUpdate(context, Newsletter, 'Newsletter', id, version, input.status);
    const change = updateInput(input);
    const issueNumber = change.required('issueNumber', (v) => positiveIssue(v));
    if (issueNumber !== undefined) await assertIssueFree(context, issueNumber, id);
    const changes: EntityData<Newsletter> = changedOnly({
      issueNumber,
      publishedOn: change.required('publishedOn', (v, f) => projectDate(f, v)),
      ...change.required('translations', (v, f) =>
        withIndex(translations(f, v, { body: false, url: false })),
      ),
      itemIds: await change.optional('itemIds', (v) => existingItems(v, context), []),
      status: change.required('status'),
      source: change.required('source', (v, f) => source(f, v)),
    });
    try {
      return await updateVersioned(em, Newsletter, 'Newsletter', id, version, changes);
    } catch (error) {
      // The unique index refused a number another request took meanwhile. Engines report that
      // differently for an update (FerretDB: a driver error, not MongoDB's duplicate key), so
      // the number's holder, not the error's class, tells the race from a real failure.
      const issueNumber = changes.issueNumber;
      if (issueNumber != null && (await em.findOne(Newsletter, { issueNumber, _id: { $ne: id } })))
        throw issueRace(issueNumber);
      throw error;
    }
  },

  archiveNewsletter: archive(Newsletter, 'Newsletter'),
};

type Content = HubRecord & { status: ContentStatus };

/**
 * The id of a new news item, event or publication. Published: `slugId(day, title)`, readable, and
 * one story of one day is one record, so creating it again is CONFLICT naming the one that exists.
 * A draft: `<kind>-<random>`, kept after publication; an id made of its title would confirm a
 * guessed title to anyone who asked for the id or created the same story (issue 17), and show the
 * title in the audit trail. Where the readable id is held by a record the caller may not see (a
 * draft seeded or stored before drafts had random ids, or content unpublished since), a random
 * tail keeps the two apart instead of a CONFLICT that would name it.
 */
async function newId(
  identity: Identity,
  status: ContentStatus,
  kind: string,
  day: string,
  title: string,
  loader: { load(id: string): Promise<Content | null> },
  conflictWith: (id: string) => GraphQLError,
): Promise<{ id: string; duplicate: () => GraphQLError }> {
  if (status === 'DRAFT') {
    const id = `${kind}-${randomBytes(8).toString('hex')}`;
    // 64 random bits: a clash is not expected, but would not be an internal error either.
    return { id, duplicate: () => conflict('Two new records drew the same id; send the request again') };
  }
  const readable = slugId(day, title);
  const holder = await loader.load(readable);
  if (holder && maySee(identity, holder)) throw conflictWith(readable);
  const id = holder ? `${readable}-${randomBytes(3).toString('hex')}` : readable;
  // The unique `_id` refuses the same story created by another request meanwhile.
  return { id, duplicate: () => conflictWith(id) };
}

/** The status a new record gets, a draft unless the input says otherwise, once the caller may write it. */
function newStatus(identity: Identity, requested: ContentStatus | null | undefined): ContentStatus {
  const status = requested ?? 'DRAFT';
  assertMayWriteStatuses(identity, status);
  return status;
}

/**
 * The stored record a change is based on, once the rules allow the change: NOT_FOUND (also for a
 * draft the caller may not see), FORBIDDEN (another organisation's record, or a `status` that
 * would leave a draft the caller may not see), CONFLICT for a stale version. Checked before the
 * input, so that a refused caller learns nothing about the record from validation messages.
 */
async function loadContentForUpdate<T extends Content>(
  { em, identity }: Context,
  entity: EntityClass<T>,
  typename: string,
  id: string,
  version: number,
  status?: ContentStatus | null,
): Promise<T> {
  // A draft the caller may not see is missing to it, as in queries: neither the ownership rule
  // nor the drafts rule may tell it that the id exists.
  const stored = await em.findOne(entity, { _id: id } as never);
  if (stored && !maySee(identity, stored)) throw notFound(typename, id);
  const current = await loadForUpdate(em, entity, typename, id, version);
  assertMayWriteStatuses(identity, current.status, status ?? current.status);
  return current;
}

/** Archiving as in every subgraph, once the caller may see and change the record. */
function archive<T extends Content>(entity: EntityClass<T>, typename: string) {
  return async (_root: unknown, { id, version }: { id: string; version: number }, context: Context) => {
    await loadContentForUpdate(context, entity, typename, id, version);
    return setArchived(context.em, entity, typename, id, version, true);
  };
}

function requiredCity(value: string): string {
  const city = value.trim();
  if (!city) throw badUserInput('input.place.city', 'must not be empty');
  if (city.length > 100)
    throw badUserInput('input.place.city', `must be at most 100 characters (got ${city.length})`);
  return city;
}

/** Both inside the project period, the end not before the start. */
function eventDates(
  start: string,
  end: string,
  endField = 'input.endDate',
): { startDate: Date; endDate: Date } {
  const startDate = projectDate('input.startDate', start);
  const endDate = projectDate('input.endDate', end);
  if (endDate < startDate)
    throw badUserInput(
      endField,
      `the event must not end (${formatIsoDate(endDate)}) before it starts (${formatIsoDate(startDate)})`,
    );
  return { startDate, endDate };
}

/** Every language must lead to a document: its own link, the publication's, or the English one. */
function requireLink(stored: StoredTranslation[], url: string | null | undefined): void {
  if (!publicationLink({ url, translations: stored }, DEFAULT_LANGUAGE))
    throw badUserInput('input.url', 'a publication needs a link: give `url` or a `url` in a translation');
}

function positiveIssue(value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw badUserInput('input.issueNumber', `must be a whole number from 1 (got ${value})`);
  return value;
}

/**
 * Issue numbers are unique, archived issues included: a number in use is bad input, refused
 * before anything is written. `exceptId` is the issue being renumbered, which may keep its own.
 */
async function assertIssueFree(
  { em, identity }: Context,
  issueNumber: number,
  exceptId?: string,
): Promise<void> {
  const where = exceptId ? { issueNumber, _id: { $ne: exceptId } } : { issueNumber };
  const holder = await em.findOne(Newsletter, where);
  // A draft issue the caller may not see still holds its number, but the answer says no more.
  if (holder)
    throw badUserInput(
      'input.issueNumber',
      holder.archived && maySee(identity, holder)
        ? `issue ${issueNumber} is already used by an archived newsletter, which keeps its number; choose another number`
        : `issue ${issueNumber} is already used by another newsletter; choose another number`,
    );
}

/** The unique index's refusal: another request took the number between the check and the write. */
function issueRace(issueNumber: number): GraphQLError {
  return conflict(
    `Newsletter issue ${issueNumber} was just taken by another request; choose another number`,
    {
      field: 'input.issueNumber',
      issueNumber,
    },
  );
}

const MAX_ITEMS = 200;

/**
 * Each id once, each an existing news item that is not archived; looked up in one query. A draft
 * the caller may not see is not found, as in queries.
 */
async function existingItems(ids: readonly string[], { loaders, identity }: Context): Promise<string[]> {
  if (ids.length > MAX_ITEMS)
    throw badUserInput('input.itemIds', `must list at most ${MAX_ITEMS} items (got ${ids.length})`);
  const trimmed = ids.map((id) => id.trim());
  const seen = new Set<string>();
  trimmed.forEach((id, i) => {
    if (!id) throw badUserInput(`input.itemIds[${i}]`, 'must not be empty');
    if (seen.has(id)) throw badUserInput(`input.itemIds[${i}]`, `"${id}" is listed twice`);
    seen.add(id);
  });
  const items = await Promise.all(trimmed.map((id) => loaders.newsItem.load(id)));
  items.forEach((item, i) => {
    if (!item || !maySee(identity, item))
      throw badUserInput(`input.itemIds[${i}]`, `no news item "${trimmed[i]}" exists`);
    if (item.archived) throw badUserInput(`input.itemIds[${i}]`, `news item "${trimmed[i]}" is archived`);
  });
  return trimmed;
}
