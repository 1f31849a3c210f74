// The registry's writes: publish, roll back, remove. Each composes the new supergraph from the
// newest version, then tries to store it as the next number; when another writer took that number
// first, it starts again from the version that writer stored, so no change is lost and no two
// versions share a number.
import type { CompositionProblem } from '../composition';
import { checkCandidate } from './check';
import { composeWithRegistered, type RegisteredSource } from './compose';
import { versionId, type RegistryActor, type RegistryStore, type SupergraphVersion } from './store';

/** Enough for every writer of a burst of simultaneous publishes to get its turn. */
const MAX_TRIES = 20;

export type RegistryWriteOutcome =
  | { ok: true; version: SupergraphVersion; warnings: CompositionProblem[] }
  | { ok: false; errors: CompositionProblem[] };

type Next = (
  latest: SupergraphVersion | null,
) => RegistryWriteOutcome | Omit<SupergraphVersion, '_id' | 'version' | 'author' | 'at'>;

async function write(store: RegistryStore, actor: RegistryActor, next: Next): Promise<RegistryWriteOutcome> {
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    const latest = await store.latest();
    const change = next(latest);
    if ('ok' in change) return change;
    const number = (latest?.version ?? 0) + 1;
    const version: SupergraphVersion = {
      _id: versionId(number),
      version: number,
      ...change,
      author: actor.subject,
      at: new Date(),
    };
    if (await store.insert(version, actor, latest)) return { ok: true, version, warnings: [] };
  }
  return refusal(
    'CONFLICT',
    `the registry changed ${MAX_TRIES} times while this change was composed: try again`,
  );
}

/** Checks `candidate` against the newest version and stores the composition as the next one. */
export async function publishSubgraph(
  store: RegistryStore,
  candidate: RegisteredSource,
  actor: RegistryActor,
  yamlPath?: string,
): Promise<RegistryWriteOutcome> {
  let warnings: CompositionProblem[] = [];
  const outcome = await write(store, actor, (latest) => {
    const checked = checkCandidate(candidate, latest?.subgraphs ?? [], yamlPath);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    warnings = checked.warnings;
    return {
      supergraphSdl: checked.supergraphSdl,
      subgraphs: checked.subgraphs,
      action: 'PUBLISH',
      subgraph: candidate.name,
    };
  });
  return outcome.ok ? { ...outcome, warnings } : outcome;
}

/**
 * Makes the registered subgraphs of `version` current again (0: none, the hub alone), as a new version (history is never
 * rewritten). Recomposed rather than copied: the hub's own subgraphs may have changed since.
 */
export async function rollbackTo(
  store: RegistryStore,
  target: number,
  actor: RegistryActor,
  yamlPath?: string,
): Promise<RegistryWriteOutcome> {
  // Version 0 is the hub before any publish: its own subgraphs alone.
  const old = target === 0 ? { subgraphs: [] } : await store.get(target);
  if (!old)
    return refusal(
      'NOT_FOUND',
      `there is no version ${target}: \`npm run subgraph -- history <name>\` shows them`,
    );
  return write(store, actor, () => {
    const outcome = composeWithRegistered(old.subgraphs, yamlPath);
    if (outcome.errors) return { ok: false, errors: outcome.errors };
    return {
      supergraphSdl: outcome.supergraphSdl,
      subgraphs: old.subgraphs,
      action: 'ROLLBACK',
      subgraph: null,
      restoredVersion: target,
    };
  });
}

/** Takes `name` out of the supergraph, as a new version. */
export async function removeSubgraph(
  store: RegistryStore,
  name: string,
  actor: RegistryActor,
  yamlPath?: string,
): Promise<RegistryWriteOutcome> {
  return write(store, actor, (latest) => {
    const current = latest?.subgraphs ?? [];
    if (!current.some((subgraph) => subgraph.name === name)) {
      return refusal('NOT_FOUND', `no subgraph "${name}" is registered`);
    }
    const rest = current.filter((subgraph) => subgraph.name !== name);
    const outcome = composeWithRegistered(rest, yamlPath);
    if (outcome.errors) return { ok: false, errors: outcome.errors };
    return { supergraphSdl: outcome.supergraphSdl, subgraphs: rest, action: 'REMOVE', subgraph: name };
  });
}

function refusal(code: string, message: string): RegistryWriteOutcome {
  return { ok: false, errors: [{ code, message, locations: [] }] };
}
