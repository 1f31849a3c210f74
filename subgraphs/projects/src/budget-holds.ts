import type { EntityManager } from '@mikro-orm/mongodb';
import type { GraphQLError } from 'graphql';
import { ExpenditureClaim, PartnerBudget, Project } from './entities';
import { enter, firstTime, lastEntry, reopen, type Account } from './ledger';
import { sumCents } from './rules';

/**
 * The two money rules that span many documents, held on ledger accounts (ledger.ts):
 * - a partner's live claims without an override reason never take it above its budget's total:
 *   account `budget:<id>`, with `remainingCents` (the total less every live claim, negative once
 *   claims with a reason pass it) and `claimedWithoutReasonCents`;
 * - a project's live partner budgets never add up to more than its total: account
 *   `project:<id>`, with `unbudgetedCents` (the total less every live partner budget).
 *
 * Order, so that a crash can only leave an account holding too much, never too little: what a
 * change takes (a new or larger claim, a reason withdrawn, a lower total, a new or larger partner
 * budget) is entered before the record is written, and given back by another entry if that write
 * fails; what a change gives back is entered only after the write succeeded. A process that dies
 * between the two leaves an entry whose record change never happened: the partner or project
 * shows less room than its records justify until the account is recounted (`recountAccounts`,
 * while nothing changes what it counts, as the seed does). It can never leave a record that the
 * account does not count, so the rules still hold.
 */

export interface BudgetFigures extends Record<string, number> {
  remainingCents: number;
  claimedWithoutReasonCents: number;
}

export interface ProjectFigures extends Record<string, number> {
  unbudgetedCents: number;
}

export function budgetAccount(em: EntityManager, budgetId: string): Account<BudgetFigures> {
  return {
    id: `budget:${budgetId}`,
    opening: async () => {
      const budget = await em.findOne(PartnerBudget, { _id: budgetId }, { refresh: true });
      if (!budget) return null;
      const live = { projectId: budget.projectId, organisationId: budget.organisationId, archived: false };
      const [claimed, withoutReason] = await Promise.all([
        sumCents(em, ExpenditureClaim, live, 'amountCents'),
        sumCents(em, ExpenditureClaim, { ...live, overrideReason: null }, 'amountCents'),
      ]);
      return { remainingCents: budget.totalCents - claimed, claimedWithoutReasonCents: withoutReason };
    },
  };
}

export function projectAccount(em: EntityManager, projectId: string): Account<ProjectFigures> {
  return {
    id: `project:${projectId}`,
    opening: async () => {
      const project = await em.findOne(Project, { _id: projectId }, { refresh: true });
      if (!project) return null;
      const budgeted = await sumCents(em, PartnerBudget, { projectId, archived: false }, 'totalCents');
      return { unbudgetedCents: project.totalCents - budgeted };
    },
  };
}

/**
 * Sums again the accounts of these projects and their partner budgets from the stored records,
 * in a few aggregations whatever their number (see ledger.ts `reopen` for when this is safe).
 */
export async function recountAccounts(em: EntityManager, projectIds: string[]): Promise<void> {
  const live = { projectId: { $in: projectIds }, archived: false };
  // One accumulator per $group: FerretDB 1.24 gives 0 for every one after the first.
  const byPartner = (match: object) =>
    em.aggregate(ExpenditureClaim, [
      { $match: { ...live, ...match } },
      { $group: { _id: { p: '$projectId', o: '$organisationId' }, cents: { $sum: '$amountCents' } } },
    ]) as Promise<{ _id: { p: string; o: string }; cents: number }[]>;
  const [projects, budgets, claimed, withoutReason, budgeted] = await Promise.all([
    em.find(Project, { _id: { $in: projectIds } }),
    em.find(PartnerBudget, { projectId: { $in: projectIds } }),
    byPartner({}),
    byPartner({ overrideReason: null }),
    em.aggregate(PartnerBudget, [
      { $match: live },
      { $group: { _id: '$projectId', cents: { $sum: '$totalCents' } } },
    ]) as Promise<{ _id: string; cents: number }[]>,
  ]);
  const byKey = (rows: { _id: { p: string; o: string }; cents: number }[]) =>
    new Map(rows.map((row) => [`${row._id.p} ${row._id.o}`, row.cents]));
  const [claimedBy, withoutReasonBy] = [byKey(claimed), byKey(withoutReason)];
  const cents = (sums: Map<string, number>, budget: PartnerBudget) =>
    sums.get(`${budget.projectId} ${budget.organisationId}`) ?? 0;
  await reopen(em, [
    ...projects.map((project) => ({
      id: projectAccount(em, project._id).id,
      figures: {
        unbudgetedCents: project.totalCents - (budgeted.find((row) => row._id === project._id)?.cents ?? 0),
      },
    })),
    ...budgets.map((budget) => ({
      id: budgetAccount(em, budget._id).id,
      figures: {
        remainingCents: budget.totalCents - cents(claimedBy, budget),
        claimedWithoutReasonCents: cents(withoutReasonBy, budget),
      },
    })),
  ]);
}

