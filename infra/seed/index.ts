import type { EntityManager } from '@mikro-orm/mongodb';
import { defaultDatabaseName, openDatabase, type Subgraph } from '@clusterpolisee/kit';
import { communications } from '@clusterpolisee/communications';
import { knowledge } from '@clusterpolisee/knowledge';
import { partners } from '@clusterpolisee/partners';
import { projects } from '@clusterpolisee/projects';
import { seedCommunications } from './communications';
import { seedKnowledge } from './knowledge';
import { seedPartners } from './partners';
import { seedProjects } from './projects';

export interface Seeder {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  subgraph: Subgraph<any>;
  /**
   * Inserts what is missing by stable ids (kit `insertMissing`), so running it twice changes
   * nothing and users' edits survive. Returns the records written.
   */
  seed(em: EntityManager, options: SeedScale): Promise<number>;
}

export const SEEDERS: Seeder[] = [
  { subgraph: partners, seed: seedPartners },
  { subgraph: knowledge, seed: seedKnowledge },
  { subgraph: projects, seed: seedProjects },
  { subgraph: communications, seed: seedCommunications },
];

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
  log?: (line: string) => void;
}

export async function seedHub(options: SeedOptions): Promise<void> {
  const log = options.log ?? console.log;
  for (const { subgraph, seed } of SEEDERS) {
    if (options.subgraphs && !options.subgraphs.includes(subgraph.name)) continue;
    const orm = await openDatabase({
      mongoUri: options.mongoUri,
      databaseName: defaultDatabaseName(subgraph.name),
      entities: subgraph.entities,
    });
    try {
      const em = orm.em.fork();
      if (options.onlyIfEmpty && !(await isEmpty(em))) continue;
      const written = await seed(em, { scale: options.scale ?? 1 });
      log(`[seed] ${subgraph.name}: ${written} records upserted`);
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
