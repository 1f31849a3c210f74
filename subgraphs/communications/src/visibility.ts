import type { ContentStatus } from './entities';
import type { Context } from './loaders';

export interface StatusFilter {
  status?: ContentStatus | null;
  includeDrafts?: boolean | null;
}

/**
 * The statuses a list may show. Published only, unless the caller asks for drafts (with
 * `includeDrafts` or `status: DRAFT`); then `assertMaySeeDrafts` decides.
 */
export function visibleStatuses(filter: StatusFilter, context: Context): ContentStatus[] {
  const wantsDrafts = filter.includeDrafts === true || filter.status === 'DRAFT';
  if (wantsDrafts) assertMaySeeDrafts(context);
  if (filter.status) return [filter.status];
  return wantsDrafts ? ['PUBLISHED', 'DRAFT'] : ['PUBLISHED'];
}

/**
 * The seam for authorisation: who may see drafts. Every caller may until the issue that brings
 * authentication to the hub; then this throws FORBIDDEN for anyone but editors (and the by-id
 * queries, which answer drafts today, should ask it too).
 */
export function assertMaySeeDrafts(_context: Context): void {
  // Intentionally open for now; see the comment above.
}
