// `@clusterpolisee/kit/env`: the one way the hub's services read their environment, shared by the
// subgraphs and the gateway so that a value means the same to both.
export { ConfigError } from './config-error';
export {
  EnvReader,
  readEnv,
  wholeNumber,
  isUrl,
  type Env,
  type IntegerRule,
  type UrlRule,
  type PrefixedSetting,
} from './reader';
