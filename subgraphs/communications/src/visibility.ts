import {
  boundOrganisation,
  forbidden,
  isOwnRecord,
  unauthenticated,
  type AuditConfidentialityRule,
  type Identity,
} from '@clusterpolisee/kit';
import type { ContentStatus } from './entities';

/**
 * Who sees unpublished content: the roles with this scope (partners and admins), and of those the
 * organisation-bound ones only their own organisation's drafts. Coordinators, analysts and
 * controllers do not have it (roles.ts).
 */
const READ_DRAFTS = 'read:drafts';

export interface StatusFilter {
  status?: ContentStatus | null;
  includeDrafts?: boolean | null;
}

interface Content {
  status: ContentStatus;
}

/**
 * The rule `published-or-own-draft`, the `@policy` of every content type: published content is
 * public; a draft is for whoever holds read:drafts and may act on the record (its organisation's
 * partners, admins). It is the safety net of lists, the rule of by-id queries and `_entities`.
 */
export function maySee(identity: Identity, record: Content): boolean {
  return record.status === 'PUBLISHED' || (identity.scopes.has(READ_DRAFTS) && isOwnRecord(identity, record));
}

/**
 * A record by key as `identity` may see it: a draft it may not see is null, as an id that does not
 * exist is, so that the answer (data and errors alike) confirms no guessed id.
 */
export function visibleOrNull<T extends Content>(identity: Identity, record: T | null | undefined): T | null {
  return record && maySee(identity, record) ? record : null;
}

/**
 * What the audit trail keeps of a content type's drafts for those who may see them: read:drafts,
 * acting for the organisation in `ownerField` as the draft was stored (none: admins only, as for
 * newsletters). Declared as each content entity's `auditConfidentiality`.
 */
export function draftsInAudit(ownerField?: string): AuditConfidentialityRule {
  return {
    scope: READ_DRAFTS,
    readers: (stored) => {
      if (stored.status !== 'DRAFT') return undefined;
      const owner = ownerField ? stored[ownerField] : undefined;
      return typeof owner === 'string' ? [owner] : [];
    },
  };
}

/** Lists and writes touching drafts ask this first, so that the caller learns what it lacks. */
export function assertMaySeeDrafts(identity: Identity): void {
  if (identity.role === 'anonymous')
    throw unauthenticated("Drafts are for their author's organisation: sign in as one of its partners");
  if (!identity.scopes.has(READ_DRAFTS))
    throw forbidden(
      `Drafts are for their author's organisation: a ${identity.role} may not see them (no ${READ_DRAFTS})`,
      { requiredScopes: [[READ_DRAFTS]] },
    );
}

/**
 * A write must leave the caller able to read what it wrote (the mutation answers with it, and the
 * `@policy` would refuse that answer after the change was stored), and must not act on a draft the
 * caller may not see. Ownership is the write helpers' business (`assertMayChange`); this adds only
 * the drafts rule, so that a coordinator, without read:drafts, writes published content only.
 */
export function assertMayWriteStatuses(identity: Identity, ...statuses: ContentStatus[]): void {
  if (statuses.includes('DRAFT')) assertMaySeeDrafts(identity);
}

/**
 * The condition on status for a list, in the database query so that pages and counts hold only
 * what the caller may see. Published only, unless the filter asks for drafts (`includeDrafts` or
 * `status: DRAFT`); then `assertMaySeeDrafts` decides, and an organisation-bound caller gets its
 * own organisation's drafts: those whose `ownerField` names it. Content without an owning
 * organisation (newsletters, `ownerField` undefined) shows such a caller no drafts at all.
 */
export function statusWhere(
  filter: StatusFilter,
  identity: Identity,
  ownerField: string | undefined,
): Record<string, unknown> {
  const published = { status: 'PUBLISHED' };
  const wantsDrafts = filter.includeDrafts === true || filter.status === 'DRAFT';
  if (!wantsDrafts || filter.status === 'PUBLISHED') return published;
  assertMaySeeDrafts(identity);
  const drafts = visibleDrafts(identity, ownerField);
  if (filter.status === 'DRAFT') return drafts ?? { status: { $in: [] } };
  return drafts ? { $or: [published, drafts] } : published;
}

/** The drafts `identity` may see, as a condition; undefined when none. */
function visibleDrafts(
  identity: Identity,
  ownerField: string | undefined,
): Record<string, unknown> | undefined {
  const own = boundOrganisation(identity);
  if (own === undefined) return { status: 'DRAFT' };
  if (!ownerField || !own) return undefined;
  return { status: 'DRAFT', [ownerField]: own };
}
