// An output field that only lost its non-null wrapper: `X!` became `X`, `[X!]!` became `[X!]`,
// with the same named type and the same list shape inside. @graphql-inspector calls it breaking,
// since a generated client type goes from `X` to `X | null`; but every answer a client got before
// comes back unchanged, except that a field refused or failing is now null with its error in
// `errors` where it used to null its nearest nullable parent, or the whole `data`. The usage check
// (usage-check.ts) therefore reports it as the warning NULLABLE_OUTPUT, used or not.
//
// Decided on the two schemas rather than on inspector's message, so nothing else can slip in: list
// items becoming nullable (`[X!]` to `[X]`: each client loop meets nulls where there were none), a
// different named type or list depth, and every input field or argument stay breaking.
import {
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

/** Whether `typeName.fieldName`, an object or interface field in both schemas, only lost its outer `!`. */
export function onlyBecameNullable(
  before: GraphQLSchema,
  after: GraphQLSchema,
  typeName: string,
  fieldName: string,
): boolean {
  const was = outputField(before, typeName, fieldName);
  const is = outputField(after, typeName, fieldName);
  return Boolean(was && is && isNonNullType(was.type) && sameType(was.type.ofType, is.type));
}

function outputField(
  schema: GraphQLSchema,
  typeName: string,
  fieldName: string,
): GraphQLField<unknown, unknown> | undefined {
  const type = schema.getType(typeName);
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
}

/** The same wrappers in the same order around the same named type. */
function sameType(a: GraphQLType, b: GraphQLType): boolean {
  if (isNonNullType(a) || isNonNullType(b)) {
    return isNonNullType(a) && isNonNullType(b) && sameType(a.ofType, b.ofType);
  }
  if (isListType(a) || isListType(b)) {
    return isListType(a) && isListType(b) && sameType(a.ofType, b.ofType);
  }
  return a.name === b.name;
}
