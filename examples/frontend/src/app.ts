// What the app asks the hub, typed end to end: variables are checked against the operations, and
// results come back as the generated types, the fragment's fields unmasked where the app shows them.
import type { ApolloClient } from '@apollo/client';
import { getFragmentData, type FragmentType } from './__generated__';
import type { ClaimStatus } from './__generated__/graphql';
import { ClaimsOfProject, OrganisationCard, OrganisationsOfCountry } from './operations';

/** One organisation as the app's lists show it. */
export type Card = ReturnType<typeof card>;

export function card(organisation: FragmentType<typeof OrganisationCard>) {
  return getFragmentData(OrganisationCard, organisation);
}

export async function organisationsOfCountry(client: ApolloClient, country: string, first = 20) {
  const { data, error } = await client.query({
    query: OrganisationsOfCountry,
    variables: { country, first },
  });
  if (error) throw error;
  const organisations = data?.organisations;
  return {
    totalCount: organisations?.totalCount ?? 0,
    organisations: (organisations?.nodes ?? []).map(card),
  };
}

export async function claimsOfProject(
  client: ApolloClient,
  projectId: string,
  options: { first?: number; status?: ClaimStatus } = {},
) {
  const { data, error } = await client.query({
    query: ClaimsOfProject,
    variables: { projectId, first: options.first ?? 20, status: options.status ?? null },
  });
  if (error) throw error;
  const claims = data?.claims;
  return {
    totalCount: claims?.totalCount ?? 0,
    claims: (claims?.nodes ?? []).map(({ organisation, ...claim }) => ({
      ...claim,
      organisation: organisation ? card(organisation) : null,
    })),
  };
}
