// The hub's isolation rules, as infra/k8s/base/network-policies states them: a subgraph's service
// port admits the gateway's pods only; MongoDB admits the subgraphs, the gateway (rate-limit
// counters, schema registry, usage), its own members (replication) and the job that initiates the
// set; Prometheus in namespace "monitoring" reaches the metrics port (METRICS_PORT) only. And the
// hub must still work: the gateway reaches every subgraph, everyone who needs MongoDB reaches it.
import type { K8sResource } from '../manifest-check';
import {
  isolationViolations,
  strangers,
  workloadPods,
  type IsolationRule,
  type NetworkPolicy,
  type Peer,
} from './network-policies';

export const HUB_NAMESPACE = 'clusterpolisee';
export const ROLE = 'hub.clusterpolisee/role';

const role = (pod: Peer) => (pod.namespace === HUB_NAMESPACE ? pod.labels[ROLE] : undefined);
const fromMonitoring = (pod: Peer) => pod.namespace === 'monitoring';

export const HUB_RULES: IsolationRule[] = [
  {
    what: 'a subgraph',
    targets: (pod) => role(pod) === 'subgraph',
    allowed: (source, port) =>
      role(source) === 'gateway' || (port.name === 'metrics' && fromMonitoring(source)),
    required: [{ port: 'http', from: (pod) => role(pod) === 'gateway', what: 'the gateway' }],
  },
  {
    what: 'the database',
    targets: (pod) => role(pod) === 'database',
    allowed: (source) => ['subgraph', 'gateway', 'database', 'database-init'].includes(role(source) ?? ''),
    required: [
      { port: 'mongodb', from: (pod) => role(pod) === 'subgraph', what: 'a subgraph' },
      { port: 'mongodb', from: (pod) => role(pod) === 'gateway', what: 'the gateway' },
      { port: 'mongodb', from: (pod) => role(pod) === 'database', what: 'a replica set member' },
      { port: 'mongodb', from: (pod) => role(pod) === 'database-init', what: 'the initiating job' },
    ],
  },
  {
    what: 'the gateway',
    targets: (pod) => role(pod) === 'gateway',
    allowed: (source, port) => port.name === 'http' || (port.name === 'metrics' && fromMonitoring(source)),
  },
];

/** What the built `resources`' NetworkPolicies allow against HUB_RULES; empty when they hold. */
export function hubIsolationViolations(resources: K8sResource[]): string[] {
  const policies = resources.filter(
    (resource) => resource.kind === 'NetworkPolicy',
  ) as unknown as NetworkPolicy[];
  const monitoringPod: Peer = {
    name: 'Prometheus in namespace monitoring',
    namespace: 'monitoring',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
    labels: { 'app.kubernetes.io/name': 'prometheus' },
    ports: [],
  };
  return isolationViolations(
    policies,
    workloadPods(resources),
    [...strangers(HUB_NAMESPACE, ['default', 'kube-system']), monitoringPod],
    HUB_RULES,
  );
}
