import type { StoredTranslation } from '../entities';
import { servedTranslation } from '../language';

interface Multilingual {
  translations: StoredTranslation[];
}
interface LangArgs {
  lang?: string | null;
}

/** The per-field, per-language text resolvers every text type shares. */
export const textFields = {
  title: (record: Multilingual, { lang }: LangArgs) => servedTranslation(record.translations, lang).title,
  summary: (record: Multilingual, { lang }: LangArgs) =>
    servedTranslation(record.translations, lang).summary ?? null,
  body: (record: Multilingual, { lang }: LangArgs) =>
    servedTranslation(record.translations, lang).body ?? null,
  language: (record: Multilingual, { lang }: LangArgs) => servedTranslation(record.translations, lang).lang,
  languages: (record: Multilingual) => record.translations.map((t) => t.lang),
};
