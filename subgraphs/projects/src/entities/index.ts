import { PartnerBudgetSchema } from './partner-budget';
import { ProjectSchema } from './project';
import { WorkPackageSchema } from './work-package';

export { Organisation } from './organisation';
export { PartnerBudget } from './partner-budget';
export { Project } from './project';
export { WorkPackage } from './work-package';
export const entities = [ProjectSchema, WorkPackageSchema, PartnerBudgetSchema];
