import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, visit, type DocumentNode } from 'graphql';
import { AUDIT_TYPE_DEFS_FILE } from './audit/type-defs';

/** Reads a subgraph's SDL file: the SDL is the source of truth, not a string in code. */
export function loadTypeDefs(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}

export interface KitTypeDefs {
  file: string;
  /**
   * Served with every subgraph, or only with an SDL that names one of the file's types: such a
   * file points at types the subgraph declares itself (`CountryCount` needs its `Country`).
   */
  always: boolean;
}

/**
 * The kit's shared SDL, declared once so that subgraphs cannot drift apart. Compose and codegen
 * read the same files from `schema.include` in schema/supergraph.yaml; a test holds those lists to
 * what `kitTypeDefFiles` serves.
 */
export const KIT_TYPE_DEFS: readonly KitTypeDefs[] = [
  { file: join(__dirname, '../schema/common.graphql'), always: true },
  { file: AUDIT_TYPE_DEFS_FILE, always: true },
  { file: join(__dirname, '../schema/country-count.graphql'), always: false },
];

/** The kit SDL files (absolute paths) served with a subgraph's own SDL. */
export function kitTypeDefFiles(typeDefs: DocumentNode): string[] {
  const named = new Set<string>();
  visit(typeDefs, { NamedType: (node) => void named.add(node.name.value) });
  return KIT_TYPE_DEFS.filter(
    ({ file, always }) => always || declaredTypes(loadTypeDefs(file)).some((name) => named.has(name)),
  ).map(({ file }) => file);
}

/** A subgraph's SDL with the kit's shared SDL it uses. */
export function withKitTypeDefs(typeDefs: DocumentNode): DocumentNode {
  return {
    ...typeDefs,
    definitions: [
      ...typeDefs.definitions,
      ...kitTypeDefFiles(typeDefs).flatMap((file) => loadTypeDefs(file).definitions),
    ],
  };
}

function declaredTypes(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.ENUM_TYPE_DEFINITION ||
    definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    definition.kind === Kind.UNION_TYPE_DEFINITION ||
    definition.kind === Kind.SCALAR_TYPE_DEFINITION
      ? [definition.name.value]
      : [],
  );
}
