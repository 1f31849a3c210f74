import type { EntityManager } from '@mikro-orm/mongodb';
import { WorkingGroup } from '@clusterpolisee/knowledge/entities';
import { PROJECT_DESCRIPTION, workingGroups } from './facts';
import { organisationId } from './organisations';

export async function seedKnowledge(em: EntityManager): Promise<number> {
  await em.upsertMany(
    WorkingGroup,
    workingGroups.map((wg) => {
      const lead = wg.lead ? organisationId(wg.lead) : undefined;
      return {
        _id: wg.code,
        title: wg.title,
        description: wg.description,
        leadOrganisationId: lead,
        // Membership is not public beyond a known lead, so nobody else is listed.
        memberOrganisationIds: lead ? [lead] : [],
        source: PROJECT_DESCRIPTION,
      };
    }),
  );
  return workingGroups.length;
}
