// Directives read from the text of a supergraph, which the gateway's API schema has dropped (the
// cost estimate's `@listSize` and `@cost`, the auth enforcement's `@authenticated` and
// `@requiresScopes`): where composition names them, and where they stand.
import { Kind, valueFromASTUntyped, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/** A directive argument as a plain value (numbers, strings, lists, objects). */
export function directiveArgument(directive: ConstDirectiveNode, name: string): unknown {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value ? valueFromASTUntyped(value) : undefined;
}

/** The schema's `@link`s whose url matches `spec`, each with the match. */
export function specLinks(
  document: DocumentNode,
  spec: RegExp,
): { link: ConstDirectiveNode; match: RegExpExecArray }[] {
  const links: { link: ConstDirectiveNode; match: RegExpExecArray }[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = directiveArgument(link, 'url');
      const match = typeof url === 'string' ? spec.exec(url) : null;
      if (match) links.push({ link, match });
    }
  }
  return links;
}

/** The names (without `@`) a link's `import` gives `directive` (e.g. `@listSize`), aliases included. */
export function importedAs(link: ConstDirectiveNode, directive: string): string[] {
  const imports = directiveArgument(link, 'import');
  const names: string[] = [];
  for (const item of Array.isArray(imports) ? imports : []) {
    const imported = item as string | { name?: unknown; as?: unknown };
    const [name, alias] =
      typeof imported === 'string' ? [imported, imported] : [imported.name, imported.as ?? imported.name];
    if (name === directive && typeof alias === 'string') names.push(alias.replace(/^@/, ''));
  }
  return names;
}

/**
 * Visits the directives of every object, interface, scalar and enum type (key `Type`) and of
 * their fields (key `Type.field`).
 */
export function forEachDirectedPlace(
  document: DocumentNode,
  visit: (key: string, directives: readonly ConstDirectiveNode[] | undefined, isField: boolean) => void,
): void {
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION &&
      definition.kind !== Kind.ENUM_TYPE_DEFINITION
    ) {
      continue;
    }
    const type = definition.name.value;
    visit(type, definition.directives, false);
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) visit(`${type}.${field.name.value}`, field.directives, true);
  }
}