/**
 * Takes `takeCents` (> 0) from an account figure that must stay at zero or above, runs `write`,
 * and gives it back if the write fails; `refuse` gets what there was.
 */
async function around<T, F extends Record<string, number>>(
  em: EntityManager,
  account: Account<F>,
  figure: keyof F & string,
  takeCents: number,
  cause: string,
  refuse: (availableCents: number) => GraphQLError,
  write: () => Promise<T>,
): Promise<T> {
  await enter(em, account, { [figure]: -takeCents } as Partial<F>, cause, (before) => {
    if (before[figure]! < takeCents) throw refuse(before[figure]!);
  });
  try {
    return await write();
  } catch (error) {
    await enter(em, account, { [figure]: takeCents } as Partial<F>, cause);
    throw error;
  }
}

// --- Claims against a partner budget -------------------------------------------------------------

/** What a live claim holds of its partner's budget. */
export interface ClaimShare {
  amountCents: number;
  /** A claim with an override reason was accepted above the budget on purpose. */
  withReason: boolean;
}

function held(share: ClaimShare | null): BudgetFigures {
  if (!share) return { remainingCents: 0, claimedWithoutReasonCents: 0 };
  return {
    remainingCents: -share.amountCents,
    claimedWithoutReasonCents: share.withReason ? 0 : share.amountCents,
  };
}

export interface ClaimHoldOptions<T> {
  budgetId: string;
  claimId: string;
  /** What the claim held before the change (null for a new claim). */
  before: ClaimShare | null;
  /** What it holds after it (null when it is archived). */
  after: ClaimShare | null;
  /** Writes the claim. */
  write: () => Promise<T>;
  /** The refusal when the budget holds too little for the claim, given what remains for it. */
  overBudget: (remainingForClaimCents: number) => GraphQLError;
  /**
   * Gives back at most once for this key (archiving a claim): FerretDB may let two simultaneous
   * versioned writes of one version both succeed (ledger.ts).
   */
  giveOnce?: string;
}

/**
 * Moves what a claim holds of its budget from `before` to `after` around the claim's write. A
 * claim without an override reason is taken only if the remainder stays at zero or above, so that
 * such claims stay within the total; one with a reason is taken whatever remains.
 */
export async function changeClaimHold<T>(em: EntityManager, options: ClaimHoldOptions<T>): Promise<T> {
  const { claimId, before, after } = options;
  const account = budgetAccount(em, options.budgetId);
  const next = held(after);
  const previous = held(before);
  const remaining = next.remainingCents - previous.remainingCents;
  const withoutReason = next.claimedWithoutReasonCents - previous.claimedWithoutReasonCents;
  const take = {
    remainingCents: Math.min(remaining, 0),
    claimedWithoutReasonCents: Math.max(withoutReason, 0),
  };
  const give = {
    remainingCents: Math.max(remaining, 0),
    claimedWithoutReasonCents: Math.min(withoutReason, 0),
  };
  const isZero = (f: BudgetFigures) => f.remainingCents === 0 && f.claimedWithoutReasonCents === 0;
  // Made sure of before the claim is written, even when nothing is taken: see Account.opening.
  await lastEntry(em, account);
  if (!isZero(take)) {
    await enter(em, account, take, claimId, (last) => {
      if (after && !after.withReason && last.remainingCents + take.remainingCents < 0)
        throw options.overBudget(last.remainingCents + (before?.amountCents ?? 0));
    });
  }
  let result: T;
  try {
    result = await options.write();
  } catch (error) {
    if (!isZero(take)) {
      const back = {
        remainingCents: -take.remainingCents,
        claimedWithoutReasonCents: -take.claimedWithoutReasonCents,
      };
      await enter(em, account, back, claimId);
    }
    throw error;
  }
  if (!isZero(give) && (!options.giveOnce || (await firstTime(em, options.giveOnce))))
    await enter(em, account, give, claimId);
  return result;
}

