import type { EntityManager, EntityName } from '@mikro-orm/mongodb';
import {
  archivedFilter,
  findPage,
  listSort,
  searchFilter,
  type HubRecord,
  type ListOrder,
} from '@clusterpolisee/kit';
import type { QueryResolvers } from '../__generated__/resolvers';
import {
  ClusterOrganisation,
  ClusterPolicy,
  GoodPractice,
  LearningMechanism,
  PilotAction,
  PolicyAssessment,
  StrategyDocument,
  WorkingGroup,
} from '../entities';

interface CommonFilter {
  search?: string | null;
  includeArchived?: boolean | null;
}

/** Archived rows hidden unless asked for, the name search, then the list's own equalities (unset ones ignored). */
function where(
  filter: CommonFilter | null | undefined,
  equal: Record<string, unknown> = {},
): Record<string, unknown> {
  const conditions: Record<string, unknown> = {
    ...searchFilter(filter?.search),
    ...archivedFilter(filter?.includeArchived),
  };
  for (const [field, value] of Object.entries(equal)) if (value != null) conditions[field] = value;
  return conditions;
}

const upper = (code: string | null | undefined) => code?.trim().toUpperCase();

/** A page in the order asked for, else by the first of the list's `fields`, ascending. */
function page<T extends HubRecord, F extends string>(
  em: EntityManager,
  entity: EntityName<T>,
  args: { first?: number | null; after?: string | null; orderBy?: ListOrder<F> | null },
  conditions: Record<string, unknown>,
  fields: Record<F, keyof T & string>,
) {
  const first = Object.keys(fields)[0] as F;
  return findPage(em, entity, {
    where: conditions as never,
    sort: listSort(args.orderBy, fields, { field: first, direction: 'ASC' }),
    first: args.first,
    after: args.after,
  });
}

async function countBy(
  em: EntityManager,
  entity: EntityName<object>,
  field: string,
  includeArchived: boolean | null | undefined,
): Promise<{ key: string; count: number }[]> {
  const rows = (await em.aggregate(entity, [
    { $match: archivedFilter(includeArchived) },
    { $group: { _id: `$${field}`, count: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ])) as { _id: string; count: number }[];
  return rows.map((row) => ({ key: String(row._id), count: row.count }));
}

/** Sorting by code text would put WG10 before WG2. */
const byGroupNumber = (a: { key: string }, b: { key: string }) =>
  Number(a.key.replace(/^\D+/, '')) - Number(b.key.replace(/^\D+/, '')) || a.key.localeCompare(b.key);

export const queryResolvers: QueryResolvers = {
  workingGroups: async (_root, { filter }, { em, loaders }) => {
    const groups = await em.find(WorkingGroup, where(filter) as never, {
      orderBy: { codeNumber: 'asc', _id: 'asc' },
    });
    // Nested good practices and pilots point back to these groups: no second query for them.
    for (const group of groups) loaders.workingGroup.prime(group._id, group);
    return groups;
  },
  workingGroup: (_root, { code }, { loaders }) => loaders.workingGroup.load(code),

  clusterPolicies: (_root, args, { em }) =>
    page(
      em,
      ClusterPolicy,
      args,
      where(args.filter, { countryCode: upper(args.filter?.country), level: args.filter?.level }),
      { TITLE: 'sortName', COUNTRY: 'countryCode', PERIOD_START: 'periodStart' },
    ),
  clusterPolicy: (_root, { id }, { loaders }) => loaders.clusterPolicy.load(id),

  goodPractices: (_root, args, { em }) =>
    page(
      em,
      GoodPractice,
      args,
      where(args.filter, {
        workingGroupCode: args.filter?.workingGroup,
        countryCode: upper(args.filter?.country),
        transferability: args.filter?.transferability,
      }),
      { TITLE: 'sortName', COUNTRY: 'countryCode', CREATED_AT: 'createdAt' },
    ),
  goodPractice: (_root, { id }, { loaders }) => loaders.goodPractice.load(id),

  pilotActions: (_root, args, { em }) =>
    page(
      em,
      PilotAction,
      args,
      where(args.filter, {
        workingGroupCode: args.filter?.workingGroup,
        countryCode: upper(args.filter?.country),
      }),
      { START_DATE: 'startDate', TITLE: 'sortName' },
    ),
  pilotAction: (_root, { id }, { loaders }) => loaders.pilotAction.load(id),

  learningMechanisms: (_root, args, { em }) =>
    page(em, LearningMechanism, args, where(args.filter, { workingGroupCode: args.filter?.workingGroup }), {
      TITLE: 'sortName',
      CREATED_AT: 'createdAt',
    }),
  learningMechanism: (_root, { id }, { loaders }) => loaders.learningMechanism.load(id),

  strategyDocuments: (_root, args, { em }) =>
    page(
      em,
      StrategyDocument,
      args,
      where(args.filter, { type: args.filter?.type, workingGroupCode: args.filter?.workingGroup }),
      { TITLE: 'sortName', CREATED_AT: 'createdAt' },
    ),
  strategyDocument: (_root, { id }, { loaders }) => loaders.strategyDocument.load(id),

  clusterOrganisations: (_root, args, { em }) =>
    page(
      em,
      ClusterOrganisation,
      args,
      where(args.filter, { countryCode: upper(args.filter?.country), escaLabel: args.filter?.escaLabel }),
      { NAME: 'sortName', COUNTRY: 'countryCode', MEMBER_COUNT: 'memberCount' },
    ),
  clusterOrganisation: (_root, { id }, { loaders }) => loaders.clusterOrganisation.load(id),

  policyAssessments: (_root, args, { em }) =>
    page(
      em,
      PolicyAssessment,
      args,
      where(args.filter, {
        countryCode: upper(args.filter?.country),
        organisationId: args.filter?.organisationId,
      }),
      { REGION: 'sortName', COUNTRY: 'countryCode' },
    ),
  policyAssessment: (_root, { id }, { loaders }) => loaders.policyAssessment.load(id),

  goodPracticesByWorkingGroup: async (_root, { filter }, { em }) =>
    (await countBy(em, GoodPractice, 'workingGroupCode', filter?.includeArchived))
      .sort(byGroupNumber)
      .map(({ key, count }) => ({ workingGroupCode: key, count })),
  goodPracticesByCountry: async (_root, { filter }, { em }) =>
    (await countBy(em, GoodPractice, 'countryCode', filter?.includeArchived)).map(({ key, count }) => ({
      country: { code: key },
      count,
    })),
  pilotActionsByWorkingGroup: async (_root, { filter }, { em }) =>
    (await countBy(em, PilotAction, 'workingGroupCode', filter?.includeArchived))
      .sort(byGroupNumber)
      .map(({ key, count }) => ({ workingGroupCode: key, count })),
  pilotActionsByCountry: async (_root, { filter }, { em }) =>
    (await countBy(em, PilotAction, 'countryCode', filter?.includeArchived)).map(({ key, count }) => ({
      country: { code: key },
      count,
    })),
};
