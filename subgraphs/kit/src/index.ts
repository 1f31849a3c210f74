export {
  createSubgraph,
  type Subgraph,
  type SubgraphDefinition,
  type RunningSubgraph,
  type StartOptions,
} from './create-subgraph';
export { type SubgraphContext, type LoadersFactory } from './context';
export { loaderByKey, loaderGroupedBy } from './loaders';
export { badUserInput, notFound, conflict } from './errors';
export { parseSubgraphConfig, defaultDatabaseName, ConfigError, type SubgraphConfig } from './config';
export { loadTypeDefs } from './type-defs';
export { requiredText, optionalText, isoDate, formatIsoDate, ISO_COUNTRY, type TextRule } from './validation';
export { slugId } from './ids';
export { flushNew } from './writes';
export { openDatabase, pingDatabase, type DatabaseOptions } from './database';
