// A circuit breaker per subgraph (opossum) around its fetcher. Without it a subgraph that hangs
// costs every request that needs it the whole timeout, and a dead one is called as hard as a live
// one while it tries to recover. With it, once too many of a subgraph's recent calls failed, its
// calls are refused at once with SUBGRAPH_UNAVAILABLE for a cool-down (the rest of each answer is
// unaffected); then one call goes through (half-open): its success closes the breaker, its
// failure opens it for another cool-down.
import { createLogger, type Logger } from '@clusterpolisee/kit/telemetry';
import { GraphQLError } from 'graphql';
import CircuitBreaker from 'opossum';
import type { SubgraphBreakerSettings } from './config';
import type { SubgraphFetcher } from './fetcher';

/** When one subgraph's breaker opens and how long it stays open (documented in config/types.ts). */
type BreakerSettings = SubgraphBreakerSettings;

/** The variables that set a subgraph's settings, named in messages (its own `..._<NAME>` or the shared one). */
export type BreakerVariables = Record<keyof BreakerSettings, string>;

export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** One subgraph's breaker as `/ready` shows it. */
export interface BreakerState {
  state: BreakerStateName;
  /** When it entered this state (ISO time). */
  since: string;
  /** While open: when the next trial call will be let through (ISO time). */
  retryAt?: string;
  /** Calls made in the current window (refused ones not counted), and how many of them failed. */
  calls: number;
  failures: number;
  /** Calls refused without being made, in the current window. */
  refused: number;
  settings: BreakerSettings;
}

export interface SubgraphBreakersOptions {
  /**
   * The gateway's logger, where each state change is one line with `event: "subgraph_breaker"`
   * (opening at level warn, half-open and closed at info); default a logger of its own at info.
   */
  log?: Pick<Logger, 'info' | 'warn'>;
  /** The clock, for messages and `/ready` only (opossum keeps its own timers). */
  now?: () => number;
}

/** Raised inside the breaker for an HTTP 5xx answer, so that it counts; the caller still gets the answer. */
class FailedAnswer extends Error {
  constructor(readonly response: Awaited<ReturnType<SubgraphFetcher>>) {
    super(`HTTP ${response.status}`);
  }
}

/** A failure that is not the subgraph's (see notTheSubgraphsFault): the breaker counts none. */
class Excused extends Error {
  constructor(override readonly cause: unknown) {
    super("not the subgraph's fault");
  }
}

interface Entry {
  fetch: SubgraphFetcher;
  breaker: CircuitBreaker<Parameters<SubgraphFetcher>, Awaited<ReturnType<SubgraphFetcher>>>;
  settings: BreakerSettings;
  variables: BreakerVariables;
  state: BreakerStateName;
  since: number;
}

/**
 * The breakers of one gateway, one per subgraph, created as the gateway builds each subgraph's
 * data source (`wrap`) and kept across supergraph reloads, so that a reload does not forget that a
 * subgraph is down. `states()` is for `/ready`; `close()` stops their timers.
 */
export class SubgraphBreakers {
  private readonly entries = new Map<string, Entry>();
  private readonly log: Pick<Logger, 'info' | 'warn'>;
  private readonly now: () => number;

  constructor(options: SubgraphBreakersOptions = {}) {
    this.log = options.log ?? createLogger({ service: 'gateway' });
    this.now = options.now ?? Date.now;
  }

  /**
   * `fetcher` behind the breaker of `subgraph` (or itself while breakers are off). Called again
   * for the same subgraph (the supergraph was reloaded), it keeps the breaker and its record and
   * calls the new fetcher.
   */
  wrap(
    subgraph: string,
    breaker: { enabled: boolean; settings: BreakerSettings; variables: BreakerVariables },
    fetcher: SubgraphFetcher,
  ): SubgraphFetcher {
    if (!breaker.enabled) return fetcher;
    const entry = this.entries.get(subgraph) ?? this.create(subgraph, breaker.settings, breaker.variables);
    entry.fetch = fetcher;
    return async (url, init) => {
      try {
        return await entry.breaker.fire(url, init);
      } catch (error) {
        if (error instanceof FailedAnswer) return error.response;
        if (error instanceof Excused) throw error.cause;
        if ((error as { code?: unknown }).code === 'EOPENBREAKER') throw this.refusal(subgraph, entry);
        throw error;
      }
    };
  }

