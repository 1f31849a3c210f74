import type { EntityManager } from '@mikro-orm/mongodb';
import { slugId } from '@clusterpolisee/kit';
import { PartnerBudget, Project, WorkPackage } from '@clusterpolisee/projects/entities';
import { project, PROJECT_DESCRIPTION, workPackages } from './facts';
import { knownPartnerBudgets, partners, type PartnerFact } from './facts';
import { organisationId } from './organisations';
import { random, SYNTHETIC } from './synthetic';

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

export interface PartnerBudgetSeed {
  partner: PartnerFact;
  cents: number;
  source: string;
}

/**
 * One budget per partner: the two public figures as they are, the rest synthetic, in whole
 * euros, sharing out exactly what remains of the real total so that all add up to it.
 */
export function partnerBudgets(): PartnerBudgetSeed[] {
  const isKnown = (p: PartnerFact) =>
    knownPartnerBudgets.find((k) => k.country === p.country && k.name === p.name);
  const unknown = partners.filter((p) => !isKnown(p));
  const knownCents = knownPartnerBudgets.reduce((sum, k) => sum + k.cents, 0);
  const remainingEuros = (project.totalBudgetCents - knownCents) / 100;
  const next = random(2012);
  const weights = unknown.map(() => 0.5 + next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const euros = weights.map((w) => Math.floor((remainingEuros * w) / weightSum));
  // Flooring leaves a few euros over; the last partner takes them so the total is exact.
  euros[euros.length - 1]! += remainingEuros - euros.reduce((a, b) => a + b, 0);

  let u = 0;
  return partners.map((partner) => {
    const known = isKnown(partner);
    if (known) return { partner, cents: known.cents, source: known.source };
    return { partner, cents: euros[u++]! * 100, source: SYNTHETIC };
  });
}
