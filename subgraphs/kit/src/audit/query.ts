import type { EntityManager, FilterQuery } from '@mikro-orm/mongodb';
import { findPage, type Page } from '../pagination';
import { AuditEntry } from './audit-entry';

export interface AuditLogArgs {
  recordType?: string | null;
  recordId?: string | null;
  first?: number | null;
  after?: string | null;
}

/**
 * The resolver of each subgraph's `<name>AuditLog` query: newest first, optionally for one type
 * or one record. Who may call it is declared in the SDL (`@requiresScopes` on read:audit).
 */
export function auditLog(em: EntityManager, args: AuditLogArgs): Promise<Page<AuditEntry>> {
  const where: FilterQuery<AuditEntry> = {};
  if (args.recordType) where.recordType = String(args.recordType);
  if (args.recordId) where.recordId = String(args.recordId);
  return findPage(em, AuditEntry, {
    where,
    sort: { field: 'at', direction: 'desc' },
    first: args.first,
    after: args.after,
    defaultFirst: 50,
  });
}
