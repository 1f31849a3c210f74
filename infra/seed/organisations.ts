/**
 * The organisations every subgraph's seed refers to, at a given scale: the 25 real partners,
 * then, for load tests, `25 × (scale − 1)` synthetic ones. Each subgraph seeds its own records
 * about them and names them by the id the partners subgraph gives them.
 */
import { slugId } from '@clusterpolisee/kit';
import { countries, partners, type PartnerFact } from './facts';

export interface SeedOrganisation {
  id: string;
  name: string;
  country: string;
  /** The public fact, for real partners; undefined for synthetic ones. */
  fact?: PartnerFact;
}

/** The id the partners subgraph gives an organisation. */
export function organisationId(partner: Pick<PartnerFact, 'country' | 'name'>): string {
  return slugId(partner.country, partner.name);
}

export function seedOrganisations(scale: number): SeedOrganisation[] {
  const real = partners.map((fact) => ({
    id: organisationId(fact),
    name: fact.name,
    country: fact.country,
    fact,
  }));
  const synthetic = Array.from({ length: partners.length * Math.max(0, scale - 1) }, (_, i) => {
    const country = countries[i % countries.length]!.code;
    const name = `Synthetic cluster agency ${i + 1}`;
    return { id: organisationId({ country, name }), name, country };
  });
  return [...real, ...synthetic];
}
