import { badUserInput, conflict, requiredText, slugId } from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { PartnerBudget } from '../entities';
import { formatCents, parseCents } from '../money';

export const mutationResolvers: MutationResolvers = {
  setPartnerBudget: async (_root, { input }, { em, loaders }) => {
    const projectId = requiredText('input.projectId', input.projectId, { max: 100 });
    const organisationId = requiredText('input.organisationId', input.organisationId, { max: 100 });
    const totalCents = parseCents('input.amount', input.amount);
    const source = requiredText('input.source', input.source, { max: 500 });
    const project = await loaders.project.load(projectId);
    if (!project)
      throw badUserInput('input.projectId', `project "${projectId}" does not exist; see the projects query`);

    const id = slugId(projectId, organisationId);
    const [existing, budgets] = await Promise.all([
      loaders.partnerBudget.load(id),
      em.find(PartnerBudget, { projectId }),
    ]);
    // slugId folds case and punctuation and is cut at 80 characters, so two different pairs could
    // meet on one id; refuse rather than overwrite the other pair's budget.
    if (existing && (existing.projectId !== projectId || existing.organisationId !== organisationId)) {
      throw conflict(
        `Budget id "${id}" already holds organisation "${existing.organisationId}" in project "${existing.projectId}"`,
        { id },
      );
    }
    const othersCents = budgets
      .filter((budget) => budget._id !== id)
      .reduce((sum, budget) => sum + budget.totalCents, 0);
    const headroomCents = project.totalCents - othersCents;
    if (totalCents > headroomCents) {
      throw badUserInput(
        'input.amount',
        `the partner budgets of ${project.acronym} would exceed its total budget of ${formatCents(project.totalCents)} ${project.currency}; ` +
          `at most ${formatCents(Math.max(headroomCents, 0))} ${project.currency} remains for this organisation`,
      );
    }

    // One atomic single-document write: setting a budget again replaces it, and two first
    // settings racing each other end as one document instead of a duplicate-key error.
    return em.upsert(PartnerBudget, {
      _id: id,
      projectId,
      organisationId,
      totalCents,
      currency: project.currency,
      source,
      updatedAt: new Date(),
    });
  },
};
