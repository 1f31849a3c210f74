import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mongodb';
import { requestScopeOf, SYSTEM } from '../request-scope';
import {
  AUDITED_BY,
  AuditEntry,
  type AuditAction,
  type AuditChange,
  type AuditEntryDocument,
} from './audit-entry';
import { confidentialityRuleOf, judgeConfidentiality } from './confidentiality';

/** Bookkeeping the trail leaves out: every change sets them and they say nothing new. */
const UNTRACKED = new Set(['updatedAt', 'createdAt', 'id', AUDITED_BY]);

export interface RecordedChange {
  action: AuditAction;
  recordType: string;
  recordId: string;
  /** The stored record before the change; undefined for a creation. */
  before?: object;
  after: object;
}

/** Who made a change, as the trail names them: taken from the request when the change is planned. */
export interface ChangeAuthor {
  subgraph: string;
  actor: string;
  actorRole: string;
  actorOrganisationId: string | null;
  requestId: string | null;
  clientRequestId: string | null;
}

/** The request's signed identity, or `system` outside requests. */
export function authorOf(em: EntityManager): ChangeAuthor {
  const scope = requestScopeOf(em);
  const identity = scope?.identity ?? SYSTEM;
  return {
    subgraph: scope?.subgraph ?? 'system',
    actor: identity.subject,
    actorRole: scope ? identity.role : 'system',
    actorOrganisationId: identity.organisationId,
    requestId: scope?.requestId ?? null,
    clientRequestId: scope?.clientRequestId ?? null,
  };
}

/**
 * The entry of one change: who, when, which record, each field's value before and after, and for
 * each side who may read its values as the record type's `auditConfidentiality` judged that
 * state (confidentiality.ts). `version` is the one the change gave the record, when versioned.
 */
export function auditEntryOf(
  em: EntityManager,
  id: string,
  at: Date,
  author: ChangeAuthor,
  change: RecordedChange,
  version: number | null = null,
): AuditEntryDocument {
  return {
    _id: id,
    at,
    ...author,
    action: change.action,
    recordType: change.recordType,
    recordId: change.recordId,
    version,
    changes: diff(change.before, change.after),
    confidentiality: judgeConfidentiality(
      confidentialityRuleOf(em, change.recordType),
      change.before,
      change.after,
    ),
  };
}

/**
 * Appends one entry per change already stored. The kit's write helpers do not use it: they write
 * each entry as pending before the change and settle it after (pending.ts), so that a crash in
 * between leaves nothing unaudited. For changes made outside them (a maintenance script).
 */
export async function recordChanges(em: EntityManager, changes: RecordedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const author = authorOf(em);
  const at = new Date();
  const entries = changes.map((change) => auditEntryOf(em, randomUUID(), at, author, change));
  await em.insertMany(AuditEntry, entries);
}

export function diff(before: object | undefined, after: object): AuditChange[] {
  const old = snapshot(before);
  const now = snapshot(after);
  const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const was = old[field] ?? null;
    const is = now[field] ?? null;
    if (was !== is) changes.push({ field, before: was, after: is });
  }
  return changes;
}

/** Each field as JSON text, so that any value (dates, nested translations) compares and stores alike. */
function snapshot(record: object | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!record) return fields;
  for (const [field, value] of Object.entries(record)) {
    if (UNTRACKED.has(field) || value === undefined || typeof value === 'function') continue;
    fields[field] = JSON.stringify(value);
  }
  return fields;
}
