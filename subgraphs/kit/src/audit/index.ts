export {
  AuditEntry,
  AuditEntryConnection,
  AuditEntrySchema,
  type AuditAction,
  type AuditChange,
} from './audit-entry';
export { recordChanges, diff, type RecordedChange } from './trail';
export { auditLog, type AuditLogArgs } from './query';
export { AUDIT_TYPE_DEFS_FILE } from './type-defs';
