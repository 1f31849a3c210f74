// The longest text an operation may send in an argument, literal or variable, however deep in an
// input object or list. Without it, a 500 KB search string was folded, turned into a regex and
// run by a subgraph; the kit's field checks cover the writes of the hub's own subgraphs only, not
// the reads nor a partner's subgraph.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  BREAK,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import type { OperationLimits } from '../config';

export type ArgumentLengthLimits = Pick<
  OperationLimits,
  'maxSearchLength' | 'maxArgumentLength' | 'maxInputLength'
>;

/** The setting each limit comes from, named in refusals (`extensions.limit` and the message). */
const VARIABLES: Record<keyof ArgumentLengthLimits, string> = {
  maxSearchLength: 'GATEWAY_MAX_SEARCH_LENGTH',
  maxArgumentLength: 'GATEWAY_MAX_ARGUMENT_LENGTH',
  maxInputLength: 'GATEWAY_MAX_INPUT_LENGTH',
};

/**
 * Refuses, before any subgraph is called, an operation with a string longer than its limit:
 * - an argument or input field named `search` (every list's free-text filter): `maxSearchLength`;
 * - any other string in the arguments of a mutation field (the records written): `maxInputLength`;
 * - any other string in any other argument (filters, ids, cursors, languages): `maxArgumentLength`.
 * Runs once the operation is known (variables are not part of validation), with
 * BAD_USER_INPUT, HTTP 400 and `extensions.field` naming the argument's path (`filter.search`).
 */
export function argumentLengthLimits(limits: ArgumentLengthLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // Apollo has refused the request already
          const refusal = overLength(schema, document, operation, request.variables ?? {}, limits);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** The refusal for the first string over its limit in `operation` with `variables`, if any. */
export function overLength(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: ArgumentLengthLimits,
): GraphQLError | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map(
    (operation.variableDefinitions ?? []).map((definition) => [
      definition.variable.name.value,
      definition.defaultValue,
    ]),
  );
  const mutation = schema.getMutationType();
  const seen = new Set<string>();
  const pending: ASTNode[] = [operation];
  let refusal: GraphQLError | undefined;

  while (pending.length > 0 && !refusal) {
    const typeInfo = new TypeInfo(schema);
    visit(
      pending.pop()!,
      visitWithTypeInfo(typeInfo, {
        FragmentSpread(node) {
          const fragment = fragments.get(node.name.value);
          if (fragment && !seen.has(node.name.value)) {
            seen.add(node.name.value);
            pending.push(fragment);
          }
        },
        Argument(node) {
          const argument = typeInfo.getArgument();
          if (!argument) return false; // unknown: validation has refused it already
          const directive = typeInfo.getDirective();
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          const owner = directive ? `@${directive.name}` : `${parent?.name}.${field?.name}`;
          const writes = !directive && parent !== null && parent === mutation;
          const check = (path: string, value: string) => {
            const name = path.slice(path.lastIndexOf('.') + 1);
            const limit: keyof ArgumentLengthLimits =
              name === 'search' ? 'maxSearchLength' : writes ? 'maxInputLength' : 'maxArgumentLength';
            if (value.length <= limits[limit]) return;
            refusal = tooLong(path, owner, value.length, limits[limit], limit);
          };
          walkLiteral(node.value, argument.type, node.name.value, {
            variables,
            defaults,
            check,
            done: () => !!refusal,
          });
          return refusal ? BREAK : false;
        },
      }),
    );
  }
  return refusal;
}

interface Walk {
  variables: Record<string, unknown>;
  defaults: Map<string, ValueNode | undefined>;
  check(path: string, value: string): void;
  done(): boolean;
}

function walkLiteral(node: ValueNode, type: GraphQLInputType, path: string, walk: Walk): void {
  if (walk.done()) return;
  const inner = isNonNullType(type) ? type.ofType : type;
  switch (node.kind) {
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (name in walk.variables) walkValue(walk.variables[name], inner, path, walk);
      else {
        const fallback = walk.defaults.get(name);
        if (fallback) walkLiteral(fallback, inner, path, walk);
      }
      return;
    }
    case Kind.STRING:
      walk.check(path, node.value);
      return;
    case Kind.LIST:
      node.values.forEach((item, index) =>
        walkLiteral(item, isListType(inner) ? inner.ofType : inner, `${path}.${index}`, walk),
      );
      return;
    case Kind.OBJECT: {
      const fields = isInputObjectType(inner) ? inner.getFields() : {};
      for (const field of node.fields) {
        const definition = fields[field.name.value];
        if (definition) walkLiteral(field.value, definition.type, `${path}.${field.name.value}`, walk);
      }
      return;
    }
    default:
      // A single value where a list is expected is coerced to a list of it.
      if (isListType(inner)) walkLiteral(node, inner.ofType, path, walk);
  }
}

function walkValue(value: unknown, type: GraphQLInputType, path: string, walk: Walk): void {
  if (walk.done() || value === null || value === undefined) return;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (typeof value === 'string') {
    walk.check(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) =>
      walkValue(item, isListType(inner) ? inner.ofType : inner, `${path}.${index}`, walk),
    );
  } else if (typeof value === 'object' && isInputObjectType(inner)) {
    const fields = inner.getFields();
    for (const [name, item] of Object.entries(value)) {
      // An unknown field is refused by the coercion of variables.
      const definition = fields[name];
      if (definition) walkValue(item, definition.type, `${path}.${name}`, walk);
    }
  }
}

function tooLong(
  field: string,
  owner: string,
  length: number,
  max: number,
  limit: keyof ArgumentLengthLimits,
): GraphQLError {
  const hint =
    limit === 'maxSearchLength'
      ? 'A search matches names from their beginning: the first words are enough.'
      : 'Send a shorter value.';
  return new GraphQLError(
    `${field} (an argument of ${owner}): must be at most ${max} characters (got ${length}; ${VARIABLES[limit]}). ${hint}`,
    {
      extensions: {
        code: 'BAD_USER_INPUT',
        field,
        argumentOf: owner,
        maxLength: max,
        limit,
        http: { status: 400 },
      },
    },
  );
}
