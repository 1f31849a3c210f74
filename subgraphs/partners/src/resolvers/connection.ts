import type { Page } from '@clusterpolisee/kit';

/**
 * A kit page as the generated connection type. `totalCount` stays a function, which graphql's
 * default resolver calls only when the field is selected, so an unselected count costs no
 * query; the generated types, written for plain values, cannot say that.
 */
export function asConnection<T>(page: Page<T>): {
  nodes: T[];
  pageInfo: Page<T>['pageInfo'];
  totalCount: number;
} {
  return page as unknown as { nodes: T[]; pageInfo: Page<T>['pageInfo']; totalCount: number };
}

/** Archived rows are hidden unless the filter asks for them. */
export function liveUnless(includeArchived: boolean | null | undefined): { archived?: boolean } {
  return includeArchived ? {} : { archived: false };
}
