/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment OrganisationCard on Organisation {\n    id\n    name\n    acronym\n    type\n    country {\n      code\n      name\n    }\n  }\n": typeof types.OrganisationCardFragmentDoc,
    "\n  query OrganisationsOfCountry($country: ID!, $first: Int = 20) {\n    organisations(filter: { country: $country }, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      nodes {\n        ...OrganisationCard\n      }\n    }\n  }\n": typeof types.OrganisationsOfCountryDocument,
    "\n  query ClaimsOfProject($projectId: ID!, $first: Int = 20, $status: ClaimStatus) {\n    claims(projectId: $projectId, first: $first, filter: { status: $status }) {\n      totalCount\n      nodes {\n        id\n        status\n        submittedOn\n        amount {\n          amount\n          currency\n        }\n        organisation {\n          ...OrganisationCard\n        }\n      }\n    }\n  }\n": typeof types.ClaimsOfProjectDocument,
};
const documents: Documents = {
    "\n  fragment OrganisationCard on Organisation {\n    id\n    name\n    acronym\n    type\n    country {\n      code\n      name\n    }\n  }\n": types.OrganisationCardFragmentDoc,
    "\n  query OrganisationsOfCountry($country: ID!, $first: Int = 20) {\n    organisations(filter: { country: $country }, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      nodes {\n        ...OrganisationCard\n      }\n    }\n  }\n": types.OrganisationsOfCountryDocument,
    "\n  query ClaimsOfProject($projectId: ID!, $first: Int = 20, $status: ClaimStatus) {\n    claims(projectId: $projectId, first: $first, filter: { status: $status }) {\n      totalCount\n      nodes {\n        id\n        status\n        submittedOn\n        amount {\n          amount\n          currency\n        }\n        organisation {\n          ...OrganisationCard\n        }\n      }\n    }\n  }\n": types.ClaimsOfProjectDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganisationCard on Organisation {\n    id\n    name\n    acronym\n    type\n    country {\n      code\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment OrganisationCard on Organisation {\n    id\n    name\n    acronym\n    type\n    country {\n      code\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganisationsOfCountry($country: ID!, $first: Int = 20) {\n    organisations(filter: { country: $country }, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      nodes {\n        ...OrganisationCard\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganisationsOfCountry($country: ID!, $first: Int = 20) {\n    organisations(filter: { country: $country }, first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      nodes {\n        ...OrganisationCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClaimsOfProject($projectId: ID!, $first: Int = 20, $status: ClaimStatus) {\n    claims(projectId: $projectId, first: $first, filter: { status: $status }) {\n      totalCount\n      nodes {\n        id\n        status\n        submittedOn\n        amount {\n          amount\n          currency\n        }\n        organisation {\n          ...OrganisationCard\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ClaimsOfProject($projectId: ID!, $first: Int = 20, $status: ClaimStatus) {\n    claims(projectId: $projectId, first: $first, filter: { status: $status }) {\n      totalCount\n      nodes {\n        id\n        status\n        submittedOn\n        amount {\n          amount\n          currency\n        }\n        organisation {\n          ...OrganisationCard\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;