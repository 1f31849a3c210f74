// The schema registry: store (MongoDB), compose, check, the writes, history. Its two callers are
// the CLI (cli.ts, `npm run subgraph`) and the gateway (loads the newest supergraph, serves the
// check and publish endpoints).
export {
  RegistryStore,
  REGISTRY_DATABASE,
  AUDIT_COLLECTION,
  VERSIONS_COLLECTION,
  versionId,
  type RegisteredSubgraph,
  type RegistryActor,
  type RegistryAuditEntry,
  type SupergraphVersion,
} from './store';
export { composeWithRegistered, ownSubgraphNames, type RegisteredSource } from './compose';
export { checkCandidate, formatProblems, type CheckOutcome } from './check';
export { publishSubgraph, rollbackTo, removeSubgraph, type RegistryWriteOutcome } from './operations';
export { currentSubgraphs, subgraphHistory, describeVersion, type SubgraphHistoryEntry } from './history';
export { fetchServiceSdl } from './service-sdl';
export { registryMongoUri, HUB_MONGODB_URI_FILE } from './database';
export { PUBLISH_SCHEMA_SCOPE } from './scope';
