// The supergraph's `@authenticated` and `@requiresScopes`, read for the gateway to enforce itself:
// a partner's subgraph may declare them and enforce nothing, and the API schema the gateway
// validates against has lost every `for: SECURITY` directive.
import { parse, type ConstDirectiveNode } from 'graphql';
import { PerSchemaDirectives } from '../per-schema-directives';
import { directiveArgument, forEachDirectedPlace, importedAs, specLinks } from '../supergraph-sdl';

/** What one declaration asks: signed in, and (when `scopes` is not empty) one of its AND-groups of scopes. */
export interface AuthRequirement {
  authenticated: boolean;
  scopes: string[][];
}

/** The declarations of one supergraph: by `Type.field` (on fields) and by `Type` (on types). */
export interface AuthDirectives {
  fields: ReadonlyMap<string, AuthRequirement>;
  types: ReadonlyMap<string, AuthRequirement>;
}

export const NO_AUTH_DIRECTIVES: AuthDirectives = { fields: new Map(), types: new Map() };

const SPEC = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes)\/v[\d.]+$/;

/**
 * Reads them from a supergraph's SDL under the names its `@link`s give them: the spec's own name
 * (`@authenticated`, `@requiresScopes`), the `as:` of the link, or an `import` alias.
 */
export function authDirectivesFromSupergraph(supergraphSdl: string): AuthDirectives {
  const document = parse(supergraphSdl, { noLocation: true });
  const authenticatedNames = new Set<string>();
  const scopesNames = new Set<string>();
  for (const { link, match } of specLinks(document, SPEC)) {
    const spec = match[1]!;
    const names = spec === 'authenticated' ? authenticatedNames : scopesNames;
    const as = directiveArgument(link, 'as');
    const prefix = typeof as === 'string' ? as : spec;
    names.add(prefix);
    names.add(`${prefix}__${spec}`);
    for (const alias of importedAs(link, `@${spec}`)) names.add(alias);
  }

  const read = (directives: readonly ConstDirectiveNode[] | undefined): AuthRequirement | undefined => {
    let authenticated = false;
    const scopes: string[][] = [];
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (authenticatedNames.has(name)) authenticated = true;
      if (scopesNames.has(name)) {
        const groups = directiveArgument(directive, 'scopes');
        if (Array.isArray(groups)) {
          scopes.push(...groups.filter(Array.isArray).map((group) => (group as unknown[]).map(String)));
        }
      }
    }
    return authenticated || scopes.length > 0 ? { authenticated, scopes } : undefined;
  };

  const fields = new Map<string, AuthRequirement>();
  const types = new Map<string, AuthRequirement>();
  forEachDirectedPlace(document, (key, directives, isField) => {
    const requirement = read(directives);
    if (!requirement) return;
    const map = isField ? fields : types;
    map.set(key, combine(map.get(key), requirement));
  });
  return { fields, types };
}

/** Both must hold: a signed-in caller holding one group of each. */
export function combine(a: AuthRequirement | undefined, b: AuthRequirement): AuthRequirement {
  if (!a) return b;
  if (a.scopes.length === 0 || b.scopes.length === 0) {
    return { authenticated: a.authenticated || b.authenticated, scopes: [...a.scopes, ...b.scopes] };
  }
  // (a1 or a2) and (b1 or b2) = (a1 and b1) or (a1 and b2) or ...
  const scopes = a.scopes.flatMap((left) => b.scopes.map((right) => [...new Set([...left, ...right])]));
  return { authenticated: a.authenticated || b.authenticated, scopes };
}

/** Keeps the auth directives of each schema the gateway has loaded. */
export class AuthDirectiveRegistry extends PerSchemaDirectives<AuthDirectives> {
  constructor() {
    super(authDirectivesFromSupergraph, NO_AUTH_DIRECTIVES);
  }
}
