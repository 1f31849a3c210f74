import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mongodb';
import { requestScopeOf, SYSTEM } from '../request-scope';
import { AuditEntry, type AuditAction, type AuditChange } from './audit-entry';
import { confidentialityRuleOf, judgeConfidentiality } from './confidentiality';

/** Bookkeeping the trail leaves out: every update changes them and they say nothing new. */
const UNTRACKED = new Set(['updatedAt', 'createdAt', 'id']);

export interface RecordedChange {
  action: AuditAction;
  recordType: string;
  recordId: string;
  /** The stored record before the change; undefined for a creation. */
  before?: object;
  after: object;
}

/**
 * Appends one entry per change, naming who (from the request's signed identity, or `system`
 * outside requests), when, which record and each field's value before and after. Called by the
 * kit's write helpers after the change is stored and before the mutation answers, so that a
 * change a client sees acknowledged is in the trail. Each entry keeps, for each side, who may read
 * its values as the record type's `auditConfidentiality` judged that state (confidentiality.ts).
 */
export async function recordChanges(em: EntityManager, changes: RecordedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const scope = requestScopeOf(em);
  const identity = scope?.identity ?? SYSTEM;
  const at = new Date();
  const entries = changes.map((change) => ({
    _id: randomUUID(),
    at,
    subgraph: scope?.subgraph ?? 'system',
    actor: identity.subject,
    actorRole: scope ? identity.role : 'system',
    actorOrganisationId: identity.organisationId,
    requestId: scope?.requestId ?? null,
    clientRequestId: scope?.clientRequestId ?? null,
    action: change.action,
    recordType: change.recordType,
    recordId: change.recordId,
    changes: diff(change.before, change.after),
    confidentiality: judgeConfidentiality(
      confidentialityRuleOf(em, change.recordType),
      change.before,
      change.after,
    ),
  }));
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
