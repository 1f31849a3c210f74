import { LedgerEntrySchema } from './ledger-entry';
import { ExpenditureClaimSchema } from './expenditure-claim';
import { PartnerBudgetSchema } from './partner-budget';
import { ProgrammeSchema } from './programme';
import { ProjectSchema } from './project';
import { ReportingPeriodSchema } from './reporting-period';
import { WorkPackageSchema } from './work-package';

export { Organisation } from './organisation';
export { Programme, type PriorityAxis } from './programme';
export { Project, type ProjectStatus } from './project';
export { WorkPackage, type WorkPackageOutput, type OutputStatus } from './work-package';
export { PartnerBudget, BudgetLine } from './partner-budget';
export { AbsorptionRow, type AbsorptionDimension } from './absorption-row';
export { ReportingPeriod } from './reporting-period';
export { ExpenditureClaim, type ClaimStatus } from './expenditure-claim';
export { ProjectConnection, PartnerBudgetConnection, ExpenditureClaimConnection } from './connections';
export const entities = [
  ProgrammeSchema,
  ProjectSchema,
  WorkPackageSchema,
  PartnerBudgetSchema,
  ReportingPeriodSchema,
  ExpenditureClaimSchema,
  LedgerEntrySchema,
];
