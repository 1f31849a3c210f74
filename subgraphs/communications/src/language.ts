import { DEFAULT_LANGUAGE } from './entities';

/**
 * The translation to serve for a requested language: that language exactly, else the same
 * language with another or no region (`sr` for `sr-RS`, `bg` for `bg-BG`), else English, else
 * the first. Reads never fail on an odd tag: a browser's `BG` or `xx` simply gets the fallback.
 */
export function servedTranslation<T extends { lang: string }>(
  translations: readonly T[],
  lang?: string | null,
): T {
  if (lang) {
    const exact = translations.find((t) => t.lang === lang);
    if (exact) return exact;
    const primary = lang.toLowerCase().split('-')[0];
    const sameLanguage = translations.find((t) => t.lang.split('-')[0] === primary);
    if (sameLanguage) return sameLanguage;
  }
  const fallback = translations.find((t) => t.lang === DEFAULT_LANGUAGE) ?? translations[0];
  if (!fallback) throw new Error('a text record without translations: the write rules require one');
  return fallback;
}

/**
 * A publication's link for a served language: that translation's own document, else the
 * publication's link, else the English document, else any: a Bulgarian summary of an English
 * report still leads to the report. The write rules guarantee at least one link.
 */
export function publicationLink(
  publication: { url?: string | null; translations: readonly { lang: string; url?: string | null }[] },
  lang: string,
): string | undefined {
  const own = publication.translations.find((t) => t.lang === lang)?.url;
  const english = publication.translations.find((t) => t.lang === DEFAULT_LANGUAGE)?.url;
  return own ?? publication.url ?? english ?? publication.translations.find((t) => t.url)?.url ?? undefined;
}
