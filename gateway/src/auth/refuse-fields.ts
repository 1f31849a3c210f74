// Which fields of an operation the caller may not see, by the supergraph's `@authenticated` and
// `@requiresScopes`; the operation without them, for the gateway to plan; and the answer put back
// into the shape the caller asked for, the refused fields null with an error each.
import type { Identity } from '@clusterpolisee/kit/auth';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { combine, type AuthDirectives, type AuthRequirement } from './supergraph-directives';

/**
 * The alias of the `__typename` added where the rewritten operation needs one: to tell which
 * objects of an abstract type lost a field, and to keep a selection set from becoming empty.
 * Removed from the answer before it leaves.
 */
export const TYPENAME_MARKER = '_hubAuthTypename';

interface Refusal {
  type: GraphQLOutputType;
  /** The concrete types whose objects lost the field (a fragment may narrow an abstract type). */
  typenames: Set<string>;
  error: { message: string; extensions: Record<string, unknown> };
}

/** The refused fields by response path (response keys, as aliases make them). */
export interface RefusalNode {
  /** The concrete type of the objects here when the schema tells it; else the marker does. */
  typename?: string;
  refusals: Map<string, Refusal>;
  children: Map<string, { type: GraphQLOutputType; node: RefusalNode }>;
}

export interface RefusedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  refusals: RefusalNode;
}

/**
 * What of `operationName`'s operation the caller may not see. Undefined when it may see all of
 * it, and then the request goes on untouched (and its plan stays the cached one).
 */
export function refuseFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  directives: AuthDirectives,
  identity: Identity,
  variables: Record<string, unknown> = {},
): RefusedOperation | undefined {
  if (directives.fields.size === 0 && directives.types.size === 0) return undefined;
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );

  const refusalOf = memoRefusal(schema, directives, identity);
  const refusals: RefusalNode = { typename: root.name, refusals: new Map(), children: new Map() };
  let refused = false;
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    node: RefusalNode,
    spread: Set<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (skipped(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const key = selection.alias?.value ?? name;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) continue;
        const error = refusalOf(parent, name);
        if (error) {
          refused = true;
          const refusal = node.refusals.get(key) ?? { type: field.type, typenames: new Set(), error };
          for (const type of concreteTypes(schema, parent)) refusal.typenames.add(type);
          node.refusals.set(key, refusal);
          continue;
        }
        const named = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(named)) continue;
        let child = node.children.get(key);
        if (!child) {
          child = {
            type: field.type,
            node: {
              ...(isObjectType(named) ? { typename: named.name } : {}),
              refusals: new Map(),
              children: new Map(),
            },
          };
          node.children.set(key, child);
        }
        walk(selection.selectionSet, named, child.node, new Set());
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type, node, spread);
      } else {
        // One walk per fragment and response object: a document's fragments spread in fragments
        // would otherwise be walked exponentially many times.
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spread.has(name)) continue;
        spread.add(name);
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) walk(fragment.selectionSet, type, node, spread);
      }
    }
  };
  walk(operation.selectionSet, root, refusals, new Set());
  if (!refused) return undefined;

  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(field) {
          const parent = typeInfo.getParentType();
          return parent && !field.name.value.startsWith('__') && refusalOf(parent, field.name.value)
            ? null
            : undefined;
        },
      },
      SelectionSet: {
        leave(selectionSet) {
          const parent = typeInfo.getParentType();
          if (selectionSet.selections.length > 0 && !(parent && isAbstractType(parent))) return undefined;
          return { ...selectionSet, selections: [...selectionSet.selections, typenameMarker()] };
        },
      },
    }),
  );
  const rewrittenOperation = rewritten.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === operation.name?.value,
  );
  return rewrittenOperation && { document: rewritten, operation: rewrittenOperation, refusals };
}

/**
 * Puts the refused fields back into `data` as null, each with its error, nulling the nearest
 * nullable parent for a non-null one as GraphQL does, and removes the markers.
 */
