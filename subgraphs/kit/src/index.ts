export {
  createSubgraph,
  type Subgraph,
  type SubgraphDefinition,
  type RunningSubgraph,
  type StartOptions,
} from './create-subgraph';
export { type SubgraphContext, type LoadersFactory } from './context';
export { loaderByKey, loaderGroupedBy, batchLoader, batchingOf } from './loaders';
export { badUserInput, notFound, conflict, forbidden, unauthenticated } from './errors';
export {
  parseSubgraphConfig,
  defaultDatabaseName,
  ConfigError,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type SubgraphConfig,
} from './config';
export { runService, type StartedService, type RunServiceOptions } from './service-runner';
export { loadTypeDefs, kitTypeDefFiles, withKitTypeDefs, KIT_TYPE_DEFS, type KitTypeDefs } from './type-defs';
export {
  requiredText,
  optionalText,
  optionalUrl,
  isoDate,
  formatIsoDate,
  ISO_COUNTRY,
  type TextRule,
} from './validation';
export { slugId } from './ids';
export {
  CLUSTERPOLISEE_ID,
  CLUSTERPOLISEE_PERIOD,
  PROJECT_PERIODS,
  dateInProjectPeriod,
  outsidePeriodMessage,
  WORKING_GROUP_CODE,
  workingGroupCode,
  optionalWorkingGroupCode,
  ORGANISATION_ID_MAX,
  organisationIdReference,
  type ProjectPeriod,
} from './domain';
export { countryCode, ISO_COUNTRY_CODES } from './countries';
export { flushNew, updateVersioned, loadForUpdate, staleVersion, insertMissing } from './writes';
export { updateInput, changedOnly, CANNOT_CLEAR } from './update-input';
export { setArchived, archiveMutation, archivedFilter } from './archiving';
export { listSort, type ListOrder, type SortDirection } from './sorting';
export {
  VERSION_CLAIMS_COLLECTION,
  CLAIM_LEASE_MS,
  CLAIM_ABANDONED_AFTER_MS,
  versionClaimId,
} from './version-claims';
export { HubRecord, HubRecordSchema } from './record';
export { isDuplicateKey, refusedByDatabase } from './database-answers';
export {
  withUniqueSeats,
  UNIQUE_SEATS_COLLECTION,
  SEAT_RETIREMENTS_COLLECTION,
  SEAT_LEASE_MS,
  SEAT_ABANDONED_AFTER_MS,
  type UniqueKey,
  type SeatedWrite,
} from './unique-seats';
export {
  findPage,
  encodeCursor,
  decodeCursor,
  Connection,
  type Page,
  type PageInfo,
  type PageOptions,
} from './pagination';
export { foldForSearch, searchKeys, searchFilter } from './search';
export { openDatabase, pingDatabase, type DatabaseOptions } from './database';
export { enforceAuthorization, type Policies, type PolicyRule } from './auth/authorization';
export { assertMayChange, isOwnRecord, type OwnedRecord } from './auth/ownership';
export { boundOrganisation, type Identity, type Role } from './auth/roles';
export { requestScopeOf, type RequestScope } from './request-scope';
export {
  assertNotStopped,
  signalOf,
  throwIfStopped,
  REQUEST_TIMEOUT,
  REQUEST_ABANDONED,
  type RequestBudget,
} from './deadline';
export {
  AuditEntry,
  AuditEntryConnection,
  recordChanges,
  findUnauditedChanges,
  reconcilePending,
  AUDIT_PENDING_COLLECTION,
  PENDING_ABANDONED_AFTER_MS,
  AUDIT_TYPE_DEFS_FILE,
  type AuditCheck,
  type AuditFinding,
  type AuditConfidentialityRule,
  type RecordedChange,
} from './audit';
