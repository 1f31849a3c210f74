// Drift: a running subgraph whose served SDL (`_service { sdl }`) is not the SDL it was published
// with. The gateway plans queries from the published one, so a field the subgraph no longer serves
// fails at request time; this module tells that apart before clients do. Used by the gateway's
// drift watch (gateway/src/drift-watch.ts) and by `npm run subgraph -- list`, so both judge alike.
//
// What counts as drift: any difference in types, fields, arguments, enum values, input fields,
// interfaces, union members, default values or directives (applied or defined, the schema's
// `@link` imports included). What does not: the order of anything, `extend type X` written as part
// of `type X`, whitespace, comments and descriptions. Descriptions are left out because they
// change nothing a client's operation or the query planner depends on, and subgraph libraries
// differ in whether `_service.sdl` keeps them.
//
// Both sides first go through federation's own subgraph builder: `_service.sdl` of a federation 2
// subgraph carries the definitions of every federation directive and type it uses (`_Service`,
// `@federation__requires`, ...) that the published SDL only imports, and the builder adds the same
// to either side, so that only what the subgraph's authors wrote is compared.
import { buildSubgraph, printSchema } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  print,
  type ASTNode,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
} from 'graphql';
import { fetchServiceSdl } from './service-sdl';
import type { IdentitySigningKey } from '../../subgraphs/kit/src/auth';

export interface SdlComparison {
  drifted: boolean;
  /** Schema coordinates, e.g. `removed Organisation.certification`, `changed Query.partners`. */
  differences: string[];
}

export type DriftStatus = 'in-line' | 'drifted' | 'unreachable';

export interface DriftState {
  name: string;
  url: string;
  status: DriftStatus;
  /** For `drifted`: what differs, served against published. */
  differences?: string[];
  /** For `unreachable`: why no SDL could be read. */
  error?: string;
  checkedAt: string;
}

/** Compares two SDLs as the hub defines drift (see the head of this file). */
export function compareSdl(published: string, served: string): SdlComparison {
  const before = coordinates(expanded(published));
  const after = coordinates(expanded(served));
  const differences: string[] = [];
  for (const [coordinate, printed] of before) {
    const now = after.get(coordinate);
    if (now === undefined) differences.push(`removed ${coordinate}`);
    else if (now !== printed) differences.push(`changed ${coordinate}`);
  }
  for (const coordinate of after.keys()) {
    if (!before.has(coordinate)) differences.push(`added ${coordinate}`);
  }
  differences.sort();
  return { drifted: differences.length > 0, differences };
}

/**
 * Reads the SDL `url` serves, signed with the gateway's identity as the gateway's own calls are,
 * and compares it with `publishedSdl`. A subgraph that cannot be reached or gives no SDL is
 * `unreachable`, never `drifted`: that is an outage, which other checks report.
 */
export async function checkDrift(
  subgraph: { name: string; url: string; publishedSdl: string },
  options: { identityKey?: IdentitySigningKey; timeoutMs?: number } = {},
): Promise<DriftState> {
  const { name, url } = subgraph;
  const checkedAt = (): string => new Date().toISOString();
  let served: string;
  try {
    served = await fetchServiceSdl(name, url, options);
  } catch (error) {
    // fetchServiceSdl's advice is the CLI's (`--sdl`), not what a reader of the gateway's log can do.
    const message = (error as Error).message.replace(/: (start it, or )?pass --sdl <file>$/, '');
    return { name, url, status: 'unreachable', error: message, checkedAt: checkedAt() };
  }
  let comparison: SdlComparison;
  try {
    comparison = compareSdl(subgraph.publishedSdl, served);
  } catch (error) {
    // An SDL that does not build cannot be what was published (which composed).
    comparison = {
      drifted: true,
      differences: [`served SDL not a valid subgraph (${(error as Error).message.split('\n')[0]})`],
    };
  }
  return comparison.drifted
    ? { name, url, status: 'drifted', differences: shortened(comparison.differences), checkedAt: checkedAt() }
    : { name, url, status: 'in-line', checkedAt: checkedAt() };
}

// A subgraph swapped for another one differs everywhere; the first few say enough for a log line.
const MAX_DIFFERENCES = 20;

function shortened(differences: string[]): string[] {
  if (differences.length <= MAX_DIFFERENCES) return differences;
  return [
    ...differences.slice(0, MAX_DIFFERENCES),
    `and ${differences.length - MAX_DIFFERENCES} more differences`,
  ];
}

