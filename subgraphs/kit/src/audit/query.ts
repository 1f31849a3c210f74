import type { EntityManager, FilterQuery } from '@mikro-orm/mongodb';
import { ANONYMOUS } from '../auth/roles';
import { findPage, type Page } from '../pagination';
import { requestScopeOf } from '../request-scope';
import { AuditEntry } from './audit-entry';
import {
  confidentialityRuleOf,
  readableEntry,
  withheldSides,
  type ReadableAuditEntry,
} from './confidentiality';

export interface AuditLogArgs {
  recordType?: string | null;
  recordId?: string | null;
  first?: number | null;
  after?: string | null;
}

/**
 * The resolver of each subgraph's `<name>AuditLog` query: newest first, optionally for one type
 * or one record. Who may call it is declared in the SDL (`@requiresScopes` on read:audit). Every
 * entry is listed and counted, but the values of a side the caller may not read are withheld,
 * so that read:audit does not open what the record type keeps for another scope.
 */
export async function auditLog(em: EntityManager, args: AuditLogArgs): Promise<Page<ReadableAuditEntry>> {
  const where: FilterQuery<AuditEntry> = {};
  if (args.recordType) where.recordType = String(args.recordType);
  if (args.recordId) where.recordId = String(args.recordId);
  const page = await findPage(em, AuditEntry, {
    where,
    sort: { field: 'at', direction: 'desc' },
    first: args.first,
    after: args.after,
    defaultFirst: 50,
  });
  const identity = requestScopeOf(em)?.identity ?? ANONYMOUS;
  const nodes = page.nodes.map((entry) =>
    readableEntry(entry, withheldSides(entry, confidentialityRuleOf(em, entry.recordType), identity)),
  );
  return { ...page, nodes };
}
