// Recorded usage: which schema coordinates each client's operations touched. Each gateway replica
// inserts its own aggregated counts at every flush, one document per (operation, client) entry
// with an `_id` of its own: FerretDB applies `$inc` and other filtered updates as a read then a
// write, so concurrent replicas updating one counter would lose increments, while inserts never
// collide. Reads sum the documents of the window.
import {
  GraphQLEnumType,
  Kind,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Db } from 'mongodb';

export const USAGE_COLLECTION = 'usage';
export const DEFAULT_USAGE_WINDOW_DAYS = 30;
/** The operation and client names of the bucket where operations beyond the recorder's bound are folded. */
export const OVERFLOW = '(overflow)';

export interface UsageRecord {
  _id: string;
  /** When the replica flushed it: the window of a read is on this. */
  at: Date;
  replica: string;
  /** The operation's signature (a hash of its document and name); OVERFLOW for the folded bucket. */
  operation: string;
  operationName: string | null;
  client: string;
  clientVersion: string | null;
  coordinates: string[];
  count: number;
  lastSeen: Date;
}

export interface CoordinateUse {
  client: string;
  clientVersion: string | null;
  operation: string;
  operationName: string | null;
  count: number;
  lastSeen: Date;
}

/**
 * The schema coordinates `document` touches against `schema` (the API schema): `Type.field` for
 * every field selected, `Type.field(arg:)` for every argument given, `Input.field` for input
 * object fields and `Enum.VALUE` for enum literals written in the document (values sent in
 * variables are not seen here).
 */
export function operationCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): Set<string> {
  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const used = usedDefinitions(document, operationName);
  visit(
    used,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        coordinates.add(`${parent.name}.${node.name.value}`);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || field.name.startsWith('__')) return;
        coordinates.add(`${parent.name}.${field.name}(${node.name.value}:)`);
      },
      ObjectField(node) {
        const input = typeInfo.getParentInputType();
        const named = input ? getNamedType(input) : undefined;
        if (named) coordinates.add(`${named.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type ? getNamedType(type) : undefined;
        if (named instanceof GraphQLEnumType) coordinates.add(`${named.name}.${node.value}`);
      },
    }),
  );
  return coordinates;
}

/** The operation named (or the only one) and the fragments it spreads, transitively. */
function usedDefinitions(document: DocumentNode, operationName?: string | null): DocumentNode {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  const operation = operationName
    ? operations.find((definition) => definition.name?.value === operationName)
    : operations[0];
  if (!operation) return { kind: Kind.DOCUMENT, definitions: [] };
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition')
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const reached = new Map<string, FragmentDefinitionNode>();
  const walk = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !reached.has(fragment.name.value)) {
          reached.set(fragment.name.value, fragment);
          walk(fragment);
        }
      },
    });
  walk(operation);
  return { kind: Kind.DOCUMENT, definitions: [operation, ...reached.values()] };
}

export async function insertUsage(db: Db, records: UsageRecord[]): Promise<void> {
  if (records.length > 0) await db.collection<UsageRecord>(USAGE_COLLECTION).insertMany(records);
}

/**
 * Every (operation, client) that used one of `coordinates` since `since`, counts summed over the
 * replicas' flushes, most used first. A coordinate ending in `.*` matches the whole type.
 */
export async function coordinateUsage(
  db: Db,
  coordinates: string[],
  since: Date,
): Promise<Map<string, CoordinateUse[]>> {
  const result = new Map<string, CoordinateUse[]>(coordinates.map((coordinate) => [coordinate, []]));
  if (coordinates.length === 0) return result;
  // Wildcards are matched here rather than with `$regex` on an array, which the engines the hub
  // runs on do not all agree about; exact coordinates narrow the read with `$in`.
  const wildcard = coordinates.some((coordinate) => coordinate.endsWith('.*'));
  const records = db
    .collection<UsageRecord>(USAGE_COLLECTION)
    .find(
      { at: { $gte: since }, ...(!wildcard && { coordinates: { $in: coordinates } }) },
      { projection: { _id: 0, replica: 0 } },
    );
  const sums = new Map<string, Map<string, CoordinateUse>>();
  for await (const record of records) {
    for (const coordinate of coordinates) {
      const matches = coordinate.endsWith('.*')
        ? record.coordinates.some((c) => c.startsWith(coordinate.slice(0, -1)))
        : record.coordinates.includes(coordinate);
      if (!matches) continue;
      const byUser = sums.get(coordinate) ?? new Map<string, CoordinateUse>();
      sums.set(coordinate, byUser);
      const key = JSON.stringify([record.operation, record.client, record.clientVersion]);
      const use = byUser.get(key);
      if (use) {
        use.count += record.count;
        if (record.lastSeen > use.lastSeen) use.lastSeen = record.lastSeen;
      } else {
        const { client, clientVersion, operation, operationName, count, lastSeen } = record;
        byUser.set(key, { client, clientVersion, operation, operationName, count, lastSeen });
      }
    }
  }
  for (const [coordinate, byUser] of sums) {
    result.set(
      coordinate,
      [...byUser.values()].sort((a, b) => b.count - a.count),
    );
  }
  return result;
}

/** "client@version: operation (N times, last ...)" lines, for the CLI and the check's messages. */
export function describeUse(use: CoordinateUse): string {
  if (use.operation === OVERFLOW) {
    return `operations beyond a gateway's usage bound, clients unknown (${use.count} requests, last ${use.lastSeen.toISOString()})`;
  }
  const client = use.clientVersion ? `${use.client}@${use.clientVersion}` : use.client;
  const operation = use.operationName ?? `anonymous operation ${use.operation.slice(0, 12)}`;
  return `client ${client}, operation ${operation} (${use.count} request${use.count === 1 ? '' : 's'}, last ${use.lastSeen.toISOString()})`;
}
