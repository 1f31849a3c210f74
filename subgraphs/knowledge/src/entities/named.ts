import { foldForSearch, searchKeys } from '@clusterpolisee/kit';

/**
 * The stored forms of a record's name: `sortName` orders lists the way people read them (case
 * and accents ignored), `searchKeys` feeds the kit's anchored prefix search. Both derive from the
 * names, so they are set by onCreate hooks for new records (seeds included) and recomputed by
 * `nameFields` on every update.
 */
export function nameFields(name: string, ...others: (string | null | undefined)[]) {
  return { sortName: foldForSearch(name), searchKeys: searchKeys(name, ...others) };
}
