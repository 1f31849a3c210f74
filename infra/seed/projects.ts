import type { EntityManager } from '@mikro-orm/mongodb';
import { slugId } from '@clusterpolisee/kit';
import { PartnerBudget, Project, WorkPackage } from '@clusterpolisee/projects/entities';
import { project, PROJECT_DESCRIPTION, workPackages } from './facts';
import { organisationId } from './partners';
import { partnerBudgets } from './synthetic';

export async function seedProjects(em: EntityManager): Promise<number> {
  await em.upsert(Project, {
    _id: project.id,
    acronym: project.acronym,
    title: project.title,
    reference: project.reference,
    programme: project.programme,
    startDate: new Date(`${project.startDate}T00:00:00Z`),
    endDate: new Date(`${project.endDate}T00:00:00Z`),
    totalCents: project.totalBudgetCents,
    currency: project.currency,
    source: project.source,
  });
  await em.upsertMany(
    WorkPackage,
    workPackages.map((wp) => ({
      _id: slugId(project.id, wp.code),
      code: wp.code,
      title: wp.title,
      projectId: project.id,
      source: PROJECT_DESCRIPTION,
    })),
  );
  const budgets = partnerBudgets();
  await em.upsertMany(
    PartnerBudget,
    budgets.map((budget) => {
      const organisation = organisationId(budget.partner);
      return {
        _id: slugId(project.id, organisation),
        projectId: project.id,
        organisationId: organisation,
        totalCents: budget.cents,
        currency: project.currency,
        source: budget.source,
      };
    }),
  );
  return 1 + workPackages.length + budgets.length;
}
