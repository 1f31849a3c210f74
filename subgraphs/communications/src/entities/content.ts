import { CLUSTERPOLISEE_PERIOD, searchKeys } from '@clusterpolisee/kit';

/** One language version, embedded in its record: a text and its translations change together. */
export interface StoredTranslation {
  /** BCP 47: `en`, `bg`, `sr-RS`. */
  lang: string;
  title: string;
  summary?: string;
  body?: string;
  /** Publications only: the document in this language. */
  url?: string;
}

export type ContentStatus = 'PUBLISHED' | 'DRAFT';

/** The fallback of every text, and so required in each: the project's working language. */
export const DEFAULT_LANGUAGE = 'en';

/** The kit's ClusterPoliSEE period, the one validation and seeds use alike. */
export const PROJECT_PERIOD = CLUSTERPOLISEE_PERIOD;

/**
 * What a record stores besides its translations so that lists can filter without reading them:
 * the languages (for `filter.lang`) and the folded title words of every language (for `search`).
 * Computed on create, update and seed alike.
 */
export function translationIndex(translations: StoredTranslation[]): {
  languages: string[];
  searchKeys: string[];
} {
  return {
    languages: translations.map((t) => t.lang),
    searchKeys: searchKeys(...translations.map((t) => t.title)),
  };
}

/** English first, the others in the order given: editors see the fallback on top. */
export function orderTranslations<T extends { lang: string }>(translations: T[]): T[] {
  return [
    ...translations.filter((t) => t.lang === DEFAULT_LANGUAGE),
    ...translations.filter((t) => t.lang !== DEFAULT_LANGUAGE),
  ];
}
