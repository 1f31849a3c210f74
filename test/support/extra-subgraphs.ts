import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readSubgraphs, SUPERGRAPH_YAML } from '../../schema/subgraphs';

const ROOT = join(__dirname, '../..');

/** What `writeExtendedSupergraph` made. */
export interface ExtendedSupergraph {
  yamlPath: string;
  /** The folder of the added local subgraph `fifth`. */
  fifthDir: string;
}

/**
 * A copy of schema/supergraph.yaml in `dir` with two more entries, as someone adding subgraphs
 * writes them, and nothing else changed anywhere:
 * - `fifth`: a local subgraph, its folder (SDL and src/index.ts on the kit) made here in `dir`;
 * - `elsewhere`: a subgraph that runs elsewhere, a routing URL and a copy of its SDL, no folder.
 */
export function writeExtendedSupergraph(
  dir: string,
  routing: { fifth: string; elsewhere: string },
): ExtendedSupergraph {
  const hub = readSubgraphs(SUPERGRAPH_YAML);
  // The kit's shared SDL that every subgraph serves: what the hub's subgraphs all include.
  const include = hub
    .map((entry) => entry.includeFiles ?? [])
    .reduce((common, files) => common.filter((file) => files.includes(file)));

  const fifthDir = join(dir, 'fifth');
  mkdirSync(join(fifthDir, 'src'), { recursive: true });
  writeFileSync(
    join(fifthDir, 'schema.graphql'),
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])\n\n' +
      'type Query {\n  "A greeting from the fifth subgraph."\n  fifthGreeting: String!\n}\n',
  );
  writeFileSync(
    join(fifthDir, 'src/index.ts'),
    `import { join } from 'node:path';\n` +
      `import { createSubgraph, loadTypeDefs } from ${JSON.stringify(join(ROOT, 'subgraphs/kit/src'))};\n\n` +
      `export const fifth = createSubgraph({\n` +
      `  name: 'fifth',\n` +
      `  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),\n` +
      `  resolvers: { Query: { fifthGreeting: () => 'hello from the fifth subgraph' } },\n` +
      `  entities: [],\n` +
      `  loaders: () => ({}),\n` +
      `});\n`,
  );

  const elsewhereSdl = join(dir, 'remote', 'elsewhere.graphql');
  mkdirSync(join(dir, 'remote'), { recursive: true });
  writeFileSync(
    elsewhereSdl,
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n\n' +
      'type Query {\n  "Served by a partner\'s own subgraph."\n  elsewhereGreeting: String\n}\n',
  );

  const subgraphs: Record<string, unknown> = {};
  for (const entry of hub) {
    subgraphs[entry.name] = {
      routing_url: entry.routingUrl,
      schema: { file: entry.schemaFile, ...(entry.includeFiles && { include: entry.includeFiles }) },
    };
  }
  subgraphs.fifth = {
    routing_url: routing.fifth,
    schema: { file: './fifth/schema.graphql', include },
  };
  subgraphs.elsewhere = { routing_url: routing.elsewhere, schema: { file: './remote/elsewhere.graphql' } };
  const yamlPath = join(dir, 'supergraph.yaml');
  writeFileSync(yamlPath, stringify({ subgraphs }));
  return { yamlPath, fifthDir };
}
