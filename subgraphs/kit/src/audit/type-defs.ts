import { join } from 'node:path';

/** The audit trail's SDL types, served by every subgraph and listed beside its SDL for composition and codegen. */
export const AUDIT_TYPE_DEFS_FILE = join(__dirname, '../../schema/audit.graphql');