// --- A partner budget's total ------------------------------------------------------------------

export interface BudgetChangeOptions<T> {
  projectId: string;
  /** Null for a new budget. */
  budget: PartnerBudget | null;
  /** The new total; null when the budget is archived. */
  totalCents: number | null;
  write: () => Promise<T>;
  /** The refusal when the project's other budgets leave less than the new total. */
  aboveProject: (headroomCents: number) => GraphQLError;
  /** The refusal when the partner's claims without a reason add up to more than the new total. */
  belowClaims: (claimedWithoutReasonCents: number) => GraphQLError;
  /** Gives back at most once for this key (see ClaimHoldOptions.giveOnce). */
  giveOnce?: string;
}

/**
 * Creates, replaces, restores or archives a partner budget, moving the project's unbudgeted
 * figure by what the budget holds of the project (its total while live) and the budget's own
 * remainder by the change of its total. A higher total is checked against the project and a
 * lower one against the partner's claims, each on the entry that simultaneous changes follow.
 */
export async function changeBudget<T>(em: EntityManager, options: BudgetChangeOptions<T>): Promise<T> {
  const { budget, totalCents } = options;
  const project = projectAccount(em, options.projectId);
  const heldBefore = budget && !budget.archived ? budget.totalCents : 0;
  const heldAfter = totalCents ?? 0;
  const cause = `budget ${budget?._id ?? 'new'}`;
  const writeBudget = () =>
    budget && totalCents !== null ? changeBudgetTotal(em, budget, totalCents, options) : options.write();
  await lastEntry(em, project);
  if (heldAfter > heldBefore) {
    return around(
      em,
      project,
      'unbudgetedCents',
      heldAfter - heldBefore,
      cause,
      (available) => options.aboveProject(available + heldBefore),
      writeBudget,
    );
  }
  const result = await writeBudget();
  if (heldAfter < heldBefore && (!options.giveOnce || (await firstTime(em, options.giveOnce))))
    await enter(em, project, { unbudgetedCents: heldBefore - heldAfter }, cause);
  return result;
}

/**
 * Replaces a budget's total, moving its remainder with it: a lower total is entered first, only
 * if the claims without a reason still fit under it; a higher one once the budget is written.
 */
async function changeBudgetTotal<T>(
  em: EntityManager,
  budget: PartnerBudget,
  totalCents: number,
  options: Pick<BudgetChangeOptions<T>, 'write' | 'belowClaims'>,
): Promise<T> {
  const account = budgetAccount(em, budget._id);
  const delta = totalCents - budget.totalCents;
  const check = (last: BudgetFigures) => {
    if (last.claimedWithoutReasonCents > totalCents)
      throw options.belowClaims(last.claimedWithoutReasonCents);
  };
  if (delta > 0) {
    const last = await lastEntry(em, account);
    if (last) check(last.figures);
    const result = await options.write();
    await enter(em, account, { remainingCents: delta }, 'total');
    return result;
  }
  await enter(em, account, { remainingCents: delta }, 'total', check);
  try {
    return await options.write();
  } catch (error) {
    await enter(em, account, { remainingCents: -delta }, 'total');
    throw error;
  }
}

// --- A project's total -------------------------------------------------------------------------

/**
 * Changes a project's total: a lower one is entered first, only if the live partner budgets
 * still fit under it (`belowBudgets` gets what they add up to); a higher one once it is written.
 */
export async function changeProjectTotal<T>(
  em: EntityManager,
  project: Project,
  totalCents: number,
  write: () => Promise<T>,
  belowBudgets: (budgetedCents: number) => GraphQLError,
): Promise<T> {
  const account = projectAccount(em, project._id);
  const delta = totalCents - project.totalCents;
  if (delta < 0) {
    return around(
      em,
      account,
      'unbudgetedCents',
      -delta,
      'total',
      (available) => belowBudgets(project.totalCents - available),
      write,
    );
  }
  await lastEntry(em, account);
  const result = await write();
  if (delta > 0) await enter(em, account, { unbudgetedCents: delta }, 'total');
  return result;
}
