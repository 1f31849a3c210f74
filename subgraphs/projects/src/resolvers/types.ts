import { boundOrganisation, formatIsoDate } from '@clusterpolisee/kit';
import type { Resolvers } from '../__generated__/resolvers';
import type { AbsorptionRow, ClaimStatus } from '../entities';
import type { Context } from '../loaders';
import { exactRatio, money } from '../money';
import { projectsSettings } from '../settings';

/**
 * Whether an absorption figure of the row's claims in `statuses` is withheld from the caller.
 * Those who may read every claim anyway (read:claims, bound to no organisation: controllers, the
 * coordinator, analysts, admins) see all, without the count being asked; anonymous callers and a
 * partner's people (whose read:claims covers their own organisation only) see a figure of no
 * claims or of at least ABSORPTION_MIN_CLAIMS, so that no partner's single claim can be read off
 * a small cell.
 */
async function withheld(
  row: AbsorptionRow,
  statuses: readonly ClaimStatus[],
  { identity, loaders }: Context,
): Promise<boolean> {
  if (identity.scopes.has('read:claims') && boundOrganisation(identity) === undefined) return false;
  const counts = await loaders.absorptionClaimCounts[row.dimension].load(row.projectId);
  const claims = statuses.reduce((sum, status) => sum + (counts.get(`${row.key} ${status}`) ?? 0), 0);
  return claims > 0 && claims < projectsSettings().absorptionMinClaims;
}

const SPENT: readonly ClaimStatus[] = ['VALIDATED', 'PAID'];

/** A stored reference that must exist: a missing one is corrupt data, not a client error. */
function required<T>(value: T | null, what: string): T {
  if (!value) throw new Error(`Dangling reference: ${what}`);
  return value;
}

export const typeResolvers: Resolvers = {
  Programme: {
    __resolveReference: (reference, { loaders }) => loaders.programme.load(reference.id),
    projects: (programme, _args, { loaders }) => loaders.projectsByProgramme.load(programme._id),
  },
  Project: {
    __resolveReference: (reference, { loaders }) => loaders.project.load(reference.id),
    programme: async (project, _args, { loaders }) =>
      required(await loaders.programme.load(project.programmeId), `programme ${project.programmeId}`),
    startDate: (project) => formatIsoDate(project.startDate),
    endDate: (project) => formatIsoDate(project.endDate),
    totalBudget: (project) => money(project.totalCents, project.currency),
    workPackages: (project, _args, { loaders }) => loaders.workPackagesByProject.load(project._id),
    reportingPeriods: (project, _args, { loaders }) => loaders.periodsByProject.load(project._id),
    budgets: (project, _args, { loaders }) => loaders.budgetsByProject.load(project._id),
    absorption: (project, { by }, { loaders }) => loaders.absorption[by].load(project._id),
  },
  WorkPackage: {
    __resolveReference: (reference, { loaders }) => loaders.workPackage.load(reference.id),
    project: async (workPackage, _args, { loaders }) =>
      required(await loaders.project.load(workPackage.projectId), `project ${workPackage.projectId}`),
    lead: (workPackage) => (workPackage.leadOrganisationId ? { id: workPackage.leadOrganisationId } : null),
  },
  BudgetLine: {
    workPackage: async (line, _args, { loaders }) =>
      required(await loaders.workPackage.load(line.workPackageId), `work package ${line.workPackageId}`),
    amount: (line) => money(line.cents, line.currency ?? 'EUR'),
  },
  PartnerBudget: {
    organisation: (budget) => ({ id: budget.organisationId }),
    project: async (budget, _args, { loaders }) =>
      required(await loaders.project.load(budget.projectId), `project ${budget.projectId}`),
    total: (budget) => money(budget.totalCents, budget.currency),
    erdf: (budget) => money(budget.erdfCents, budget.currency),
    ipa: (budget) => money(budget.ipaCents, budget.currency),
    nationalContribution: (budget) => money(budget.nationalCents, budget.currency),
    coFinancingRate: (budget) => exactRatio(budget.erdfCents + budget.ipaCents, budget.totalCents),
    lines: (budget) => budget.lines.map((line) => ({ ...line, currency: budget.currency })),
  },
  ReportingPeriod: {
    __resolveReference: (reference, { loaders }) => loaders.reportingPeriod.load(reference.id),
    project: async (period, _args, { loaders }) =>
      required(await loaders.project.load(period.projectId), `project ${period.projectId}`),
    startDate: (period) => formatIsoDate(period.startDate),
    endDate: (period) => formatIsoDate(period.endDate),
  },
  ExpenditureClaim: {
    __resolveReference: (reference, { loaders }) => loaders.claim.load(reference.id),
    project: async (claim, _args, { loaders }) =>
      required(await loaders.project.load(claim.projectId), `project ${claim.projectId}`),
    organisation: (claim) => ({ id: claim.organisationId }),
    period: async (claim, _args, { loaders }) =>
      required(await loaders.reportingPeriod.load(claim.periodId), `period ${claim.periodId}`),
    workPackage: async (claim, _args, { loaders }) =>
      required(await loaders.workPackage.load(claim.workPackageId), `work package ${claim.workPackageId}`),
    amount: (claim) => money(claim.amountCents, claim.currency),
    submittedOn: (claim) => formatIsoDate(claim.submittedOn),
    validatedOn: (claim) => (claim.validatedOn ? formatIsoDate(claim.validatedOn) : null),
  },
  AbsorptionRow: {
    organisation: (row) => (row.dimension === 'PARTNER' ? { id: row.key } : null),
    workPackage: (row, _args, { loaders }) =>
      row.dimension === 'WORK_PACKAGE' ? loaders.workPackage.load(row.key) : null,
    period: (row, _args, { loaders }) =>
      row.dimension === 'PERIOD' ? loaders.reportingPeriod.load(row.key) : null,
    budget: (row) => (row.budgetCents === null ? null : money(row.budgetCents, row.currency)),
    spent: async (row, _args, context) =>
      (await withheld(row, SPENT, context)) ? null : money(row.validatedCents + row.paidCents, row.currency),
    validated: async (row, _args, context) =>
      (await withheld(row, ['VALIDATED'], context)) ? null : money(row.validatedCents, row.currency),
    paid: async (row, _args, context) =>
      (await withheld(row, ['PAID'], context)) ? null : money(row.paidCents, row.currency),
    submitted: async (row, _args, context) =>
      (await withheld(row, ['SUBMITTED'], context)) ? null : money(row.submittedCents, row.currency),
    rate: async (row, _args, context) =>
      row.budgetCents === null || (await withheld(row, SPENT, context))
        ? null
        : exactRatio(row.validatedCents + row.paidCents, row.budgetCents),
    suppressed: async (row, _args, context) =>
      (
        await Promise.all(
          ([SPENT, ['VALIDATED'], ['PAID'], ['SUBMITTED']] as const).map((statuses) =>
            withheld(row, statuses, context),
          ),
        )
      ).some(Boolean),
  },
  Organisation: {
    // The partners subgraph owns organisations: any id is answered, and an unknown one has none.
    __resolveReference: (reference) => ({ id: reference.id }),
    budgets: (organisation, _args, { loaders }) => loaders.budgetsByOrganisation.load(organisation.id),
    claims: (organisation, _args, { loaders, identity }) => {
      const ownOrganisation = boundOrganisation(identity);
      // Another organisation's claims are not even asked of the database.
      if (ownOrganisation !== undefined && ownOrganisation !== organisation.id) return [];
      return loaders.claimsByOrganisation.load(organisation.id);
    },
  },
};
