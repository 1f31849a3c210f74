// What the registry holds, as people read it: the current registrations and each subgraph's story.
import type { RegisteredSubgraph, RegistryStore, SupergraphVersion } from './store';

export interface SubgraphHistoryEntry {
  version: number;
  action: SupergraphVersion['action'];
  author: string;
  at: Date;
  /** The subgraph's URL from this version on; null when the version took it out. */
  url: string | null;
  restoredVersion?: number;
}

export async function currentSubgraphs(
  store: RegistryStore,
): Promise<{ version: number; subgraphs: RegisteredSubgraph[] }> {
  const latest = await store.latest();
  return { version: latest?.version ?? 0, subgraphs: latest?.subgraphs ?? [] };
}

/** Every version that changed `name`'s registration (published, removed, or rolled back over it). */
export async function subgraphHistory(store: RegistryStore, name: string): Promise<SubgraphHistoryEntry[]> {
  const entries: SubgraphHistoryEntry[] = [];
  let previous: RegisteredSubgraph | undefined;
  for (const version of await store.all()) {
    const now = version.subgraphs.find((subgraph) => subgraph.name === name);
    const touched = version.subgraph === name || now?.sdl !== previous?.sdl || now?.url !== previous?.url;
    if (touched) {
      entries.push({
        version: version.version,
        action: version.action,
        author: version.author,
        at: version.at,
        url: now?.url ?? null,
        ...(version.restoredVersion !== undefined && { restoredVersion: version.restoredVersion }),
      });
    }
    previous = now;
  }
  return entries;
}

export function describeVersion(
  version: Pick<SupergraphVersion, 'action' | 'subgraph' | 'restoredVersion'>,
): string {
  if (version.action === 'ROLLBACK') return `rollback to version ${version.restoredVersion}`;
  return `${version.action === 'PUBLISH' ? 'publish' : 'remove'} ${version.subgraph}`;
}
