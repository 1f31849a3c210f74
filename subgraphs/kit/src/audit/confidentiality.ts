import type { EntityManager } from '@mikro-orm/mongodb';
import { boundOrganisation, type Identity } from '../auth/roles';
import type { AuditEntry, Confidentiality, EntryConfidentiality } from './audit-entry';

/**
 * How a subgraph says that the trail of a record type must not show every reader the values it
 * records, declared as `static auditConfidentiality` on the entity's class (communications: a
 * draft's text is for its author's organisation). The trail stores the answer for each side of a
 * change when it writes the entry, so that a later change of the record (a draft published)
 * does not open what was recorded while it was confidential.
 */
export interface AuditConfidentialityRule {
  /** The scope that reads confidential values, e.g. `read:drafts`. */
  scope: string;
  /**
   * Given the record's stored fields, the organisations whose callers holding `scope` may read
   * its values, or undefined when the record in this state is for every reader of the trail.
   * An empty list leaves the values to roles not bound to an organisation.
   */
  readers(stored: Readonly<Record<string, unknown>>): readonly string[] | undefined;
}

export type AuditSide = 'BEFORE' | 'AFTER';

/** An entry as one reader may see it: the values of a withheld side are null. */
export type ReadableAuditEntry = AuditEntry & { withheld: AuditSide[] };

/** The rule the entity class of `recordType` declares, if any. */
export function confidentialityRuleOf(
  em: EntityManager,
  recordType: string,
): AuditConfidentialityRule | undefined {
  const entityClass = em.getMetadata().find(recordType)?.class as
    { auditConfidentiality?: AuditConfidentialityRule } | undefined;
  return entityClass?.auditConfidentiality;
}

/** The confidentiality to store with an entry, from the record before (undefined: created) and after. */
export function judgeConfidentiality(
  rule: AuditConfidentialityRule | undefined,
  before: object | undefined,
  after: object,
): EntryConfidentiality {
  const judge = (stored: object | undefined): Confidentiality | null => {
    const readers = rule && stored ? rule.readers(stored as Record<string, unknown>) : undefined;
    return readers ? { scope: rule!.scope, organisationIds: [...readers] } : null;
  };
  return { before: judge(before), after: judge(after) };
}

/**
 * The sides of `entry` whose values `identity` may not read. An entry of a confidential type
 * written before the trail stored confidentiality gives no way to tell what state it recorded, so
 * both its sides are withheld from all but roles holding the scope for every organisation.
 */
export function withheldSides(
  entry: Pick<AuditEntry, 'confidentiality'>,
  rule: AuditConfidentialityRule | undefined,
  identity: Identity,
): AuditSide[] {
  const stored =
    entry.confidentiality ??
    (rule && {
      before: { scope: rule.scope, organisationIds: [] },
      after: { scope: rule.scope, organisationIds: [] },
    });
  if (!stored) return [];
  const sides: AuditSide[] = [];
  if (stored.before && !mayRead(identity, stored.before)) sides.push('BEFORE');
  if (stored.after && !mayRead(identity, stored.after)) sides.push('AFTER');
  return sides;
}

function mayRead(identity: Identity, confidentiality: Confidentiality): boolean {
  if (!identity.scopes.has(confidentiality.scope)) return false;
  const own = boundOrganisation(identity);
  return own === undefined || confidentiality.organisationIds.includes(own);
}

/**
 * The entry with the values of the withheld sides set to null. Who, when, which record and which
 * fields changed stay: they say that a confidential record changed, not what it holds.
 */
export function readableEntry(entry: AuditEntry, withheld: AuditSide[]): ReadableAuditEntry {
  const hideBefore = withheld.includes('BEFORE');
  const hideAfter = withheld.includes('AFTER');
  // Spread, so that fields the entry gains later come along; `id` is a getter of the class.
  return {
    ...entry,
    id: entry.id,
    changes: entry.changes.map((change) => ({
      field: change.field,
      before: hideBefore ? null : change.before,
      after: hideAfter ? null : change.after,
    })),
    withheld,
  };
}
