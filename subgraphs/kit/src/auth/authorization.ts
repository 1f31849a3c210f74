import {
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated } from '../errors';
import type { Identity } from './roles';

/** A rule of `@policy`: given the caller and the record (the parent for a field, the value for a type). */
export type PolicyRule = (identity: Identity, record: unknown) => boolean;
export type Policies = Record<string, PolicyRule>;

/** What a field or type declares; each list is OR of AND-groups, as federation defines them. */
interface Requirement {
  authenticated: boolean;
  scopes: string[][];
  policies: string[][];
}

interface ContextWithIdentity {
  identity: Identity;
}

const NONE: Requirement = { authenticated: false, scopes: [], policies: [] };

/**
 * Enforces federation's `@authenticated`, `@requiresScopes` and `@policy` inside the subgraph,
 * where they are declared (the JavaScript gateway enforces none of them), by wrapping only the
 * resolvers they concern; unprotected fields run untouched.
 *
 * - On a field: checked before its resolver runs, so a refused mutation changes nothing. A
 *   field's `@policy` is given the parent record.
 * - On a type: applies to every field returning the type and to `_entities` references to it.
 *   Its `@authenticated`/`@requiresScopes` are checked before; its `@policy` after, on each
 *   value: a refused value is left out of a list, and a single one is a FORBIDDEN error.
 *
 * Anonymous callers get UNAUTHENTICATED, signed-in ones FORBIDDEN, each naming what is missing.
 * A policy named in the SDL without a rule fails at start.
 */
export function enforceAuthorization(schema: GraphQLSchema, policies: Policies): void {
  const requirementOfType = new Map<string, Requirement>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const requirement = readRequirement([type.astNode, ...type.extensionASTNodes]);
    if (requirement !== NONE) requirementOfType.set(type.name, requirement);
  }
  const unknown = new Set<string>();
  const checkPolicies = (requirement: Requirement) =>
    requirement.policies.flat().forEach((name) => policies[name] ?? unknown.add(name));
  requirementOfType.forEach(checkPolicies);

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const own = readRequirement([field.astNode]);
      checkPolicies(own);
      const returned = requirementOfType.get(getNamedType(field.type).name) ?? NONE;
      if (own === NONE && returned === NONE) continue;
      field.resolve = guardField(type, field, own, returned, policies);
    }
    const typeRequirement = requirementOfType.get(type.name);
    if (typeRequirement) guardReferences(type, typeRequirement, policies);
  }
  if (unknown.size > 0) {
    throw new Error(
      `The SDL names @policy rules that the subgraph does not define: ${[...unknown].join(', ')}. ` +
        'Add them to the `policies` passed to createSubgraph.',
    );
  }
}

function guardField(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  own: Requirement,
  returned: Requirement,
  policies: Policies,
): GraphQLFieldResolver<unknown, ContextWithIdentity> {
  const resolve = field.resolve ?? defaultFieldResolver;
  const coordinate = `${type.name}.${field.name}`;
  const valuePolicies = returned.policies;
  return (parent, args, context, info) => {
    const { identity } = context;
    assertAllowed(identity, own, coordinate, policies, parent);
    assertAllowed(identity, { ...returned, policies: [] }, coordinate, policies, undefined);
    const result = resolve(parent, args, context, info);
    if (valuePolicies.length === 0) return result;
    const typename = getNamedType(field.type).name;
    return Promise.resolve(result).then((value) =>
      Array.isArray(value)
        ? value.filter((item) => item == null || passes(identity, valuePolicies, policies, item))
        : value == null || passes(identity, valuePolicies, policies, value)
          ? value
          : Promise.reject(refusedPolicy(identity, typename)),
    );
  };
}

type ResolveReference = (reference: unknown, context: ContextWithIdentity, info: unknown) => unknown;

/** `_entities` resolves references through the `resolveReference` that buildSubgraphSchema keeps in the type's extensions. */
function guardReferences(type: GraphQLObjectType, requirement: Requirement, policies: Policies): void {
  const extensions = type.extensions as { apollo?: { subgraph?: { resolveReference?: ResolveReference } } };
  const resolveReference: ResolveReference =
    extensions.apollo?.subgraph?.resolveReference ?? ((reference: unknown) => reference);
  const guarded: ResolveReference = (reference, context, info) => {
    const { identity } = context;
    assertAllowed(identity, { ...requirement, policies: [] }, type.name, policies, undefined);
    const result = resolveReference(reference, context, info);
    if (requirement.policies.length === 0) return result;
    return Promise.resolve(result).then((value) =>
      value == null || passes(identity, requirement.policies, policies, value)
        ? value
        : Promise.reject(refusedPolicy(identity, type.name)),
    );
  };
  type.extensions = {
    ...type.extensions,
    apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } },
  };
}

function assertAllowed(
  identity: Identity,
  requirement: Requirement,
  coordinate: string,
  policies: Policies,
  parent: unknown,
): void {
  const anonymous = identity.role === 'anonymous';
  if ((requirement.authenticated || requirement.scopes.length > 0) && anonymous) {
    throw unauthenticated(
      `${coordinate} is for signed-in partners only: send a token in the Authorization header (see the README, "Security")`,
    );
  }
  if (
    requirement.scopes.length > 0 &&
    !requirement.scopes.some((group) => group.every((scope) => identity.scopes.has(scope)))
  ) {
    const needed = requirement.scopes.map((group) => group.join(' and ')).join(', or ');
    throw forbidden(
      `${coordinate} requires the scope ${needed}, which the role ${identity.role} does not have`,
      {
        requiredScopes: requirement.scopes,
      },
    );
  }
  if (requirement.policies.length > 0 && !passes(identity, requirement.policies, policies, parent)) {
    throw forbidden(
      `${coordinate} is not open to a ${identity.role}${identity.organisationId ? ` of ${identity.organisationId}` : ''} for this record`,
    );
  }
}

function passes(identity: Identity, groups: string[][], policies: Policies, record: unknown): boolean {
  return groups.some((group) => group.every((name) => policies[name]!(identity, record)));
}

function refusedPolicy(identity: Identity, typename: string) {
  return forbidden(
    `this ${typename} is not open to a ${identity.role}${identity.organisationId ? ` of ${identity.organisationId}` : ''}`,
  );
}

function readRequirement(
  nodes: readonly ({ directives?: readonly ConstDirectiveNode[] } | null | undefined)[],
) {
  let authenticated = false;
  const scopes: string[][] = [];
  const policies: string[][] = [];
  for (const node of nodes) {
    for (const directive of node?.directives ?? []) {
      const name = directive.name.value;
      if (name === 'authenticated') authenticated = true;
      else if (name === 'requiresScopes') scopes.push(...groups(directive, 'scopes'));
      else if (name === 'policy') policies.push(...groups(directive, 'policies'));
    }
  }
  return authenticated || scopes.length > 0 || policies.length > 0
    ? { authenticated, scopes, policies }
    : NONE;
}

function groups(directive: ConstDirectiveNode, argument: string): string[][] {
  const value = directive.arguments?.find((arg) => arg.name.value === argument)?.value;
  return value ? (valueFromASTUntyped(value) as string[][]) : [];
}
