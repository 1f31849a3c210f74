/** The bench's workloads: the GraphQL each one sends. */

/** W1, cross-subgraph: partners (partners) with budgets (projects), working groups (knowledge) and events (communications). */
export const W1_QUERY = `query BenchPartnerOverview {
  organisations(first: 25) {
    nodes {
      id
      name
      acronym
      country { code name }
      budgets { total { amount currency } source }
      workingGroups { code title }
      events { title }
    }
  }
}`;

/** W2, single-subgraph: a list from `partners` alone, sent through a gateway or to the subgraph directly. */
export const W2_QUERY = `query BenchOrganisationList {
  organisations(first: 25) {
    nodes { id name acronym country { code name } }
  }
}`;
