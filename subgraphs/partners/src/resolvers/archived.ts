/** Archived rows are hidden unless the filter asks for them. */
export function liveUnless(includeArchived: boolean | null | undefined): { archived?: boolean } {
  return includeArchived ? {} : { archived: false };
}
