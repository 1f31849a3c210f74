import { ClusterOrganisationSchema } from './cluster-organisation';
import { ClusterPolicySchema } from './cluster-policy';
import { GoodPracticeSchema } from './good-practice';
import { LearningMechanismSchema } from './learning-mechanism';
import { PilotActionSchema } from './pilot-action';
import { PolicyAssessmentSchema } from './policy-assessment';
import { StrategyDocumentSchema } from './strategy-document';
import { WorkingGroupSchema } from './working-group';

export { Organisation } from './organisation';
export { WorkingGroup, WorkingGroupMembership, workingGroupDerived } from './working-group';
export { ClusterPolicy, PolicyInstrument, clusterPolicyNames } from './cluster-policy';
export { PolicyAssessment } from './policy-assessment';
export { GoodPractice } from './good-practice';
export { PilotAction } from './pilot-action';
export { LearningMechanism } from './learning-mechanism';
export { StrategyDocument } from './strategy-document';
export { ClusterOrganisation } from './cluster-organisation';
export {
  ClusterPolicyConnection,
  GoodPracticeConnection,
  PilotActionConnection,
  LearningMechanismConnection,
  StrategyDocumentConnection,
  ClusterOrganisationConnection,
  PolicyAssessmentConnection,
  WorkingGroupCount,
  Country,
} from './connections';
export { nameFields } from './named';
export const entities = [
  WorkingGroupSchema,
  ClusterPolicySchema,
  PolicyAssessmentSchema,
  GoodPracticeSchema,
  PilotActionSchema,
  LearningMechanismSchema,
  StrategyDocumentSchema,
  ClusterOrganisationSchema,
];
