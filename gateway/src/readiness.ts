// The gateway's readiness: `/ready` asks every subgraph of the supergraph in service for its own
// `/ready`, and reports each one's state and the database's in `details`.
//
// Required subgraphs are those of the supergraph file the gateway was started with
// (SUPERGRAPH_PATH; by default the composition of schema/supergraph.yaml): the hub's own, without
// which most queries fail. While one of them is not ready, neither is the gateway. Subgraphs that
// only the schema registry adds (partners' registered subgraphs) are shown but never make the
// gateway unready: a partner's outage costs the fields it serves, the rest of the graph still
// works, and the gateway already answers with partial data then.
//
// The database: the subgraphs report their own connection in their `/ready`; the gateway's own
// (rate-limit counters, schema registry) is pinged when it has one. The gateway does not require
// its own: the rate limits fall back to counting in memory when the store fails.
import { readFileSync } from 'node:fs';
import { healthRoutes, type ReadinessCheck, type Route } from '@clusterpolisee/kit/http';
import { supergraphSubgraphs } from './drift-watch';

export interface ReadinessOptions {
  /** The supergraph file the gateway started with: its subgraphs are the required ones. */
  supergraphPath: string;
  /**
   * Whether a required subgraph that is down fails `/ready` (`GATEWAY_READY_REQUIRES_SUBGRAPHS`).
   * Default true. Either way every subgraph's state is in `details`.
   */
  requireSubgraphs?: boolean;
  /** The URL the gateway calls a subgraph at (its overrides applied); undefined when none. */
  route: (name: string, supergraphUrl: string) => string | undefined;
  /** Pings the gateway's own database, when it has one (rate limits, registry). */
  pingDatabase?: () => Promise<void>;
  /**
   * The longest the gateway waits for one subgraph's `/ready`. Default 1500 ms: above the 1000 ms
   * a subgraph gives its own database check, so that its answer says why it is not ready.
   */
  probeTimeoutMs?: number;
  /** The longest the gateway waits for its own database's ping. Default 1000 ms. */
  pingTimeoutMs?: number;
  /**
   * How long after its start one round of probes answers every `/ready` call, so that a burst of
   * probes costs the subgraphs one round. Default 250 ms: with the database check's 1000 ms, a
   * lost database shows within 1.3 s.
   */
  reuseMs?: number;
  /**
   * State of each subgraph kept elsewhere (e.g. its circuit breaker), by subgraph name: merged
   * into that subgraph's entry in `details.subgraphs`. Default: nothing more.
   */
  subgraphExtras?: () => Record<string, Record<string, unknown>>;
  /** More `details` for operators (the drift watch's), never deciding readiness. */
  details?: () => Record<string, unknown>;
}

/**
 * - `ready`: its `/ready` answered 200;
 * - `not ready`: it answered 503 (its `checks` say why: database, shutting down...);
 * - `unreachable`: no answer within the probe time, or no connection;
 * - `no readiness endpoint`: it answers HTTP but has no `/ready` (not built with the kit): it
 *   counts as up, since nothing better is known.
 */
export type SubgraphStatus = 'ready' | 'not ready' | 'unreachable' | 'no readiness endpoint';

export interface SubgraphReadiness {
  status: SubgraphStatus;
  required: boolean;
  url: string;
  /** The subgraph's own checks, as its `/ready` gave them. */
  checks?: Record<string, string>;
  error?: string;
  checkedAt: string;
  [extra: string]: unknown;
}

/** `up` when every reporter reached it, `down` when none did, `partly down` between. */
export interface DatabaseReadiness {
  status: 'up' | 'down' | 'partly down' | 'unknown';
  /** Each reporter's answer: `gateway` (its own store) and each subgraph by name. */
  seenBy: Record<string, string>;
}

