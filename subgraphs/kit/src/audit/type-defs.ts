import { join } from 'node:path';

/** The audit trail's SDL types, one of the kit's shared SDL files (see KIT_TYPE_DEFS). */
export const AUDIT_TYPE_DEFS_FILE = join(__dirname, '../../schema/audit.graphql');
