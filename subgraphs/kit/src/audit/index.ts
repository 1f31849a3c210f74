export {
  AuditEntry,
  AuditEntryConnection,
  AuditEntrySchema,
  type AuditAction,
  type AuditChange,
  type Confidentiality,
  type EntryConfidentiality,
} from './audit-entry';
export {
  withheldSides,
  type AuditConfidentialityRule,
  type AuditSide,
  type ReadableAuditEntry,
} from './confidentiality';
export { recordChanges, diff, type RecordedChange } from './trail';
export { AUDITED_BY, AUDIT_LOG_COLLECTION } from './audit-entry';
export {
  AUDIT_PENDING_COLLECTION,
  PENDING_ABANDONED_AFTER_MS,
  reconcilePending,
  type PendingEntry,
} from './pending';
export { findUnauditedChanges, type AuditCheck, type AuditFinding } from './unaudited';
export { AUDIT_PAUSE_SETTING } from './fault-hook';
export { auditLog, type AuditLogArgs } from './query';
export { AUDIT_TYPE_DEFS_FILE } from './type-defs';
