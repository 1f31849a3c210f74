/**
 * The project's real news, events and publications are not in the facts, so everything here is
 * synthetic: the titles say "demo" in every language and `source` says `synthetic`. Each record
 * comes from a PRNG seeded by its own number, so record i is the same at every scale and a
 * larger scale only adds records (25 synthetic organisations and their content per step).
 */
import type { EntityManager } from '@mikro-orm/mongodb';
import {
  Event,
  NewsItem,
  Newsletter,
  Publication,
  PROJECT_PERIOD,
  translationIndex,
  type ContentStatus,
  type EventType,
  type PublicationType,
  type StoredTranslation,
} from '@clusterpolisee/communications/entities';
import { formatIsoDate, insertMissing, slugId } from '@clusterpolisee/kit';
import type { SeedScale } from '.';
import { partners } from './facts';
import { seedOrganisations, type SeedOrganisation } from './organisations';
import { random, SYNTHETIC } from './synthetic';

export const NEWS_PER_SCALE = 12;
export const EVENTS_PER_SCALE = 8;
export const PUBLICATIONS_PER_SCALE = 6;

export async function seedCommunications(em: EntityManager, { scale }: SeedScale): Promise<number> {
  const organisations = seedOrganisations(scale);
  const news = newsItems(scale, organisations);
  let written = await insertMissing(em, NewsItem, news);
  written += await insertMissing(em, Event, events(scale, organisations));
  written += await insertMissing(em, Publication, publications(scale, organisations));
  written += await insertMissing(em, Newsletter, newsletters(news));
  return written;
}

// Stored fields only: derived getters, bookkeeping and the record-rule method are the class's own.
type Row<T> = Omit<T, 'id' | 'version' | 'archived' | 'createdAt' | 'updatedAt' | 'ownerOrganisationIds'>;

interface Topic {
  en: string;
  bg: string;
  it: string;
}

const NEWS_TOPICS: Topic[] = [
  {
    en: 'Steering Committee meeting',
    bg: 'Заседание на Управителния комитет',
    it: 'Riunione del Comitato di pilotaggio',
  },
  {
    en: 'Working group workshop on cluster financing',
    bg: 'Семинар на работната група за финансиране на клъстери',
    it: 'Workshop del gruppo di lavoro sul finanziamento dei cluster',
  },
  {
    en: 'Study visit to a regional cluster',
    bg: 'Учебно посещение в регионален клъстер',
    it: 'Visita di studio a un cluster regionale',
  },
  {
    en: 'Training on cluster policy making',
    bg: 'Обучение за разработване на клъстерни политики',
    it: 'Formazione sulla definizione delle politiche per i cluster',
  },
  { en: 'Pilot action under way', bg: 'Пилотното действие започна', it: 'Azione pilota in corso' },
  {
    en: 'Policy learning platform opens to stakeholders',
    bg: 'Платформата за обучение по политики се отваря за заинтересованите страни',
    it: 'La piattaforma di apprendimento delle politiche si apre ai portatori di interesse',
  },
];

const WORKING_GROUPS = ['WG1', 'WG2', 'WG3', 'WG4', 'WG5', 'WG6'];

/**
 * The organisations record i may name: the 25 real partners for the first scale step, the 25
 * synthetic ones a later step adds for its records, so that scale 1 stays as it is.
 */
