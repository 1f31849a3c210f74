import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/mongodb';
import { defaultDatabaseName, openDatabase, type Subgraph } from '@clusterpolisee/kit';
import { readSubgraphs, SUPERGRAPH_YAML, type SubgraphEntry } from '../../schema/subgraphs';

/**
 * Inserts what is missing by stable ids (kit `insertMissing`), so running it twice changes
 * nothing and users' edits survive. Returns the records written.
 */
export type SeedFunction = (em: EntityManager, options: SeedScale) => Promise<number>;

/** A subgraph of supergraph.yaml that this repository runs, loaded, with its seed when it has one. */
export interface LocalSubgraph {
  entry: SubgraphEntry;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  subgraph: Subgraph<any>;
  seed?: SeedFunction;
}

/**
 * Loads the local subgraphs of supergraph.yaml in its order (those running elsewhere have nothing
 * to load), each from `src/index.ts` of its folder, which exports the kit subgraph of the entry's
 * name. A subgraph's seed, when it has one, is `seed<Name>` exported by infra/seed/<name>.ts
 * (`partners` -> `seedPartners`), beside the facts it draws on.
 */
export async function loadLocalSubgraphs(
  options: { yamlPath?: string; only?: string[] } = {},
): Promise<LocalSubgraph[]> {
  const entries = readSubgraphs(options.yamlPath ?? SUPERGRAPH_YAML).filter(
    (entry) => entry.local && (!options.only || options.only.includes(entry.name)),
  );
  return Promise.all(
    entries.map(async (entry) => {
      const subgraph = findSubgraph(entry, (await import(entry.local!.entry)) as Record<string, unknown>);
      const seedFile = path.join(__dirname, `${entry.name}.ts`);
      if (!existsSync(seedFile)) return { entry, subgraph };
      const name = seedFunctionName(entry.name);
      const seed = ((await import(seedFile)) as Record<string, unknown>)[name];
      if (typeof seed !== 'function') {
        throw new Error(`${path.relative(process.cwd(), seedFile)} exports no ${name}(em, { scale })`);
      }
      return { entry, subgraph, seed: seed as SeedFunction };
    }),
  );
}

/** `partner-data` -> `seedPartnerData`. */
function seedFunctionName(subgraph: string): string {
  return (
    'seed' + subgraph.replace(/(^|[-_])([a-z0-9])/g, (_match, _dash, letter: string) => letter.toUpperCase())
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function findSubgraph(entry: SubgraphEntry, exports: Record<string, unknown>): Subgraph<any> {
  const found = Object.values(exports).find(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === entry.name &&
      typeof (value as { start?: unknown }).start === 'function',
  );
  if (!found) {
    throw new Error(
      `${path.relative(process.cwd(), entry.local!.entry)} exports no subgraph named "${entry.name}": ` +
        `export the result of createSubgraph({ name: '${entry.name}', ... }) there`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return found as Subgraph<any>;
}

export interface SeedScale {
  /** 1 is the real project; N multiplies partners, claims and content with synthetic records. */
  scale: number;
}

export interface SeedOptions {
  mongoUri: string;
  scale?: number;
  /** Only seed databases that hold no documents yet (what `npm start` does), so edits survive restarts. */
  onlyIfEmpty?: boolean;
  /** Restrict to some subgraphs, e.g. when a partner runs one alone. */
  subgraphs?: string[];
  /** The list of subgraphs; default schema/supergraph.yaml. */
  yamlPath?: string;
  log?: (line: string) => void;
}

export async function seedHub(options: SeedOptions): Promise<void> {
  const log = options.log ?? console.log;
  const local = await loadLocalSubgraphs({ yamlPath: options.yamlPath, only: options.subgraphs });
  for (const { subgraph, seed } of local) {
    if (!seed) continue;
    const orm = await openDatabase({
      mongoUri: options.mongoUri,
      databaseName: defaultDatabaseName(subgraph.name),
      entities: subgraph.entities,
    });
    try {
      const em = orm.em.fork();
      if (options.onlyIfEmpty && !(await isEmpty(em))) continue;
      const started = Date.now();
      const written = await seed(em, { scale: options.scale ?? 1 });
      log(
        `[seed] ${subgraph.name}: ${written} records upserted in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await orm.close(true);
    }
  }
}

async function isEmpty(em: EntityManager): Promise<boolean> {
  const collections = await em.getConnection().getDb().listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    if ((await em.getConnection().getDb().collection(name).estimatedDocumentCount()) > 0) return false;
  }
  return true;
}
