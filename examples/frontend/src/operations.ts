// The operations this app sends. `graphql()` is generated from these very texts: after editing one,
// run `npm run codegen -w examples/frontend` and the results are typed accordingly.
import { graphql } from './__generated__';

/** How an organisation appears in this app's lists: one fragment, spread wherever one is shown. */
export const OrganisationCard = graphql(`
  fragment OrganisationCard on Organisation {
    id
    name
    acronym
    type
    country {
      code
      name
    }
  }
`);

/** Public: the partner organisations of one country (anonymous callers may ask). */
export const OrganisationsOfCountry = graphql(`
  query OrganisationsOfCountry($country: ID!, $first: Int = 20) {
    organisations(filter: { country: $country }, first: $first, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      nodes {
        ...OrganisationCard
      }
    }
  }
`);

/**
 * Not public: expenditure claims need a token with read:claims. A finance officer sees only the
 * claims of the organisation in its token, in the nodes and in totalCount.
 */
export const ClaimsOfProject = graphql(`
  query ClaimsOfProject($projectId: ID!, $first: Int = 20, $status: ClaimStatus) {
    claims(projectId: $projectId, first: $first, filter: { status: $status }) {
      totalCount
      nodes {
        id
        status
        submittedOn
        amount {
          amount
          currency
        }
        organisation {
          ...OrganisationCard
        }
      }
    }
  }
`);
