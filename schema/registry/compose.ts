// The supergraph of the hub's own subgraphs (schema/supergraph.yaml, composed from their SDL files
// as `npm run compose` does) plus the registered ones, through the same composeSupergraph code,
// so a registered subgraph is held to exactly the rules the hub's own are.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  readSupergraphConfig,
  composeSubgraphs,
  type CompositionOutcome,
  type CompositionProblem,
} from '../composition';
import { displayPath, SUPERGRAPH_YAML, type SubgraphEntry } from '../subgraphs';
import type { RegisteredSubgraph } from './store';

export interface RegisteredSource extends RegisteredSubgraph {
  /** Where the SDL came from, as errors should name it: the `--sdl` file, or `<url> (_service.sdl)`. */
  origin?: string;
}

/** The names of the hub's own subgraphs: a partner cannot register over one of them. */
export function ownSubgraphNames(yamlPath: string = SUPERGRAPH_YAML): string[] {
  const config = readSupergraphConfig(yamlPath);
  return 'errors' in config ? [] : config.subgraphs.map((s) => s.name);
}

/**
 * Composes the hub's subgraphs with `registered`. The composer locates problems through the files
 * it parsed, so each registered SDL is written to a private temporary file for the duration, and
 * every location and message naming that file is given back the SDL's origin.
 */
export function composeWithRegistered(
  registered: RegisteredSource[],
  yamlPath: string = SUPERGRAPH_YAML,
): CompositionOutcome {
  const config = readSupergraphConfig(yamlPath);
  if ('errors' in config) return { errors: config.errors };
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-registry-'));
  try {
    const origins = new Map<string, string>();
    const entries: SubgraphEntry[] = registered.map((subgraph) => {
      const schemaFile = path.join(dir, `${subgraph.name}.graphql`);
      writeFileSync(schemaFile, subgraph.sdl);
      origins.set(displayPath(schemaFile), subgraph.origin ?? `${subgraph.name} (registered SDL)`);
      return { name: subgraph.name, routingUrl: subgraph.url, schemaFile };
    });
    const outcome = composeSubgraphs([...config.subgraphs, ...entries]);
    if (!outcome.errors) return outcome;
    return { errors: outcome.errors.map((problem) => renamed(problem, origins)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function renamed(problem: CompositionProblem, origins: Map<string, string>): CompositionProblem {
  let message = problem.message;
  for (const [file, origin] of origins) message = message.split(file).join(origin);
  return {
    ...problem,
    message,
    locations: problem.locations.map((at) => ({ ...at, file: origins.get(at.file) ?? at.file })),
  };
}
