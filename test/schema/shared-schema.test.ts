// The kit's shared SDL (issue 10): types that several subgraphs need are declared once, in
// subgraphs/kit/schema, and served with each subgraph by the kit, compose and codegen alike.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, type DefinitionNode, type DocumentNode } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { KIT_TYPE_DEFS, kitTypeDefFiles, loadTypeDefs, withKitTypeDefs } from '@clusterpolisee/kit';

const ROOT = path.join(__dirname, '../..');
const YAML = path.join(ROOT, 'schema/supergraph.yaml');

interface Listed {
  name: string;
  sdl: DocumentNode;
  include: string[];
}

const listed: Listed[] = Object.entries(
  (
    parseYaml(readFileSync(YAML, 'utf8')) as {
      subgraphs: Record<string, { schema: { file: string; include?: string[] } }>;
    }
  ).subgraphs,
).map(([name, { schema }]) => ({
  name,
  sdl: loadTypeDefs(path.resolve(path.dirname(YAML), schema.file)),
  include: (schema.include ?? []).map((file) => path.resolve(path.dirname(YAML), file)),
}));

const typeName = (definition: DefinitionNode): string | undefined =>
  'name' in definition && definition.kind !== Kind.DIRECTIVE_DEFINITION ? definition.name?.value : undefined;
const declared = (document: DocumentNode) => document.definitions.map(typeName).filter(Boolean) as string[];
const kitTypes = KIT_TYPE_DEFS.flatMap(({ file }) => declared(loadTypeDefs(file)));

test('the kit declares the shared types: paging, sorting, counts by country and the audit trail', () => {
  expect(kitTypes).toEqual(
    expect.arrayContaining([
      'PageInfo',
      'SortDirection',
      'CountryCount',
      'AuditEntry',
      'AuditEntryConnection',
    ]),
  );
});

test.each(listed.map((subgraph) => [subgraph.name, subgraph] as const))(
  '%s declares none of the kit types itself, and lists exactly the kit SDL the kit serves with it',
  (_name, subgraph) => {
    expect(declared(subgraph.sdl).filter((name) => kitTypes.includes(name))).toEqual([]);
    expect(subgraph.include).toEqual(kitTypeDefFiles(subgraph.sdl));
  },
);

test.each(listed.map((subgraph) => [subgraph.name, subgraph] as const))(
  '%s, served with the kit SDL, builds as a subgraph with one PageInfo and one SortDirection',
  (_name, subgraph) => {
    const served = withKitTypeDefs(subgraph.sdl);
    const names = declared(served);
    expect(names.filter((name) => name === 'PageInfo')).toHaveLength(1);
    expect(names.filter((name) => name === 'SortDirection')).toHaveLength(1);
    expect(() => buildSubgraphSchema({ typeDefs: served })).not.toThrow();
  },
);

test('no value type is declared in two subgraph SDLs: a shared one belongs in the kit', () => {
  // Entities (@key) are each subgraph's own view of a record, and the root types its own fields.
  const owners = new Map<string, string[]>();
  for (const { name, sdl } of listed)
    for (const definition of sdl.definitions) {
      const type = typeName(definition);
      const isEntity =
        'directives' in definition && definition.directives?.some((d) => d.name.value === 'key');
      if (!type || isEntity || ['Query', 'Mutation', 'Subscription'].includes(type)) continue;
      owners.set(type, [...(owners.get(type) ?? []), name]);
    }
  expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
});

test('the supergraph holds each shared type once, joined to every subgraph that serves it', () => {
  const supergraph = parse(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
  const graphsOf = (type: string) => {
    const definitions = supergraph.definitions.filter((definition) => typeName(definition) === type);
    expect(definitions).toHaveLength(1);
    const directives = 'directives' in definitions[0]! ? (definitions[0]!.directives ?? []) : [];
    return directives
      .filter((d) => d.name.value === 'join__type')
      .flatMap((d) => d.arguments ?? [])
      .filter((a) => a.name.value === 'graph' && a.value.kind === Kind.ENUM)
      .map((a) => (a.value as { value: string }).value.toLowerCase())
      .sort();
  };
  const all = listed.map(({ name }) => name).sort();
  expect(graphsOf('PageInfo')).toEqual(all);
  expect(graphsOf('SortDirection')).toEqual(all);
  expect(graphsOf('CountryCount')).toEqual(['knowledge', 'partners']);
});
