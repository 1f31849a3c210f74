// The usage-aware half of a registry check: the API schema of the current supergraph diffed with
// the candidate's by @graphql-inspector/core. A breaking change to something that clients used
// within the window, or that a trusted document (schema/operations/) uses, is an error naming the
// operations and clients; a breaking change nobody used is a warning; dangerous changes (a new
// enum value, an argument's new default...) are reported as warnings too. An output field that
// only became nullable is a warning of its own, NULLABLE_OUTPUT, naming its users if any
// (nullable-output.ts says why). An admin's override reason turns the errors into warnings, and
// the publish writes it to the audit trail.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { ChangeType, CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { parse, type GraphQLSchema } from 'graphql';
import type { Db } from 'mongodb';
import type { CompositionProblem } from '../composition';
import { onlyBecameNullable } from './nullable-output';
import { AUDIT_COLLECTION, type RegistryActor } from './store';
import { coordinateUsage, DEFAULT_USAGE_WINDOW_DAYS, describeUse, operationCoordinates } from './usage';

export const TRUSTED_OPERATIONS_DIR = path.resolve(__dirname, '../operations');

export interface UsageCheckOptions {
  /** The registry's database (RegistryStore.database()); without one only trusted documents count. */
  db?: Db;
  /** Default 30 (GATEWAY_USAGE_WINDOW_DAYS). */
  windowDays?: number;
  /** Default schema/operations. */
  operationsDir?: string;
  /** Only an admin's: errors become warnings, and the publish records the reason. */
  overrideReason?: string;
}

export interface UsageCheckResult {
  errors: CompositionProblem[];
  warnings: CompositionProblem[];
  /** The errors the override let through, for the audit trail. */
  overridden: CompositionProblem[];
}

export async function usageCheck(
  currentSupergraphSdl: string,
  candidateSupergraphSdl: string,
  options: UsageCheckOptions = {},
): Promise<UsageCheckResult> {
  const before = apiSchema(currentSupergraphSdl);
  const after = apiSchema(candidateSupergraphSdl);
  const changes = await diff(before, after);
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  const dangerous = changes.filter((change) => change.criticality.level === CriticalityLevel.Dangerous);

  const coordinateOf = new Map(breaking.map((change) => [change, changedCoordinate(change)]));
  const wanted = [...new Set(coordinateOf.values())];
  const days = options.windowDays ?? DEFAULT_USAGE_WINDOW_DAYS;
  const recorded = options.db
    ? await coordinateUsage(options.db, wanted, new Date(Date.now() - days * 86_400_000))
    : new Map();
  const trusted = trustedUses(before, options.operationsDir ?? TRUSTED_OPERATIONS_DIR);

  const errors: CompositionProblem[] = [];
  const warnings: CompositionProblem[] = [];
  for (const change of breaking) {
    const coordinate = coordinateOf.get(change)!;
    const at = `${change.path ?? coordinate}: `;
    const users = [
      ...(recorded.get(coordinate) ?? []).map(describeUse),
      ...trusted
        .filter((document) => matches(document.coordinates, coordinate))
        .map((document) => `trusted document ${document.file}, operation ${document.operation}`),
    ];
    if (becameNullable(change, before, after)) {
      const used = users.length === 0 ? `no use recorded in the last ${days} days` : `used by ${list(users)}`;
      warnings.push(
        problem(
          'NULLABLE_OUTPUT',
          `${at}${change.message}: answers are the same unless the field is refused or fails, then it ` +
            `is null (error in \`errors\`) instead of its parent; clients must read \`errors\` (${used})`,
        ),
      );
    } else if (users.length === 0) {
      warnings.push(
        problem(
          'BREAKING_CHANGE_UNUSED',
          `${at}${change.message} (no use recorded in the last ${days} days)`,
        ),
      );
    } else {
      errors.push(problem('BREAKING_CHANGE_IN_USE', `${at}${change.message}: used by ${list(users)}`));
    }
  }
  for (const change of dangerous)
    warnings.push(problem('DANGEROUS_CHANGE', `${change.path ?? ''}: ${change.message}`));

  const reason = options.overrideReason?.trim();
  if (reason && errors.length > 0) {
    return {
      errors: [],
      warnings: [
        ...errors.map((error) => ({ ...error, message: `${error.message} (overridden: ${reason})` })),
        ...warnings,
      ],
      overridden: errors,
    };
  }
  return { errors, warnings, overridden: [] };
}

/** Writes an admin's override of a usage check to the registry's audit trail. */
export async function recordOverride(
  db: Db,
  actor: RegistryActor,
  subgraph: string,
  reason: string,
  overridden: CompositionProblem[],
  recordId: string,
): Promise<void> {
  await db.collection(AUDIT_COLLECTION).insertOne({
    _id: `registry:override:${randomUUID()}` as never,
    at: new Date(),
    subgraph: 'registry',
    actor: actor.subject,
    actorRole: actor.role,
    actorOrganisationId: actor.organisationId ?? null,
    requestId: actor.requestId ?? null,
    action: 'OVERRIDE_USAGE_CHECK',
    recordType: 'Supergraph',
    recordId,
    changes: [
      { field: 'subgraph', before: null, after: subgraph },
      { field: 'reason', before: null, after: reason },
      { field: 'breakingChanges', before: null, after: JSON.stringify(overridden.map((e) => e.message)) },
    ],
  });
}

function apiSchema(supergraphSdl: string): GraphQLSchema {
  // Only the API schema is read: the security features the hub's supergraph links need no support here.
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}

/**
 * The coordinate a change is about, in the recorder's spelling: inspector's paths are `Type`,
 * `Type.field` (fields, input fields and enum values) and `Type.field.argument`.
 */
function changedCoordinate(change: Change): string {
  const parts = (change.path ?? '').split('.');
  if (parts.length === 1) return `${parts[0]}.*`;
  if (parts.length === 2) return `${parts[0]}.${parts[1]}`;
  return `${parts[0]}.${parts[1]}(${parts[2]}:)`;
}

function becameNullable(change: Change, before: GraphQLSchema, after: GraphQLSchema): boolean {
  if (change.type !== ChangeType.FieldTypeChanged) return false;
  const { typeName, fieldName } = (change as Change<typeof ChangeType.FieldTypeChanged>).meta;
  return onlyBecameNullable(before, after, typeName, fieldName);
}

function list(users: string[]): string {
  return users.slice(0, 10).join('; ') + (users.length > 10 ? `; and ${users.length - 10} more` : '');
}

function matches(coordinates: Set<string>, coordinate: string): boolean {
  if (!coordinate.endsWith('.*')) return coordinates.has(coordinate);
  const prefix = coordinate.slice(0, -1);
  return [...coordinates].some((c) => c.startsWith(prefix));
}

interface TrustedUse {
  file: string;
  operation: string;
  coordinates: Set<string>;
}

function trustedUses(schema: GraphQLSchema, dir: string): TrustedUse[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.graphql'));
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    const document = parse(readFileSync(path.join(dir, file), 'utf8'));
    return document.definitions.flatMap((definition) =>
      definition.kind === 'OperationDefinition'
        ? [
            {
              file,
              operation: definition.name?.value ?? '(anonymous)',
              coordinates: operationCoordinates(schema, document, definition.name?.value),
            },
          ]
        : [],
    );
  });
}

function problem(code: string, message: string): CompositionProblem {
  return { code, message, locations: [] };
}
