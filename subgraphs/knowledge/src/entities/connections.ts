import { Connection } from '@clusterpolisee/kit';
import type { ClusterOrganisation } from './cluster-organisation';
import type { ClusterPolicy } from './cluster-policy';
import type { GoodPractice } from './good-practice';
import type { LearningMechanism } from './learning-mechanism';
import type { PilotAction } from './pilot-action';
import type { PolicyAssessment } from './policy-assessment';
import type { StrategyDocument } from './strategy-document';

export class ClusterPolicyConnection extends Connection<ClusterPolicy> {}
export class GoodPracticeConnection extends Connection<GoodPractice> {}
export class PilotActionConnection extends Connection<PilotAction> {}
export class LearningMechanismConnection extends Connection<LearningMechanism> {}
export class StrategyDocumentConnection extends Connection<StrategyDocument> {}
export class ClusterOrganisationConnection extends Connection<ClusterOrganisation> {}
export class PolicyAssessmentConnection extends Connection<PolicyAssessment> {}

export class WorkingGroupCount {
  workingGroupCode!: string;
  count!: number;
}

/** A Country of the partners subgraph, only its key: counts by country point to it. */
export class Country {
  code!: string;
}
