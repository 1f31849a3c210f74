// `@policy` names a rule that only code can decide (whose record this is), and the hub's rules live
// in the kit and its subgraphs: a partner's subgraph naming another would compose and then be
// enforced by no one, or by a rule of its own the hub never reviewed. So a publish names only
// rules the hub knows.
import { Kind, parse, valueFromASTUntyped, type DirectiveNode } from 'graphql';
import type { CompositionProblem } from '../composition';

/**
 * The rules the hub defines: the kit's (`KIT_POLICIES` in subgraphs/kit/src/create-subgraph.ts)
 * and its subgraphs' own (`policies` given to createSubgraph). policy-names.test.ts keeps this
 * list in step with the hub's SDL.
 */
export const HUB_POLICY_NAMES: ReadonlySet<string> = new Set(['own-organisation', 'published-or-own-draft']);

const FEDERATION = /^https:\/\/specs\.apollo\.dev\/federation\/v[\d.]+$/;

/** A problem per `@policy` name of `sdl` that the hub does not know, naming the subgraph, the coordinate and the name. */
export function unknownPolicyNames(
  subgraph: string,
  sdl: string,
  known: ReadonlySet<string> = HUB_POLICY_NAMES,
): CompositionProblem[] {
  const document = parse(sdl);
  const names = new Set(['federation__policy']);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link' || !FEDERATION.test(String(argument(link, 'url')))) continue;
      const imports = argument(link, 'import');
      for (const item of Array.isArray(imports) ? imports : []) {
        const imported = item as string | { name?: unknown; as?: unknown };
        const [name, as] =
          typeof imported === 'string' ? [imported, imported] : [imported.name, imported.as ?? imported.name];
        if (name === '@policy' && typeof as === 'string') names.add(as.replace(/^@/, ''));
      }
    }
  }

  const problems: CompositionProblem[] = [];
  const check = (coordinate: string, directives: readonly DirectiveNode[] | undefined) => {
    for (const directive of directives ?? []) {
      if (!names.has(directive.name.value)) continue;
      const groups = argument(directive, 'policies');
      const used = Array.isArray(groups) ? groups.flat().map(String) : [];
      for (const name of new Set(used)) {
        if (known.has(name)) continue;
        const line = directive.loc?.startToken.line ?? 0;
        const column = directive.loc?.startToken.column ?? 0;
        problems.push({
          message:
            `[${subgraph}] ${coordinate} names the @policy "${name}", which the hub does not define ` +
            `(known: ${[...known].sort().join(', ')}): use one of those, or @requiresScopes`,
          code: 'UNKNOWN_POLICY',
          subgraph,
          locations: line > 0 ? [{ subgraph, file: subgraph, line, column }] : [],
        });
      }
    }
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION)
      continue;
    if (!('directives' in definition)) continue;
    const type = definition.name.value;
    check(type, definition.directives);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) check(`${type}.${field.name.value}`, field.directives);
    }
    if ('values' in definition) {
      for (const value of definition.values ?? []) check(`${type}.${value.name.value}`, value.directives);
    }
  }
  return problems;
}

function argument(directive: DirectiveNode, name: string): unknown {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value ? valueFromASTUntyped(value) : undefined;
}