/** One line for people: `in line`, `DRIFTED: removed A.b, ...` or `unreachable (...)`. */
export function describeDrift(state: DriftState): string {
  if (state.status === 'drifted') return `DRIFTED from its published SDL: ${state.differences?.join(', ')}`;
  if (state.status === 'unreachable') return `unreachable (${state.error})`;
  return 'in line with its published SDL';
}

function expanded(sdl: string): DocumentNode {
  return parse(printSchema(buildSubgraph('subgraph', '', sdl).schema), { noLocation: true });
}

const EXTENSION_KINDS: Partial<Record<Kind, Kind>> = {
  [Kind.SCHEMA_EXTENSION]: Kind.SCHEMA_DEFINITION,
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
};

type Member = { name: { value: string } } & ASTNode;

/**
 * Every definition and member by its schema coordinate (`Type`, `Type.field`, `Enum.VALUE`,
 * `@directive`, `schema`), printed without descriptions and in a canonical order. A type and its
 * extensions share one coordinate, so how a library splits them does not matter.
 */
function coordinates(document: DocumentNode): Map<string, string> {
  const heads = new Map<string, { kind: string; parts: Set<string> }>();
  const members = new Map<string, string>();
  const head = (coordinate: string, kind: string) => {
    let entry = heads.get(coordinate);
    if (!entry) heads.set(coordinate, (entry = { kind, parts: new Set() }));
    return entry;
  };
  for (const definition of document.definitions) {
    const kind = EXTENSION_KINDS[definition.kind] ?? definition.kind;
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      const entry = head('schema', kind);
      for (const directive of definition.directives ?? []) entry.parts.add(printDirective(directive));
      for (const operation of definition.operationTypes ?? []) {
        entry.parts.add(`${operation.operation}: ${operation.type.name.value}`);
      }
      continue;
    }
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      const args = [...(definition.arguments ?? [])].map((arg) => printBare(arg)).sort();
      const locations = definition.locations.map((location) => location.value).sort();
      members.set(
        `@${definition.name.value}`,
        `(${args.join(', ')})${definition.repeatable ? ' repeatable' : ''} on ${locations.join(' | ')}`,
      );
      continue;
    }
    if (!('name' in definition) || !definition.name) continue;
    const typeName = definition.name.value;
    const entry = head(typeName, kind);
    for (const directive of directivesOf(definition)) entry.parts.add(printDirective(directive));
    if ('interfaces' in definition) {
      for (const item of definition.interfaces ?? []) entry.parts.add(`implements ${item.name.value}`);
    }
    if (definition.kind === Kind.UNION_TYPE_DEFINITION || definition.kind === Kind.UNION_TYPE_EXTENSION) {
      for (const item of definition.types ?? []) entry.parts.add(`| ${item.name.value}`);
    }
    const list: readonly Member[] =
      ('fields' in definition && (definition.fields as readonly Member[] | undefined)) ||
      ('values' in definition && (definition.values as readonly Member[] | undefined)) ||
      [];
    for (const member of list) members.set(`${typeName}.${member.name.value}`, printBare(member));
  }
  const all = new Map<string, string>(members);
  for (const [coordinate, entry] of heads) {
    all.set(coordinate, `${entry.kind} ${[...entry.parts].sort().join(' ')}`);
  }
  return all;
}

function directivesOf(definition: DefinitionNode): readonly DirectiveNode[] {
  return 'directives' in definition ? (definition.directives ?? []) : [];
}

/** A directive with its arguments in name order: `@key(fields: "id", resolvable: true)`. */
function printDirective(directive: DirectiveNode): string {
  const args = [...(directive.arguments ?? [])].map((arg) => `${arg.name.value}: ${print(arg.value)}`).sort();
  return `@${directive.name.value}${args.length > 0 ? `(${args.join(', ')})` : ''}`;
}

/**
 * A field, argument, input field or enum value without its description, its arguments and
 * directives in name order.
 */
function printBare(node: Member): string {
  const record = node as unknown as Record<string, unknown>;
  const args = Array.isArray(record.arguments)
    ? `(${(record.arguments as Member[])
        .map((arg) => `${arg.name.value}: ${printBare(arg)}`)
        .sort()
        .join(', ')})`
    : '';
  const type = record.type ? `: ${print(record.type as ASTNode)}` : '';
  const defaultValue = record.defaultValue ? ` = ${print(record.defaultValue as ASTNode)}` : '';
  const directives = ((record.directives as DirectiveNode[] | undefined) ?? [])
    .map(printDirective)
    .sort()
    .join(' ');
  return `${args}${type}${defaultValue}${directives ? ` ${directives}` : ''}`;
}
