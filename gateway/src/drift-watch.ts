// Drift watch: every subgraph of the supergraph in service should serve the SDL it was composed
// from. One that does not (a partner deployed without publishing, or rolled back its service but
// not its schema) breaks the query plans that use what changed, so the gateway compares them when a
// supergraph loads and every `intervalMs`, logs each change of state and shows the state in /ready.
// Drift is a warning: the gateway stays ready, since the rest of the supergraph still works.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IdentitySigningKey } from '@clusterpolisee/kit/auth';
import { Kind, parse, type ConstValueNode } from 'graphql';
import { checkDrift, describeDrift, type DriftState } from '../../schema/registry/drift';
import type { RegistryStore } from '../../schema/registry/store';
import { readSubgraphs, SUPERGRAPH_YAML } from '../../schema/subgraphs';
import type { SupergraphLogger } from './supergraph';

/** Where each subgraph's published SDL is: its name -> SDL. */
export type PublishedSdls = () => Promise<Map<string, string>>;

export interface DriftWatchOptions {
  intervalMs: number;
  identityKey: IdentitySigningKey;
  /** The URL the gateway calls a subgraph at (its overrides applied) and the timeout of a call. */
  route: (name: string, supergraphUrl: string) => { url: string | undefined; timeoutMs: number };
  published: PublishedSdls;
  /** The gateway's logger. */
  logger: SupergraphLogger;
}

/** A subgraph the watch cannot judge: no published SDL is known for it. */
export interface UnknownDriftState {
  name: string;
  url: string;
  status: 'unknown';
  error: string;
  checkedAt: string;
}

export interface DriftWatch {
  /** Called with every supergraph the gateway loads: its subgraphs are checked at once. */
  supergraphLoaded(coreSupergraphSdl: string): void;
  /** The last state of each subgraph, by name, for /ready. */
  states(): Record<string, DriftState | UnknownDriftState>;
  close(): void;
}

export function startDriftWatch(options: DriftWatchOptions): DriftWatch {
  const { logger } = options;
  let subgraphs: { name: string; url: string; timeoutMs: number }[] = [];
  const states = new Map<string, DriftState | UnknownDriftState>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const record = (state: DriftState | UnknownDriftState): void => {
    const before = states.get(state.name);
    states.set(state.name, state);
    if (before?.status === state.status && sameDifferences(before, state)) return;
    // In line from the start says nothing new; every other change of state is worth a line.
    if (state.status === 'in-line' && !before) return;
    const line = `drift watch: subgraph "${state.name}" at ${state.url} is ${
      state.status === 'unknown' ? `not checked (${state.error})` : describeDrift(state)
    }${state.status === 'in-line' ? ' again' : ''}`;
    const fields = { event: 'subgraph_drift', subgraph: state.name, status: state.status };
    if (state.status === 'in-line' || state.status === 'unknown') logger.info(fields, line);
    else logger.warn(fields, line);
  };

  const checkAll = async (): Promise<void> => {
    let published: Map<string, string>;
    try {
      published = await options.published();
    } catch (error) {
      logger.warn(`drift watch: the published SDL cannot be read (${(error as Error).message}).`);
      return;
    }
    const current = subgraphs;
    await Promise.all(
      current.map(async ({ name, url, timeoutMs }) => {
        const publishedSdl = published.get(name);
        const state = publishedSdl
          ? await checkDrift({ name, url, publishedSdl }, { identityKey: options.identityKey, timeoutMs })
          : ({
              name,
              url,
              status: 'unknown',
              error: 'no published SDL is known for it',
              checkedAt: new Date().toISOString(),
            } as const);
        if (!stopped && subgraphs === current) record(state);
      }),
    );
  };

  // One check at a time; a load during a check asks for one more right after it.
  const check = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = checkAll()
      .catch((error: unknown) =>
        logger.warn({ err: error }, `drift watch failed: ${(error as Error).message}`),
      )
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          check();
        } else schedule();
      });
  };
  const schedule = (): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, options.intervalMs);
    timer.unref();
  };

  return {
    supergraphLoaded(coreSupergraphSdl) {
      subgraphs = supergraphSubgraphs(coreSupergraphSdl).flatMap(({ name, url }) => {
        const route = options.route(name, url);
        return route.url ? [{ name, url: route.url, timeoutMs: route.timeoutMs }] : [];
      });
      for (const name of [...states.keys()]) {
        if (!subgraphs.some((subgraph) => subgraph.name === name)) states.delete(name);
      }
      check();
    },
    states: () => Object.fromEntries(states),
    close() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The supergraph `npm run compose` writes from SUPERGRAPH_YAML, and the base of every registry version. */
const COMMITTED_SUPERGRAPH = path.join(path.dirname(SUPERGRAPH_YAML), 'supergraph.graphql');

/**
 * The published SDL of every subgraph: registered partners' from the registry's newest version;
 * the hub's own from supergraph.yaml's files (their SDL with the kit's included files, as the kit
 * serves them), read at every check. Those files are the sources of the committed supergraph and of
 * every registry version only: a gateway serving another supergraph file (tests, a hand-composed
 * one) would see false drift from them, so its subgraphs not in the registry stay unknown.
 */
export function publishedSdls(options: { store?: RegistryStore; supergraphPath: string }): PublishedSdls {
  const fromHubFiles =
    options.store !== undefined || path.resolve(options.supergraphPath) === COMMITTED_SUPERGRAPH;
  return async () => {
    const sdls = new Map<string, string>();
    for (const entry of fromHubFiles ? readSubgraphs(SUPERGRAPH_YAML) : []) {
      const files = [entry.schemaFile, ...(entry.includeFiles ?? [])];
      sdls.set(entry.name, files.map((file) => readFileSync(file, 'utf8')).join('\n'));
    }
    const latest = await options.store?.latest();
    for (const subgraph of latest?.subgraphs ?? []) sdls.set(subgraph.name, subgraph.sdl);
    return sdls;
  };
}

/** The subgraphs a supergraph names in its `join__Graph` enum: `@join__graph(name:, url:)`. */
export function supergraphSubgraphs(coreSupergraphSdl: string): { name: string; url: string }[] {
  const found: { name: string; url: string }[] = [];
  for (const definition of parse(coreSupergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const argument = (key: string): string | undefined => {
        const node: ConstValueNode | undefined = graph?.arguments?.find(
          (arg) => arg.name.value === key,
        )?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      const name = argument('name');
      if (name) found.push({ name, url: argument('url') ?? '' });
    }
  }
  return found;
}

function sameDifferences(a: DriftState | UnknownDriftState, b: DriftState | UnknownDriftState): boolean {
  const left = 'differences' in a ? (a.differences ?? []) : [];
  const right = 'differences' in b ? (b.differences ?? []) : [];
  return left.join('\n') === right.join('\n');
}