export interface GatewayReadiness {
  /** Called with every supergraph the gateway loads: its subgraphs are the ones probed. */
  supergraphLoaded(coreSupergraphSdl: string): void;
  /** `/ready` answers 503 from now on (shutting down). */
  drain(): void;
  /** `/health` and `/ready`. */
  routes(): Record<string, Route>;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 1_500;
const DEFAULT_PING_TIMEOUT_MS = 1_000;
const DEFAULT_REUSE_MS = 250;

interface Round {
  at: number;
  subgraphs: Record<string, SubgraphReadiness>;
  database: DatabaseReadiness;
}

export function gatewayReadiness(options: ReadinessOptions): GatewayReadiness {
  const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  const reuseMs = options.reuseMs ?? DEFAULT_REUSE_MS;
  let schemaLoaded = false;
  let draining = false;
  let subgraphs: { name: string; url: string; required: boolean }[] = [];
  let last: Round | undefined;
  let running: Promise<Round> | undefined;

  const probeRound = async (): Promise<Round> => {
    const current = subgraphs;
    const at = Date.now();
    const [entries, own] = await Promise.all([
      Promise.all(current.map(async (subgraph) => [subgraph.name, await probe(subgraph)] as const)),
      options.pingDatabase ? settle(options.pingDatabase(), pingTimeoutMs) : undefined,
    ]);
    const states = Object.fromEntries(entries);
    return { at, subgraphs: states, database: databaseState(own, states) };
  };
  const probe = async (subgraph: {
    name: string;
    url: string;
    required: boolean;
  }): Promise<SubgraphReadiness> => {
    const readyUrl = new URL('ready', subgraph.url).toString();
    const base = { required: subgraph.required, url: readyUrl, checkedAt: new Date().toISOString() };
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(probeTimeoutMs) });
      if (response.status === 404) {
        await response.body?.cancel();
        return { ...base, status: 'no readiness endpoint' };
      }
      const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, string> };
      return {
        ...base,
        status: response.ok ? 'ready' : 'not ready',
        ...(body.checks && { checks: body.checks }),
      };
    } catch (error) {
      return { ...base, status: 'unreachable', error: describe(error, probeTimeoutMs) };
    }
  };
  const currentRound = (): Promise<Round> => {
    if (last && Date.now() - last.at < reuseMs) return Promise.resolve(last);
    running ??= probeRound()
      .then((round) => (last = round))
      .finally(() => (running = undefined));
    return running;
  };

  let shown: Round | undefined;
  const checks: Record<string, ReadinessCheck> = {
    supergraph: async () => {
      if (!schemaLoaded) throw new Error('no supergraph loaded');
    },
    subgraphs: async () => {
      shown = await currentRound();
      if (options.requireSubgraphs === false) return;
      const down = Object.entries(shown.subgraphs)
        .filter(
          ([, state]) => state.required && (state.status === 'not ready' || state.status === 'unreachable'),
        )
        .map(([name, state]) => `${name} ${state.status}`);
      if (down.length > 0) throw new Error(`required subgraphs down: ${down.join(', ')}`);
    },
  };
  const details = (): Record<string, unknown> => {
    const extras = options.subgraphExtras?.() ?? {};
    const states = shown?.subgraphs ?? {};
    return {
      subgraphs: Object.fromEntries(
        Object.entries(states).map(([name, state]) => [name, { ...state, ...extras[name] }]),
      ),
      database: shown?.database ?? { status: 'unknown', seenBy: {} },
      ...options.details?.(),
    };
  };

  return {
    supergraphLoaded(coreSupergraphSdl) {
      const required = requiredSubgraphs(options.supergraphPath);
      subgraphs = supergraphSubgraphs(coreSupergraphSdl).flatMap(({ name, url }) => {
        const routed = options.route(name, url);
        return routed ? [{ name, url: routed, required: required.has(name) }] : [];
      });
      last = undefined;
      schemaLoaded = true;
    },
    drain() {
      draining = true;
    },
    routes: () =>
      healthRoutes('gateway', checks, details, {
        // Above the probes' own limit, so that a slow subgraph is reported as such rather than
        // cut short with the whole check.
        checkTimeoutMs: probeTimeoutMs + 500,
        draining: () => draining,
      }),
  };
}

/** The subgraph names of the supergraph file; none when it cannot be read (it is reported elsewhere). */
export function requiredSubgraphs(supergraphPath: string): Set<string> {
  try {
    return new Set(supergraphSubgraphs(readFileSync(supergraphPath, 'utf8')).map(({ name }) => name));
  } catch {
    return new Set();
  }
}

function databaseState(
  own: string | undefined,
  states: Record<string, SubgraphReadiness>,
): DatabaseReadiness {
  const seenBy: Record<string, string> = {};
  if (own !== undefined) seenBy.gateway = own;
  for (const [name, state] of Object.entries(states)) {
    const answer = state.checks?.database;
    if (answer !== undefined) seenBy[name] = answer;
  }
  const answers = Object.values(seenBy);
  const up = answers.filter((answer) => answer === 'ok').length;
  const status =
    answers.length === 0 ? 'unknown' : up === answers.length ? 'up' : up === 0 ? 'down' : 'partly down';
  return { status, seenBy };
}

async function settle(work: Promise<void>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => 'ok'), late]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
