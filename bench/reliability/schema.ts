/**
 * What the scenarios read from the committed supergraph's API schema (what clients see): the
 * versioned types and their update mutations, a query to list each, and selections to ask of an
 * answer, so that a type or mutation added later is covered without editing the scenarios.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { project } from '@clusterpolisee/infra/seed/facts';
import { GOVERNING_BODIES } from '@clusterpolisee/infra/seed/partners';

export const SUPERGRAPH = join(__dirname, '..', '..', 'schema', 'supergraph.graphql');

export function apiSchema(path = SUPERGRAPH): GraphQLSchema {
  return Supergraph.build(readFileSync(path, 'utf8'), { supportedFeatures: null })
    .apiSchema()
    .toGraphQLJSSchema();
}

/** A few fields of an answer: `__typename`, the key, and a connection's count and nodes. */
export function selectionOf(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isUnionType(named)) return '{ __typename }';
  if (!isObjectType(named) && !isInterfaceType(named)) return '';
  const fields = named.getFields();
  const parts = ['__typename'];
  for (const key of ['id', 'code', 'version'])
    if (fields[key] && fields[key]!.args.length === 0) parts.push(key);
  if (fields.totalCount && fields.nodes) parts.push('totalCount', `nodes ${selectionOf(fields.nodes.type)}`);
  return `{ ${parts.join(' ')} }`;
}

/** A type with a `version: Int!` and an `update<Type>(<key>, version, input)` mutation. */
export interface VersionedType {
  type: string;
  mutation: string;
  keyArg: string;
  keyField: string;
  inputType: string;
  /** A Query field to find records of the type, with the arguments it needs. */
  list?: { field: string; args: string; connection: boolean };
}

/** Values for required list arguments: the project every seeded record belongs to, and its steering committee. */
const KNOWN_ARGUMENTS: Record<string, string> = {
  projectId: JSON.stringify(project.id),
  bodyId: JSON.stringify(GOVERNING_BODIES[0]!._id),
};

export function versionedTypes(schema: GraphQLSchema): VersionedType[] {
  const mutation = schema.getMutationType();
  const query = schema.getQueryType();
  if (!mutation || !query) return [];
  const found: VersionedType[] = [];
  for (const field of Object.values(mutation.getFields())) {
    const target = getNamedType(field.type);
    const match = /^update(.+)$/.exec(field.name);
    if (!match || !isObjectType(target) || !target.getFields().version) continue;
    const version = field.args.find((a) => a.name === 'version');
    const input = field.args.find((a) => a.name === 'input');
    const key = field.args.find((a) => a !== version && a !== input);
    if (!version || !input || !key || !target.getFields()[key.name]) continue;
    found.push({
      type: target.name,
      mutation: field.name,
      keyArg: key.name,
      keyField: key.name,
      inputType: String(input.type),
      list: listQueryOf(query, target),
    });
  }
  return found;
}

function listQueryOf(query: GraphQLObjectType, target: GraphQLObjectType): VersionedType['list'] {
  const candidates = Object.values(query.getFields()).flatMap((field) => {
    const inner = getNullableType(field.type);
    const connection = isObjectType(inner) && inner.getFields().nodes;
    const listed = connection
      ? getNamedType(connection.type)
      : isListType(inner)
        ? getNamedType(inner)
        : undefined;
    if (listed !== target) return [];
    const args = requiredArgs(field);
    return args === undefined ? [] : [{ field: field.name, args, connection: Boolean(connection) }];
  });
  return candidates[0];
}

function requiredArgs(field: GraphQLField<unknown, unknown>): string | undefined {
  const parts: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type) || arg.defaultValue !== undefined) continue;
    const value = KNOWN_ARGUMENTS[arg.name];
    if (value === undefined) return undefined;
    parts.push(`${arg.name}: ${value}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}
