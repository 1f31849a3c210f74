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

/** The filter for a search string, or undefined for an empty one. */
export function searchFilter(query: string | null | undefined): { searchKeys: RegExp } | undefined {
  const folded = foldForSearch(query ?? '');
  if (!folded) return undefined;
  return { searchKeys: new RegExp(`^${folded.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) };
}
