import DataLoader from 'dataloader';
import type { EntityManager, EntityName } from '@mikro-orm/mongodb';
import { batchingOf, loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import {
  ClusterOrganisation,
  ClusterPolicy,
  GoodPractice,
  LearningMechanism,
  PilotAction,
  PolicyAssessment,
  StrategyDocument,
  WorkingGroup,
} from './entities';

const LIVE = { archived: false } as const;

/**
 * How many live records each key has, for many keys in one aggregation (`$match` + `$group` with
 * `$sum`, both in the subset FerretDB runs): the counts on a list of working groups cost one
 * command per counted type, however many groups and records there are.
 * (Generic; a candidate for the kit next to `loaderGroupedBy`.)
 */
export function loaderCountBy<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  field: keyof T & string,
): DataLoader<string, number> {
  return new DataLoader<string, number>(async (keys) => {
    const rows = (await em.aggregate(entity, [
      { $match: { archived: false, [field]: { $in: [...keys] } } },
      { $group: { _id: `$${field}`, count: { $sum: 1 } } },
    ])) as { _id: string; count: number }[];
    const counts = new Map(rows.map((row) => [String(row._id), row.count]));
    return keys.map((key) => counts.get(key) ?? 0);
  }, batchingOf(em));
}

export function createLoaders(em: EntityManager) {
  const bySortName = { orderBy: { sortName: 'asc' as const } };
  return {
    workingGroup: loaderByKey(em, WorkingGroup),
    clusterPolicy: loaderByKey(em, ClusterPolicy),
    policyAssessment: loaderByKey(em, PolicyAssessment),
    goodPractice: loaderByKey(em, GoodPractice),
    pilotAction: loaderByKey(em, PilotAction),
    learningMechanism: loaderByKey(em, LearningMechanism),
    strategyDocument: loaderByKey(em, StrategyDocument),
    clusterOrganisation: loaderByKey(em, ClusterOrganisation),

    workingGroupsByOrganisation: loaderGroupedBy(em, WorkingGroup, 'organisationIds', {
      where: LIVE,
      orderBy: { codeNumber: 'asc' },
    }),
    goodPracticesByOrganisation: loaderGroupedBy(em, GoodPractice, 'organisationId', {
      where: LIVE,
      ...bySortName,
    }),
    goodPracticesByWorkingGroup: loaderGroupedBy(em, GoodPractice, 'workingGroupCode', {
      where: LIVE,
      ...bySortName,
    }),
    pilotActionsByWorkingGroup: loaderGroupedBy(em, PilotAction, 'workingGroupCode', {
      where: LIVE,
      orderBy: { startDate: 'asc', sortName: 'asc' },
    }),
    learningMechanismsByWorkingGroup: loaderGroupedBy(em, LearningMechanism, 'workingGroupCode', {
      where: LIVE,
      ...bySortName,
    }),
    strategyDocumentsByWorkingGroup: loaderGroupedBy(em, StrategyDocument, 'workingGroupCode', {
      where: LIVE,
      ...bySortName,
    }),
    goodPracticeCount: loaderCountBy(em, GoodPractice, 'workingGroupCode'),
    pilotActionCount: loaderCountBy(em, PilotAction, 'workingGroupCode'),
    learningMechanismCount: loaderCountBy(em, LearningMechanism, 'workingGroupCode'),
    strategyDocumentCount: loaderCountBy(em, StrategyDocument, 'workingGroupCode'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
