import type { Page, PageInfo } from '@clusterpolisee/kit';
import type { ExpenditureClaim } from './expenditure-claim';
import type { PartnerBudget } from './partner-budget';
import type { Project } from './project';

/**
 * What list resolvers return: the kit's `findPage` result, whose `totalCount` is a function
 * so that it costs a query only when selected. Declared as classes (never instantiated) so
 * that codegen maps each SDL connection type to it.
 */
abstract class Connection<T> implements Page<T> {
  declare nodes: T[];
  declare pageInfo: PageInfo;
  declare totalCount: () => Promise<number>;
}

export class ProjectConnection extends Connection<Project> {}
export class PartnerBudgetConnection extends Connection<PartnerBudget> {}
export class ExpenditureClaimConnection extends Connection<ExpenditureClaim> {}