  /** Each subgraph's breaker, by subgraph name. */
  states(): Record<string, BreakerState> {
    const states: Record<string, BreakerState> = {};
    for (const [subgraph, entry] of this.entries) {
      const stats = entry.breaker.stats;
      states[subgraph] = {
        state: entry.state,
        since: new Date(entry.since).toISOString(),
        ...(entry.state === 'open' && {
          retryAt: new Date(entry.since + entry.settings.cooldownMs).toISOString(),
        }),
        calls: stats.fires - stats.rejects,
        failures: stats.failures,
        refused: stats.rejects,
        settings: entry.settings,
      };
    }
    return states;
  }

  /** `{ <subgraph>: { breaker: state } }`, merged into each subgraph's entry of `/ready`'s details. */
  readinessExtras(): Record<string, { breaker: BreakerState }> {
    return Object.fromEntries(
      Object.entries(this.states()).map(([name, state]) => [name, { breaker: state }]),
    );
  }

  /** Stops every breaker's timers. */
  close(): void {
    for (const entry of this.entries.values()) entry.breaker.shutdown();
    this.entries.clear();
  }

  private create(subgraph: string, settings: BreakerSettings, variables: BreakerVariables): Entry {
    const entry = { settings, variables, state: 'closed', since: this.now() } as Entry;
    entry.breaker = new CircuitBreaker<Parameters<SubgraphFetcher>, Awaited<ReturnType<SubgraphFetcher>>>(
      async (url, init) => {
        let response;
        try {
          response = await entry.fetch(url, init);
        } catch (error) {
          throw notTheSubgraphsFault(error, init) ? new Excused(error) : error;
        }
        if (response.status >= 500) throw new FailedAnswer(response);
        return response;
      },
      {
        name: subgraph,
        // The fetcher enforces the subgraph's own timeout and raises SUBGRAPH_TIMEOUT; a second
        // timer here would only race it.
        timeout: false,
        errorThresholdPercentage: settings.errorPercent,
        volumeThreshold: settings.volume,
        rollingCountTimeout: settings.windowMs,
        rollingCountBuckets: 10,
        resetTimeout: settings.cooldownMs,
        rollingPercentilesEnabled: false,
        enableSnapshots: false,
        errorFilter: (error: unknown) => error instanceof Excused,
      },
    );
    const change = (state: BreakerStateName) => {
      entry.state = state;
      entry.since = this.now();
      const stats = entry.breaker.stats;
      const fields = {
        event: 'subgraph_breaker',
        subgraph,
        state,
        calls: stats.fires - stats.rejects,
        failures: stats.failures,
        ...(state === 'open' && {
          retryAt: new Date(entry.since + settings.cooldownMs).toISOString(),
        }),
      };
      const line = `circuit breaker of subgraph "${subgraph}": ${state}`;
      if (state === 'open') this.log.warn(fields, line);
      else this.log.info(fields, line);
    };
    entry.breaker.on('open', () => change('open'));
    entry.breaker.on('halfOpen', () => change('half-open'));
    entry.breaker.on('close', () => change('closed'));
    this.entries.set(subgraph, entry);
    return entry;
  }

  private refusal(subgraph: string, entry: Entry): GraphQLError {
    const { settings, variables } = entry;
    const retryAt = entry.since + settings.cooldownMs;
    const when =
      entry.state === 'open'
        ? `it will be tried again at ${new Date(retryAt).toISOString()} (in ${Math.max(0, Math.ceil((retryAt - this.now()) / 1000))} s)`
        : 'one trial call is under way to see whether it is back';
    const refusal = new GraphQLError(
      `Subgraph "${subgraph}" is unavailable: more than ${settings.errorPercent}% of its recent calls failed ` +
        `(${variables.errorPercent}), so the gateway stopped calling it for ${settings.cooldownMs} ms ` +
        `(${variables.cooldownMs}); ${when}. Retry after that; the rest of the answer is unaffected.`,
      { extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph } },
    );
    // Every refused call is logged (plugins/mask-subgraph-errors.ts) and its stack, always this
    // one, would be most of each line while the breaker refuses every request.
    refusal.stack = `${refusal.name}: ${refusal.message}`;
    return refusal;
  }
}

/**
 * Failures that say nothing about the subgraph's health: a caller that went away, an answer too
 * large for this operation (another operation gets a normal one).
 */
function notTheSubgraphsFault(error: unknown, init: { signal?: unknown | null } | undefined): boolean {
  if (init?.signal instanceof AbortSignal && init.signal.aborted) return true;
  return (error as { extensions?: { code?: unknown } }).extensions?.code === 'SUBGRAPH_RESPONSE_TOO_LARGE';
}