export function restoreRefused(
  data: Record<string, unknown> | null | undefined,
  refusals: RefusalNode,
): { data: Record<string, unknown> | null | undefined; errors: GraphQLFormattedError[] } {
  const errors: GraphQLFormattedError[] = [];
  if (!data) return { data, errors };
  const inObject = (
    object: Record<string, unknown>,
    node: RefusalNode,
    path: (string | number)[],
  ): boolean => {
    const typename = (object[TYPENAME_MARKER] as string | undefined) ?? node.typename;
    let nullsParent = false;
    for (const [key, refusal] of node.refusals) {
      if (typename === undefined || !refusal.typenames.has(typename)) continue;
      errors.push({
        message: refusal.error.message,
        path: [...path, key],
        extensions: refusal.error.extensions,
      });
      if (isNonNullType(refusal.type)) nullsParent = true;
      else object[key] = null;
    }
    for (const [key, child] of node.children) {
      if (!(key in object)) continue;
      if (inValue(object[key], child.type, child.node, [...path, key])) {
        if (isNonNullType(child.type)) nullsParent = true;
        else object[key] = null;
      }
    }
    return nullsParent;
  };
  const inValue = (
    value: unknown,
    type: GraphQLOutputType,
    node: RefusalNode,
    path: (string | number)[],
  ): boolean => {
    if (value == null) return false;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      const items = value as unknown[];
      const itemType = inner.ofType as GraphQLOutputType;
      for (let index = 0; index < items.length; index += 1) {
        if (!inValue(items[index], itemType, node, [...path, index])) continue;
        if (isNonNullType(itemType)) return true;
        items[index] = null;
      }
      return false;
    }
    return inObject(value as Record<string, unknown>, node, path);
  };
  const nullsRoot = inObject(data, refusals, []);
  stripMarkers(data);
  return { data: nullsRoot ? null : data, errors };
}

function stripMarkers(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(stripMarkers);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    delete object[TYPENAME_MARKER];
    Object.values(object).forEach(stripMarkers);
  }
}

/**
 * The error refusing `parent.field` to the caller, if it is refused. A field of an interface or
 * union is protected when the field of any type it may be is: the plan cannot tell them apart.
 */
function memoRefusal(schema: GraphQLSchema, directives: AuthDirectives, identity: Identity) {
  const cache = new Map<string, Refusal['error'] | undefined>();
  return (parent: GraphQLCompositeType, field: string): Refusal['error'] | undefined => {
    const coordinate = `${parent.name}.${field}`;
    if (cache.has(coordinate)) return cache.get(coordinate);
    let requirement: AuthRequirement | undefined;
    const add = (more: AuthRequirement | undefined) => {
      if (more) requirement = combine(requirement, more);
    };
    const owners = [...(isObjectType(parent) ? [] : [parent.name]), ...concreteTypes(schema, parent)];
    for (const owner of owners) {
      add(directives.fields.get(`${owner}.${field}`));
      const type = schema.getType(owner);
      const definition = isObjectType(type) || isInterfaceType(type) ? type.getFields()[field] : undefined;
      if (!definition) continue;
      const returned = getNamedType(definition.type);
      add(directives.types.get(returned.name));
      if (isAbstractType(returned)) {
        for (const possible of schema.getPossibleTypes(returned)) add(directives.types.get(possible.name));
      }
    }
    const error = requirement && refusal(identity, requirement, coordinate);
    cache.set(coordinate, error);
    return error;
  };
}

/** The kit's wording (subgraphs/kit/src/auth/authorization.ts), so that callers see one message whoever refuses. */
function refusal(
  identity: Identity,
  requirement: AuthRequirement,
  coordinate: string,
): Refusal['error'] | undefined {
  if ((requirement.authenticated || requirement.scopes.length > 0) && identity.role === 'anonymous') {
    return {
      message: `${coordinate} is for signed-in partners only: send a token in the Authorization header (see the README, "Security")`,
      extensions: { code: 'UNAUTHENTICATED' },
    };
  }
  if (
    requirement.scopes.length > 0 &&
    !requirement.scopes.some((group) => group.every((scope) => identity.scopes.has(scope)))
  ) {
    const needed = requirement.scopes.map((group) => group.join(' and ')).join(', or ');
    return {
      message: `${coordinate} requires the scope ${needed}, which the role ${identity.role} does not have`,
      extensions: { requiredScopes: requirement.scopes, code: 'FORBIDDEN' },
    };
  }
  return undefined;
}

function concreteTypes(schema: GraphQLSchema, type: GraphQLCompositeType): string[] {
  return isAbstractType(type) ? schema.getPossibleTypes(type).map((possible) => possible.name) : [type.name];
}

function typenameMarker(): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: TYPENAME_MARKER },
    name: { kind: Kind.NAME, value: '__typename' },
  };
}

function skipped(selection: SelectionNode, variables: Record<string, unknown>): boolean {
  const condition = (name: string) => {
    const directive = selection.directives?.find((candidate) => candidate.name.value === name);
    const value = directive?.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (!value) return undefined;
    if (value.kind === Kind.BOOLEAN) return value.value;
    if (value.kind !== Kind.VARIABLE) return undefined;
    const given = variables[value.name.value];
    return typeof given === 'boolean' ? given : undefined;
    return undefined;
  };
  return condition('skip') === true || condition('include') === false;
}
