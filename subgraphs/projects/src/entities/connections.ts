import { Connection } from '@clusterpolisee/kit';
import type { ExpenditureClaim } from './expenditure-claim';
import type { PartnerBudget } from './partner-budget';
import type { Project } from './project';

export class ProjectConnection extends Connection<Project> {}
export class PartnerBudgetConnection extends Connection<PartnerBudget> {}
export class ExpenditureClaimConnection extends Connection<ExpenditureClaim> {}