function pool(organisations: SeedOrganisation[], i: number, perScale: number): SeedOrganisation[] {
  const step = Math.floor(i / perScale);
  return organisations.slice(step * partners.length, (step + 1) * partners.length);
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/**
 * A seeded draft's id, shaped as the subgraph gives new drafts (`news-<16 hex>`), not made of its
 * title (issue 17). Drawn after the row's other values, so that they stay as they were.
 */
function draftId(kind: string, next: () => number): string {
  const part = () =>
    Math.floor(next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return `${kind}-${part()}${part()}`;
}

const DAY = 86_400_000;
const PERIOD_START = Date.parse(`${PROJECT_PERIOD.start}T00:00:00Z`);
const PERIOD_END = Date.parse(`${PROJECT_PERIOD.end}T00:00:00Z`);

/** A UTC midnight inside the project period, at most `spare` days before its end. */
function dayInPeriod(next: () => number, spare = 0): Date {
  const days = Math.round((PERIOD_END - PERIOD_START) / DAY) - spare;
  return new Date(PERIOD_START + Math.floor(next() * (days + 1)) * DAY);
}

/**
 * Every item in English; two in three also in Bulgarian and one in four in Italian; every third
 * in English alone, so a reader asking for Bulgarian sees both the translation and the fallback.
 * One in twelve is a draft.
 */
export function newsItems(scale: number, organisations = seedOrganisations(scale)): Row<NewsItem>[] {
  return Array.from({ length: NEWS_PER_SCALE * scale }, (_, i) => {
    const next = random(20_140_000 + i);
    const author = pick(next, pool(organisations, i, NEWS_PER_SCALE));
    const publishedOn = dayInPeriod(next);
    const topic = NEWS_TOPICS[i % NEWS_TOPICS.length]!;
    const n = i + 1;
    const translations: StoredTranslation[] = [
      {
        lang: 'en',
        title: `${topic.en} (demo news item ${n})`,
        summary: 'Synthetic demo news item for the hub; not a real event of the project.',
        body: `This text stands in for a news article of the ClusterPoliSEE platform. Demo item ${n}.`,
      },
    ];
    if (i % 3 !== 2)
      translations.push({
        lang: 'bg',
        title: `${topic.bg} (демонстрационна новина ${n})`,
        summary: 'Синтетична демонстрационна новина за хъба; не е действително събитие на проекта.',
      });
    if (i % 4 === 0)
      translations.push({
        lang: 'it',
        title: `${topic.it} (notizia dimostrativa ${n})`,
        summary: "Notizia dimostrativa sintetica per l'hub; non è un evento reale del progetto.",
      });
    const status: ContentStatus = i % 12 === 11 ? 'DRAFT' : 'PUBLISHED';
    return {
      _id:
        status === 'DRAFT'
          ? draftId('news', next)
          : slugId(formatIsoDate(publishedOn), translations[0]!.title),
      translations,
      ...translationIndex(translations),
      publishedOn,
      authorOrganisationId: author.id,
      workingGroupCode: i % 5 === 4 ? undefined : WORKING_GROUPS[i % WORKING_GROUPS.length],
      status,
      source: SYNTHETIC,
    };
  });
}

const EVENT_TYPES: { type: EventType; en: string; bg: string }[] = [
  { type: 'CONFERENCE', en: 'Conference', bg: 'Конференция' },
  { type: 'WORKSHOP', en: 'Workshop', bg: 'Семинар' },
  { type: 'STUDY_VISIT', en: 'Study visit', bg: 'Учебно посещение' },
  { type: 'TRAINING', en: 'Training', bg: 'Обучение' },
];

/** A city in each partner country, where the partners are: demo places, not real venues. */
const CITIES: Record<string, string> = {
  AT: 'Vienna',
  BG: 'Sofia',
  GR: 'Thessaloniki',
  HU: 'Budapest',
  IT: 'Ancona',
  RO: 'Piatra Neamț',
  SK: 'Bratislava',
  SI: 'Koper',
  AL: 'Tirana',
  HR: 'Pazin',
  RS: 'Novi Sad',
};

/** Every type in turn, hosted in the host's country, one to three days, on a working group's theme. */
export function events(scale: number, organisations = seedOrganisations(scale)): Row<Event>[] {
  return Array.from({ length: EVENTS_PER_SCALE * scale }, (_, i) => {
    const next = random(20_120_000 + i);
    const host = pick(next, pool(organisations, i, EVENTS_PER_SCALE));
    const kind = EVENT_TYPES[i % EVENT_TYPES.length]!;
    const startDate = dayInPeriod(next, 2);
    const endDate = new Date(startDate.getTime() + Math.floor(next() * 3) * DAY);
    const city = CITIES[host.country] ?? 'Ancona';
    const n = i + 1;
    const translations: StoredTranslation[] = [
      {
        lang: 'en',
        title: `${kind.en} in ${city} (demo event ${n})`,
        summary: 'Synthetic demo event for the hub; not a real event of the project.',
      },
    ];
    if (i % 2 === 0)
      translations.push({
        lang: 'bg',
        title: `${kind.bg} в ${city} (демонстрационно събитие ${n})`,
        summary: 'Синтетично демонстрационно събитие за хъба.',
      });
    const status: ContentStatus = i % 8 === 7 ? 'DRAFT' : 'PUBLISHED';
    return {
      _id:
        status === 'DRAFT'
          ? draftId('event', next)
          : slugId(formatIsoDate(startDate), translations[0]!.title),
      type: kind.type,
      translations,
      ...translationIndex(translations),
      hostOrganisationId: host.id,
      startDate,
      endDate,
      city,
      countryCode: host.country,
      workingGroupCode: WORKING_GROUPS[i % WORKING_GROUPS.length],
      status,
      source: SYNTHETIC,
    };
  });
}

const PUBLICATION_TYPES: { type: PublicationType; en: string; bg: string }[] = [
  { type: 'REPORT', en: 'Report', bg: 'Доклад' },
  { type: 'FACTSHEET', en: 'Policy factsheet', bg: 'Информационен лист' },
  { type: 'BROCHURE', en: 'Brochure', bg: 'Брошура' },
  { type: 'ARTICLE', en: 'Article', bg: 'Статия' },
  { type: 'PRESENTATION', en: 'Presentation', bg: 'Презентация' },
  { type: 'OTHER', en: 'Document', bg: 'Документ' },
];

/** Links go to example.org, reserved for examples: there are no real documents behind them. */
const DEMO_LINKS = 'https://example.org/clusterpolisee/demo';

/** Every type in turn; half link each language's document, half one document for all. */
export function publications(scale: number, organisations = seedOrganisations(scale)): Row<Publication>[] {
  return Array.from({ length: PUBLICATIONS_PER_SCALE * scale }, (_, i) => {
    const next = random(20_130_000 + i);
    const author = pick(next, pool(organisations, i, PUBLICATIONS_PER_SCALE));
    const kind = PUBLICATION_TYPES[i % PUBLICATION_TYPES.length]!;
    const publishedOn = dayInPeriod(next);
    const n = i + 1;
    const perLanguage = i % 2 === 1;
    const translations: StoredTranslation[] = [
      {
        lang: 'en',
        title: `${kind.en} on cluster policy (demo publication ${n})`,
        summary: 'Synthetic demo publication for the hub; no such document exists.',
        ...(perLanguage && { url: `${DEMO_LINKS}/publication-${n}-en.pdf` }),
      },
      {
        lang: 'bg',
        title: `${kind.bg} за клъстерната политика (демонстрационна публикация ${n})`,
        ...(perLanguage && { url: `${DEMO_LINKS}/publication-${n}-bg.pdf` }),
      },
    ];
    return {
      _id: slugId(formatIsoDate(publishedOn), translations[0]!.title),
      type: kind.type,
      translations,
      ...translationIndex(translations),
      url: perLanguage ? undefined : `${DEMO_LINKS}/publication-${n}.pdf`,
      publishedOn,
      authorOrganisationId: author.id,
      status: 'PUBLISHED' as ContentStatus,
      source: SYNTHETIC,
    };
  });
}

/**
 * One issue per half-year of the period, published on its last day (the last one on the period's
 * end), collecting the published news of that half in date order. Seeding a larger scale later
 * adds news but leaves issues as they are (insertMissing never rewrites a record).
 */
export function newsletters(news: Row<NewsItem>[]): Row<Newsletter>[] {
  const halves: { from: string; to: string }[] = [];
  for (
    let year = Number(PROJECT_PERIOD.start.slice(0, 4));
    year <= Number(PROJECT_PERIOD.end.slice(0, 4));
    year++
  ) {
    halves.push(
      { from: `${year}-01-01`, to: `${year}-06-30` },
      { from: `${year}-07-01`, to: `${year}-12-31` },
    );
  }
  // The period ends on 2014-10-30, mid half-year: its last issue closes the project on that day.
  const inPeriod = halves
    .filter((h) => h.to >= PROJECT_PERIOD.start && h.from <= PROJECT_PERIOD.end)
    .map((h) => ({ from: h.from, to: h.to > PROJECT_PERIOD.end ? PROJECT_PERIOD.end : h.to }));
  return inPeriod.map((half, i) => {
    const issueNumber = i + 1;
    const items = news
      .filter((item) => item.status === 'PUBLISHED')
      .map((item) => ({ id: item._id, day: formatIsoDate(item.publishedOn) }))
      .filter((item) => item.day >= half.from && item.day <= half.to)
      .sort((a, b) => a.day.localeCompare(b.day) || a.id.localeCompare(b.id));
    const translations: StoredTranslation[] = [
      {
        lang: 'en',
        title: `ClusterPoliSEE newsletter no. ${issueNumber} (demo issue)`,
        summary: `Synthetic demo newsletter: the demo news of ${half.from} to ${half.to}.`,
      },
      {
        lang: 'bg',
        title: `Бюлетин на ClusterPoliSEE, брой ${issueNumber} (демонстрационен брой)`,
        summary: 'Синтетичен демонстрационен бюлетин.',
      },
    ];
    return {
      _id: `newsletter-${issueNumber}`,
      issueNumber,
      publishedOn: new Date(`${half.to}T00:00:00Z`),
      translations,
      ...translationIndex(translations),
      itemIds: items.map((item) => item.id),
      status: 'PUBLISHED' as ContentStatus,
      source: SYNTHETIC,
    };
  });
}
