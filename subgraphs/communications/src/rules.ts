/**
 * Input rules of this subgraph's mutations and filters. Each throws BAD_USER_INPUT naming the
 * field (a dotted path into the input) before anything is written, and returns the value
 * normalised, so resolvers store exactly what was checked.
 */
import {
  badUserInput,
  dateInProjectPeriod,
  ISO_COUNTRY,
  isoDate,
  optionalText,
  optionalUrl,
  optionalWorkingGroupCode,
  organisationIdReference,
  requiredText,
} from '@clusterpolisee/kit';
import { DEFAULT_LANGUAGE, orderTranslations, type StoredTranslation } from './entities';

export const LANGUAGE = {
  regex: /^[a-z]{2}(-[A-Z]{2})?$/,
  description: 'a language tag such as "en", "bg" or "sr-RS"',
};

/** Bounds what one record may hold: eight platform languages and room for a few more. */
const MAX_TRANSLATIONS = 20;

export interface TranslationInput {
  lang: string;
  title: string;
  summary?: string | null;
  body?: string | null;
  url?: string | null;
}

/**
 * A full set of language versions: each with a valid, distinct language and a title, and an
 * English one among them, the fallback every reader can get. Bodies may be long articles.
 */
export function translations(
  field: string,
  input: readonly TranslationInput[],
  options: { body: boolean; url: boolean },
): StoredTranslation[] {
  if (input.length === 0)
    throw badUserInput(field, `must include an English ("${DEFAULT_LANGUAGE}") translation`);
  if (input.length > MAX_TRANSLATIONS)
    throw badUserInput(field, `must hold at most ${MAX_TRANSLATIONS} translations (got ${input.length})`);
  const seen = new Set<string>();
  const stored = input.map((t, i) => {
    const at = `${field}[${i}]`;
    const lang = requiredText(`${at}.lang`, t.lang, { max: 5, pattern: LANGUAGE });
    if (seen.has(lang))
      throw badUserInput(`${at}.lang`, `"${lang}" is given twice: one translation per language`);
    seen.add(lang);
    const translation: StoredTranslation = {
      lang,
      title: requiredText(`${at}.title`, t.title, { max: 300 }),
    };
    const summary = optionalText(`${at}.summary`, t.summary, { max: 5000 });
    if (summary) translation.summary = summary;
    if (options.body) {
      const body = optionalText(`${at}.body`, t.body, { max: 100_000 });
      if (body) translation.body = body;
    }
    if (options.url) {
      const url = optionalUrl(`${at}.url`, t.url);
      if (url) translation.url = url;
    }
    return translation;
  });
  if (!seen.has(DEFAULT_LANGUAGE))
    throw badUserInput(
      field,
      `must include an English ("${DEFAULT_LANGUAGE}") translation, the fallback for readers of other languages`,
    );
  return orderTranslations(stored);
}

/** A date `YYYY-MM-DD` inside the ClusterPoliSEE period. */
export function projectDate(field: string, value: string): Date {
  return dateInProjectPeriod(field, value);
}

export function workingGroupCode(field: string, value: string | null | undefined): string | undefined {
  return optionalWorkingGroupCode(field, value);
}

export function organisationId(field: string, value: string | null | undefined): string {
  return organisationIdReference(field, value);
}

export function source(field: string, value: string | null | undefined): string {
  return requiredText(field, value, { max: 500 });
}

/** A date of a list filter, any day (the list simply finds nothing outside the period). */
export function filterDate(field: string, value: string | null | undefined): Date | undefined {
  return value == null || value.trim() === '' ? undefined : isoDate(field, value);
}

export function filterLanguage(field: string, value: string | null | undefined): string | undefined {
  return optionalText(field, value, { max: 5, pattern: LANGUAGE });
}

export function filterCountry(field: string, value: string | null | undefined): string | undefined {
  return optionalText(field, value, { max: 2, pattern: ISO_COUNTRY });
}
