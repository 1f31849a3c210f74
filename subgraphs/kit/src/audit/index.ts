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
export { auditLog, type AuditLogArgs } from './query';
export { AUDIT_TYPE_DEFS_FILE } from './type-defs';
