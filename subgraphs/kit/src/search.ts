import { badUserInput } from './errors';

/**
 * Name search without text indexes (FerretDB has none, and a `$text` index would tie the hub to
 * MongoDB): each record stores `searchKeys`, its names folded to lower-case ASCII-ish form, once
 * whole and once from each word on. An anchored, escaped regex on that indexed array then finds
 * "reg" in "Marche Region" and "марк" in Cyrillic names alike, and never runs a user's regex.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The keys to store for the given names (English, original, acronym...). */
export function searchKeys(...names: (string | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const name of names) {
    const words = foldForSearch(name ?? '')
      .split(' ')
      .filter(Boolean);
    for (let i = 0; i < words.length; i++) keys.add(words.slice(i).join(' '));
  }
  return [...keys];
}

/**
 * The longest search accepted, in characters. Names are at most 300 and match from their
 * beginning, so the first words find them; the gateway holds every `search` to the same
 * (GATEWAY_MAX_SEARCH_LENGTH), this protects a subgraph reached by another way.
 */
export const MAX_SEARCH_LENGTH = 200;

/**
 * The filter for a search string, or undefined for an empty one. A longer one than
 * MAX_SEARCH_LENGTH is refused (BAD_USER_INPUT naming `field`) before it is folded or run.
 */
export function searchFilter(
  query: string | null | undefined,
  field = 'filter.search',
): { searchKeys: RegExp } | undefined {
  if (query && query.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(
      field,
      `must be at most ${MAX_SEARCH_LENGTH} characters (got ${query.length}); the first words of a name find it`,
    );
  }
  const folded = foldForSearch(query ?? '');
  if (!folded) return undefined;
  return { searchKeys: new RegExp(`^${folded.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) };
}
