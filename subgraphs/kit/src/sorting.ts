export type SortDirection = 'ASC' | 'DESC';

export interface ListOrder<F extends string> {
  field?: F | null;
  direction?: SortDirection | null;
}

/**
 * A list's `orderBy` as `findPage` takes it: the SDL's field names mapped to stored fields, the
 * list's own default when the client gives no order.
 */
export function listSort<F extends string, S extends string>(
  orderBy: ListOrder<F> | null | undefined,
  fields: Record<F, S>,
  fallback: { field: F; direction: SortDirection },
): { field: S; direction: 'asc' | 'desc' } {
  const direction = orderBy?.direction ?? fallback.direction;
  return {
    field: fields[orderBy?.field ?? fallback.field],
    direction: direction === 'DESC' ? 'desc' : 'asc',
  };
}
