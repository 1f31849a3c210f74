import type { EntityManager } from '@mikro-orm/mongodb';
import {
  AbsorptionRow,
  ExpenditureClaim,
  PartnerBudget,
  type AbsorptionDimension,
  type ClaimStatus,
  type Project,
  type ReportingPeriod,
  type WorkPackage,
} from './entities';

/** The loaders absorption reads through, so that it shares their batches and cache. */
export interface AbsorptionLookups {
  project: { load(id: string): Promise<Project | null> };
  workPackage: { load(id: string): Promise<WorkPackage | null> };
  workPackagesByProject: { load(projectId: string): Promise<WorkPackage[]> };
  periodsByProject: { load(projectId: string): Promise<ReportingPeriod[]> };
}

/** The field a dimension groups claims by; budgets use the same one, lines for work packages. */
const CLAIM_KEY: Record<AbsorptionDimension, string> = {
  PARTNER: '$organisationId',
  COUNTRY: '$countryCode',
  WORK_PACKAGE: '$workPackageId',
  PERIOD: '$periodId',
};

interface Sum {
  _id: { p?: string; k: string; s?: ClaimStatus };
  cents: number;
}

/**
 * Budget and spend of several projects by one dimension: one aggregation over the budgets and
 * one over the claims, whatever the number of projects or records, summing integer cents in
 * the database ($match, $unwind, $group with $sum only: what FerretDB runs too). Rates are
 * derived here from the sums, exactly.
 */
export async function absorptionByProject(
  em: EntityManager,
  lookups: AbsorptionLookups,
  projectIds: string[],
  dimension: AbsorptionDimension,
): Promise<AbsorptionRow[][]> {
  const match = { $match: { projectId: { $in: projectIds }, archived: false } };
  const budgetPipeline =
    dimension === 'WORK_PACKAGE'
      ? [
          match,
          { $unwind: '$lines' },
          {
            $group: { _id: { p: '$projectId', k: '$lines.workPackageId' }, cents: { $sum: '$lines.cents' } },
          },
        ]
      : [
          match,
          { $group: { _id: { p: '$projectId', k: CLAIM_KEY[dimension] }, cents: { $sum: '$totalCents' } } },
        ];
  const claimPipeline = [
    match,
    {
      $group: {
        _id: { p: '$projectId', k: CLAIM_KEY[dimension], s: '$status' },
        cents: { $sum: '$amountCents' },
      },
    },
  ];
  const [budgetSums, claimSums, projects, keysFromEntities] = await Promise.all([
    // Budgets are not kept per period.
    dimension === 'PERIOD'
      ? Promise.resolve([])
      : (em.aggregate(PartnerBudget, budgetPipeline) as Promise<Sum[]>),
    em.aggregate(ExpenditureClaim, claimPipeline) as Promise<Sum[]>,
    Promise.all(projectIds.map((id) => lookups.project.load(id))),
    // Work packages and periods without any budget or claim still get a row, at zero.
    Promise.all(
      projectIds.map(async (id) => {
        if (dimension === 'WORK_PACKAGE')
          return (await lookups.workPackagesByProject.load(id)).map((w) => w._id);
        if (dimension === 'PERIOD') return (await lookups.periodsByProject.load(id)).map((p) => p._id);
        return [];
      }),
    ),
  ]);

  if (dimension === 'WORK_PACKAGE') {
    const owners = await Promise.all(budgetSums.map((sum) => lookups.workPackage.load(String(sum._id.k))));
    budgetSums.forEach((sum, i) => (sum._id.p = owners[i]?.projectId));
  }

  return projectIds.map((projectId, i) => {
    const currency = projects[i]?.currency ?? 'EUR';
    const rows = new Map<string, AbsorptionRow>();
    const row = (key: string): AbsorptionRow => {
      let found = rows.get(key);
      if (!found) {
        found = Object.assign(new AbsorptionRow(), {
          projectId,
          dimension,
          key,
          budgetCents: dimension === 'PERIOD' ? null : 0,
          validatedCents: 0,
          paidCents: 0,
          submittedCents: 0,
          currency,
        });
        rows.set(key, found);
      }
      return found;
    };
    for (const key of keysFromEntities[i] ?? []) row(key);
    for (const sum of budgetSums) {
      if (sum._id.p !== projectId) continue;
      const target = row(String(sum._id.k));
      target.budgetCents = (target.budgetCents ?? 0) + sum.cents;
    }
    for (const sum of claimSums) {
      if (sum._id.p !== projectId) continue;
      const target = row(String(sum._id.k));
      if (sum._id.s === 'VALIDATED') target.validatedCents += sum.cents;
      else if (sum._id.s === 'PAID') target.paidCents += sum.cents;
      else target.submittedCents += sum.cents;
    }
    return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  });
}

/** `<key> <status>` of a dimension's row to the number of live claims it sums, by project. */
export type ClaimCounts = Map<string, number>;

/**
 * How many claims each figure of the rows sums, for the callers from whom a figure of too few is
 * withheld: one more aggregation, asked only for them. Apart from the sums because FerretDB
 * 1.24 gives 0 for every accumulator of a $group after the first one.
 */
export async function claimCountsByProject(
  em: EntityManager,
  projectIds: string[],
  dimension: AbsorptionDimension,
): Promise<ClaimCounts[]> {
  const rows = (await em.aggregate(ExpenditureClaim, [
    { $match: { projectId: { $in: projectIds }, archived: false } },
    { $group: { _id: { p: '$projectId', k: CLAIM_KEY[dimension], s: '$status' }, claims: { $sum: 1 } } },
  ])) as { _id: Required<Sum['_id']>; claims: number }[];
  return projectIds.map(
    (projectId) =>
      new Map(
        rows.filter((row) => row._id.p === projectId).map((row) => [`${row._id.k} ${row._id.s}`, row.claims]),
      ),
  );
}
