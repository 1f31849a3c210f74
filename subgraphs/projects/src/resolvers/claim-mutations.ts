import { randomBytes } from 'node:crypto';
import type { EntityData, EntityManager } from '@mikro-orm/mongodb';
import type { GraphQLError } from 'graphql';
import {
  boundOrganisation,
  assertMayChange,
  badUserInput,
  changedOnly,
  conflict,
  flushNew,
  forbidden,
  formatIsoDate,
  isoDate,
  loadForUpdate,
  optionalText,
  requiredText,
  setArchived,
  slugId,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import {
  ExpenditureClaim,
  PartnerBudget,
  Project,
  ReportingPeriod,
  WorkPackage,
  type ClaimStatus,
} from '../entities';
import { changeClaimHold, type ClaimShare } from '../budget-holds';
import { formatCents, parseCents } from '../money';
import { notInFuture, today } from '../rules';

async function checkPeriod(
  em: EntityManager,
  project: Project,
  periodId: string,
  field: string,
): Promise<ReportingPeriod> {
  const period = await em.findOne(ReportingPeriod, {
    _id: periodId,
    projectId: project._id,
    archived: false,
  });
  if (!period) throw badUserInput(field, `"${periodId}" is not a reporting period of ${project.acronym}`);
  return period;
}

/**
 * A claim reports what was spent in its period, so it is submitted once the period has begun
 * (usually after it ends, which may be after the project ends), and never on a future date.
 * `field` names the input to correct: the date, or the period when only that changed.
 */
function checkSubmittedOn(submittedOn: Date, period: ReportingPeriod, field: string): void {
  if (submittedOn < period.startDate) {
    throw badUserInput(
      field,
      `the claim's submission date ${formatIsoDate(submittedOn)} is before reporting period ${period.number} ` +
        `(${formatIsoDate(period.startDate)} to ${formatIsoDate(period.endDate)}) begins; a claim is submitted on or after its period's start`,
    );
  }
  notInFuture(field, submittedOn);
}

async function checkWorkPackage(em: EntityManager, project: Project, workPackageId: string, field: string) {
  const wp = await em.findOne(WorkPackage, { _id: workPackageId, projectId: project._id, archived: false });
  if (!wp) throw badUserInput(field, `"${workPackageId}" is not a work package of ${project.acronym}`);
}

/**
 * Claims may not take a partner above its budget unless someone says why. All its live claims
 * count, whatever their status, since a submitted claim is money asked for. The rule is checked
 * on the budget's ledger account in turn with simultaneous claims (budget-holds.ts), never on a
 * sum read beforehand; `remainingForClaimCents` leaves out what the claim being changed holds.
 */
function overBudget(budget: PartnerBudget, remainingForClaimCents: number): GraphQLError {
  return badUserInput(
    'input.amount',
    `is above the remaining budget of ${budget.organisationId}: ${formatCents(Math.max(remainingForClaimCents, 0))} ${budget.currency} ` +
      `of ${formatCents(budget.totalCents)} remain; give an overrideReason to claim more`,
  );
}

const share = (claim: Pick<ExpenditureClaim, 'amountCents' | 'overrideReason'>): ClaimShare => ({
  amountCents: claim.amountCents,
  withReason: claim.overrideReason != null,
});

/** Illegal transitions name the claim's `id`: it is the claim's state, not an input, that is wrong. */
function checkStatus(claim: ExpenditureClaim, expected: ClaimStatus, action: string): void {
  if (claim.status !== expected) {
    throw badUserInput(
      'id',
      `claim "${claim._id}" is ${claim.status}; only a ${expected} claim can be ${action}`,
    );
  }
}

export const claimMutations: MutationResolvers = {
  submitClaim: async (_root, { input }, { em }) => {
    const projectId = requiredText('input.projectId', input.projectId, { max: 100 });
    const organisationId = requiredText('input.organisationId', input.organisationId, { max: 100 });
    const periodId = requiredText('input.periodId', input.periodId, { max: 100 });
    const workPackageId = requiredText('input.workPackageId', input.workPackageId, { max: 100 });
    const amountCents = parseCents('input.amount', input.amount);
    const submittedOn = input.submittedOn != null ? isoDate('input.submittedOn', input.submittedOn) : today();
    const overrideReason = optionalText('input.overrideReason', input.overrideReason, { max: 1000 });
    const source = requiredText('input.source', input.source);
    const id = slugId(projectId, 'claim', randomBytes(6).toString('hex'));
    // Before any lookup: the checks below would tell another organisation's finance officer
    // whether this one has a budget and how much of it remains unclaimed.
    assertMayChange(em, 'ExpenditureClaim', id, Object.assign(new ExpenditureClaim(), { organisationId }));
    const project = await em.findOne(Project, { _id: projectId, archived: false });
    if (!project)
      throw badUserInput('input.projectId', `project "${projectId}" does not exist or is archived`);
    const budget = await em.findOne(PartnerBudget, { projectId, organisationId, archived: false });
    if (!budget)
      throw badUserInput(
        'input.organisationId',
        `"${organisationId}" has no budget in ${project.acronym}; set one first`,
      );
    const period = await checkPeriod(em, project, periodId, 'input.periodId');
    checkSubmittedOn(submittedOn, period, 'input.submittedOn');
    await checkWorkPackage(em, project, workPackageId, 'input.workPackageId');

    const claim = em.create(ExpenditureClaim, {
      _id: id,
      projectId,
      organisationId,
      periodId,
      workPackageId,
      countryCode: budget.countryCode,
      amountCents,
      currency: budget.currency,
      status: 'SUBMITTED',
      submittedOn,
      overrideReason,
      source,
    });
    await changeClaimHold(em, {
      budgetId: budget._id,
      claimId: id,
      before: null,
      after: share(claim),
      write: () => flushNew(em, () => conflict(`Claim "${id}" exists already; retry`, { id })),
      overBudget: (remaining) => overBudget(budget, remaining),
    });
    return claim;
  },

  updateClaim: async (_root, { id, version, input }, { em }) => {
    const current = await loadForUpdate(em, ExpenditureClaim, 'ExpenditureClaim', id, version);
    checkStatus(current, 'SUBMITTED', 'updated');
    const project = await em.findOneOrFail(Project, { _id: current.projectId });
    const change = updateInput(input);
    const submittedOn = change.required('submittedOn', (v, f) => isoDate(f, v));
    const changes: EntityData<ExpenditureClaim> = changedOnly({
      periodId: change.required('periodId', (v, f) => requiredText(f, v, { max: 100 })),
      workPackageId: change.required('workPackageId', (v, f) => requiredText(f, v, { max: 100 })),
      amountCents: change.required('amount', (v, f) => parseCents(f, v)),
      submittedOn,
      overrideReason: change.optional('overrideReason', (v, f) => optionalText(f, v, { max: 1000 })),
      source: change.required('source', (v, f) => requiredText(f, v)),
    });
    const period = changes.periodId
      ? await checkPeriod(em, project, changes.periodId, 'input.periodId')
      : undefined;
    if (changes.workPackageId)
      await checkWorkPackage(em, project, changes.workPackageId, 'input.workPackageId');
    if (submittedOn) {
      // The stored period is the one to respect when the period stays as it is.
      const within = period ?? (await em.findOneOrFail(ReportingPeriod, { _id: current.periodId }));
      checkSubmittedOn(submittedOn, within, 'input.submittedOn');
    } else if (period) {
      checkSubmittedOn(current.submittedOn, period, 'input.periodId');
    }
    const before = share(current);
    const after = share({
      amountCents: changes.amountCents ?? current.amountCents,
      overrideReason:
        'overrideReason' in changes ? (changes.overrideReason ?? undefined) : current.overrideReason,
    });
    const write = () => updateVersioned(em, ExpenditureClaim, 'ExpenditureClaim', id, version, changes);
    if (after.amountCents === before.amountCents && after.withReason === before.withReason) return write();
    const budget = await em.findOne(PartnerBudget, {
      projectId: current.projectId,
      organisationId: current.organisationId,
      archived: false,
    });
    if (!budget)
      throw badUserInput(
        'input.amount',
        `"${current.organisationId}" has no budget in ${project.acronym} any more`,
      );
    return changeClaimHold(em, {
      budgetId: budget._id,
      claimId: id,
      before,
      after,
      write,
      overBudget: (remaining) => overBudget(budget, remaining),
    });
  },

  validateClaim: async (_root, { id, version, controller, validatedOn }, { em }) => {
    const name = requiredText('controller', controller, { max: 200 });
    const date = isoDate('validatedOn', validatedOn);
    const current = await loadForUpdate(em, ExpenditureClaim, 'ExpenditureClaim', id, version);
    checkStatus(current, 'SUBMITTED', 'validated');
    if (date < current.submittedOn) {
      throw badUserInput(
        'validatedOn',
        `must not be before the claim was submitted, ${formatIsoDate(current.submittedOn)}`,
      );
    }
    notInFuture('validatedOn', date);
    return updateVersioned(em, ExpenditureClaim, 'ExpenditureClaim', id, version, {
      status: 'VALIDATED',
      controller: name,
      validatedOn: date,
    });
  },

  markClaimPaid: async (_root, { id, version }, { em }) => {
    const current = await loadForUpdate(em, ExpenditureClaim, 'ExpenditureClaim', id, version);
    checkStatus(current, 'VALIDATED', 'marked paid');
    return updateVersioned(em, ExpenditureClaim, 'ExpenditureClaim', id, version, { status: 'PAID' });
  },

  archiveClaim: async (_root, { id, version }, { em, identity }) => {
    const current = await loadForUpdate(em, ExpenditureClaim, 'ExpenditureClaim', id, version);
    // A validated or paid claim is certified spend: its partner may not make it disappear.
    if (boundOrganisation(identity) !== undefined && current.status !== 'SUBMITTED') {
      throw forbidden(
        `claim "${id}" is ${current.status}: a ${identity.role} may withdraw only a SUBMITTED claim; ask the coordinator`,
        { typename: 'ExpenditureClaim', key: id },
      );
    }
    const write = () => setArchived(em, ExpenditureClaim, 'ExpenditureClaim', id, version, true);
    const budget = current.archived
      ? null
      : await em.findOne(PartnerBudget, {
          projectId: current.projectId,
          organisationId: current.organisationId,
        });
    if (!budget) return write();
    // Given back only once this request's versioned write archived the claim, so at most once.
    return changeClaimHold(em, {
      budgetId: budget._id,
      claimId: id,
      before: share(current),
      after: null,
      write,
      giveOnce: `archive ${id}`,
      overBudget: (remaining) => overBudget(budget, remaining),
    });
  },
};
