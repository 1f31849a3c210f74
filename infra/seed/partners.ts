import type { EntityManager } from '@mikro-orm/mongodb';
import { slugId } from '@clusterpolisee/kit';
import { Country, Organisation } from '@clusterpolisee/partners/entities';
import { countries, partners, PROJECT_DESCRIPTION, type PartnerFact } from './facts';

/** The id the partners subgraph gives an organisation; other subgraphs' seeds refer to it. */
export function organisationId(partner: Pick<PartnerFact, 'country' | 'name'>): string {
  return slugId(partner.country, partner.name);
}

export async function seedPartners(em: EntityManager): Promise<number> {
  await em.upsertMany(
    Country,
    countries.map((c) => ({
      _id: c.code,
      name: c.name,
      programmeStatus: c.programmeStatus,
      source: PROJECT_DESCRIPTION,
    })),
  );
  await em.upsertMany(
    Organisation,
    partners.map((p) => ({
      _id: organisationId(p),
      name: p.name,
      nameOriginal: p.nameOriginal,
      acronym: p.acronym,
      countryCode: p.country,
      partnerRole: p.lead ? ('LEAD' as const) : ('PARTNER' as const),
      source: PROJECT_DESCRIPTION,
    })),
  );
  return countries.length + partners.length;
}
