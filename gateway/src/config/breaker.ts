// The subgraph circuit breaker's settings: shared ones (`SUBGRAPH_BREAKER_*`), a subgraph's own
// (`SUBGRAPH_BREAKER_<SETTING>_<NAME>`), and the lookup of a subgraph's settings by its name.
import type { EnvReader } from '@clusterpolisee/kit/env';
import { GATEWAY_DEFAULTS } from './defaults';
import { subgraphEnvKey } from './subgraph-overrides';
import type { GatewayConfig, SubgraphBreakerConfig, SubgraphBreakerSettings } from './types';

type Setting = keyof SubgraphBreakerSettings;

/** Each setting's shared variable and range; the per-subgraph variable is the shared one + `_<NAME>`. */
const SETTINGS: Record<
  Setting,
  { variable: string; min: number; max: number; what: string; perSubgraph: boolean }
> = {
  errorPercent: {
    variable: 'SUBGRAPH_BREAKER_ERROR_PERCENT',
    min: 1,
    max: 99,
    what: 'a whole percentage from 1 to 99 of failed calls above which the breaker opens',
    perSubgraph: true,
  },
  volume: {
    variable: 'SUBGRAPH_BREAKER_VOLUME',
    min: 1,
    max: 100_000,
    what: 'a whole number of calls, at least 1, before failures can open the breaker',
    perSubgraph: true,
  },
  windowMs: {
    variable: 'SUBGRAPH_BREAKER_WINDOW_MS',
    min: 1_000,
    max: 3_600_000,
    what: 'a number of milliseconds from 1000 to 3600000 over which calls are counted',
    perSubgraph: false,
  },
  cooldownMs: {
    variable: 'SUBGRAPH_BREAKER_COOLDOWN_MS',
    min: 100,
    max: 3_600_000,
    what: 'a number of milliseconds from 100 to 3600000 an open breaker waits before a trial call',
    perSubgraph: true,
  },
};

export type SubgraphBreakerSettingsConfig = Pick<GatewayConfig, 'subgraphBreaker' | 'subgraphBreakerByName'>;

/** `SUBGRAPH_BREAKER`, the shared `SUBGRAPH_BREAKER_*` and every `SUBGRAPH_BREAKER_<SETTING>_<NAME>` set. */
export function readSubgraphBreaker(reader: EnvReader): SubgraphBreakerSettingsConfig {
  const defaults = GATEWAY_DEFAULTS.subgraphBreaker;
  const enabled = reader.onOff(
    'SUBGRAPH_BREAKER',
    defaults.enabled,
    'the circuit breaker in front of each subgraph',
  );
  const shared = { enabled } as SubgraphBreakerConfig;
  const byName: Record<string, Partial<SubgraphBreakerSettings>> = {};
  for (const [setting, rule] of Object.entries(SETTINGS) as [Setting, (typeof SETTINGS)[Setting]][]) {
    shared[setting] = reader.integer(rule.variable, {
      fallback: defaults[setting],
      min: rule.min,
      max: rule.max,
      what: rule.what,
    });
    if (!rule.perSubgraph) continue;
    for (const { variable, name } of reader.prefixed(`${rule.variable}_`, `${rule.variable}_PARTNERS`)) {
      (byName[name] ??= {})[setting] = reader.integer(variable, {
        fallback: shared[setting],
        min: rule.min,
        max: rule.max,
        what: `${rule.what} for that subgraph, or unset it to use ${rule.variable}`,
      });
    }
  }
  return { subgraphBreaker: shared, subgraphBreakerByName: byName };
}

/** A subgraph's breaker settings, and the variable that set each (named in its refusals). */
export function subgraphBreakerFor(
  config: SubgraphBreakerSettingsConfig,
  subgraph: string,
): { enabled: boolean; settings: SubgraphBreakerSettings; variables: Record<Setting, string> } {
  const key = subgraphEnvKey(subgraph);
  const own =
    Object.entries(config.subgraphBreakerByName).find(([name]) => subgraphEnvKey(name) === key)?.[1] ?? {};
  const settings = {} as SubgraphBreakerSettings;
  const variables = {} as Record<Setting, string>;
  for (const [setting, rule] of Object.entries(SETTINGS) as [Setting, (typeof SETTINGS)[Setting]][]) {
    const value = own[setting];
    settings[setting] = value ?? config.subgraphBreaker[setting];
    variables[setting] = value === undefined ? rule.variable : `${rule.variable}_${key}`;
  }
  return { enabled: config.subgraphBreaker.enabled, settings, variables };
}
