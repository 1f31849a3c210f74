import type { EntityManager } from '@mikro-orm/mongodb';
import { organisationId } from './organisations';
import { Country, Organisation } from '@clusterpolisee/partners/entities';
import { countries, partners, PROJECT_DESCRIPTION } from './facts';

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
