/** The bench's workloads: the GraphQL each one sends. */
import { slugId } from '@clusterpolisee/kit';
import { partners, project } from '@clusterpolisee/infra/seed/facts';
import { organisationId } from '@clusterpolisee/infra/seed/organisations';

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

/** The caller of W4: the finance officer of the project's first partner (real, at every scale). */
export const W4_CALLER = { role: 'finance-officer', org: organisationId(partners[0]!) } as const;

/**
 * W4, finance and analysts: what no loader serves. The finance officer's claim list (the subgraph
 * keeps it to its own organisation, in the page and in totalCount; at scale N the real partners
 * file N times as many claims), its budget, and the project's absorption by country, summed in the
 * database over every claim of the project. Needs W4_CALLER's token.
 */
export const W4_QUERY = `query BenchFinanceOverview {
  claims(projectId: "${project.id}", first: 50) {
    totalCount
    nodes { id amount { amount currency } status submittedOn period { id } workPackage { code } }
  }
  partnerBudget(id: "${slugId(project.id, W4_CALLER.org)}") { total { amount currency } }
  absorption(projectId: "${project.id}", by: COUNTRY) {
    key
    budget { amount currency }
    spent { amount }
    paid { amount }
    submitted { amount }
    rate
    suppressed
  }
}`;
