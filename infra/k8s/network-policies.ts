// Evaluates NetworkPolicies as the Kubernetes API defines them, over the pods that built manifests
// would run, so that a test can say who reaches which port: a pod is isolated for ingress (egress)
// once any policy of that type selects it, and then a connection is allowed only when some rule of
// those policies admits both the peer and the port. Named ports resolve against the pod's
// container ports. An ipBlock is taken to admit every peer, since pod addresses may fall in it.
import type { K8sResource } from '../manifest-check';

export type Labels = Record<string, string>;

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}

export interface NetworkPolicy {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** A pod (or anything with an address) that may open or accept a connection. */
export interface Peer {
  /** What messages call it, e.g. "Deployment/gateway" or "a pod in namespace other". */
  name: string;
  /** Undefined for an address outside the cluster. */
  namespace?: string;
  namespaceLabels: Labels;
  labels: Labels;
  ports: ContainerPort[];
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pods of every workload in `resources`, with their template's labels and container ports. */
export function workloadPods(
  resources: K8sResource[],
  namespaceLabels = namespaceLabelsOf(resources),
): Peer[] {
  return resources
    .filter((resource) => WORKLOADS.has(resource.kind))
    .map((resource) => {
      const template = (resource.spec as { template: PodTemplate }).template;
      const namespace = resource.metadata.namespace ?? 'default';
      return {
        name: `${resource.kind}/${resource.metadata.name}`,
        namespace,
        namespaceLabels: namespaceLabels(namespace),
        labels: template.metadata?.labels ?? {},
        ports: template.spec.containers.flatMap((container) => container.ports ?? []),
      };
    });
}

interface PodTemplate {
  metadata?: { labels?: Labels };
  spec: { containers: { ports?: ContainerPort[] }[] };
}

/** A namespace's labels: kubernetes.io/metadata.name, which the API server sets, and any built ones. */
export function namespaceLabelsOf(resources: K8sResource[]): (namespace: string) => Labels {
  return (namespace) => ({
    ...(resources.find((resource) => resource.kind === 'Namespace' && resource.metadata.name === namespace)
      ?.metadata.labels ?? {}),
    'kubernetes.io/metadata.name': namespace,
  });
}

/** Peers that no manifest describes: an unlabelled pod beside the hub, pods elsewhere, the outside. */
export function strangers(hubNamespace: string, otherNamespaces: string[]): Peer[] {
  return [
    {
      name: `an unlabelled pod in namespace ${hubNamespace}`,
      namespace: hubNamespace,
      namespaceLabels: { 'kubernetes.io/metadata.name': hubNamespace },
      labels: {},
      ports: [],
    },
    ...otherNamespaces.map((namespace) => ({
      name: `a pod in namespace ${namespace}`,
      namespace,
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
      labels: {},
      ports: [],
    })),
    { name: 'an address outside the cluster', namespaceLabels: {}, labels: {}, ports: [] },
  ];
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = key in labels;
    const ok =
      operator === 'In'
        ? present && values.includes(labels[key]!)
        : operator === 'NotIn'
          ? !present || !values.includes(labels[key]!)
          : operator === 'Exists'
            ? present
            : !present;
    if (!ok) return false;
  }
  return true;
}

type Direction = 'Ingress' | 'Egress';

function policyTypes(policy: NetworkPolicy): Direction[] {
  if (policy.spec.policyTypes) return policy.spec.policyTypes;
  // The API's default: Ingress always, Egress when the policy has egress rules.
  return policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Peer): boolean {
  if (peer.ipBlock) return true;
  if (other.namespace === undefined) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, other.namespaceLabels)) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return selectorMatches(peer.podSelector, other.labels);
}

function portMatches(ports: PolicyPort[] | undefined, port: ContainerPort, owner: Peer): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string') {
      return owner.ports.some(
        (named) => named.name === rule.port && named.containerPort === port.containerPort,
      );
    }
    return port.containerPort >= rule.port && port.containerPort <= (rule.endPort ?? rule.port);
  });
}

/** Whether `direction` policies of `self`'s namespace let `other` connect (to `self`'s, or `other`'s, port). */
function allowedBy(
  policies: NetworkPolicy[],
  direction: Direction,
  self: Peer,
  other: Peer,
  port: ContainerPort,
  portOwner: Peer,
): boolean {
  if (self.namespace === undefined) return true;
  const selecting = policies.filter(
    (policy) =>
      (policy.metadata.namespace ?? 'default') === self.namespace &&
      policyTypes(policy).includes(direction) &&
      selectorMatches(policy.spec.podSelector, self.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress)?.some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const namespace = policy.metadata.namespace ?? 'default';
      return (
        portMatches(rule.ports, port, portOwner) &&
        (!peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, namespace, other)))
      );
    }),
  );
}

/** Whether the target's policies admit a connection from `source` to `port` of `target`. */
export function ingressAllowed(
  policies: NetworkPolicy[],
  source: Peer,
  target: Peer,
  port: ContainerPort,
): boolean {
  return allowedBy(policies, 'Ingress', target, source, port, target);
}

/** Whether both ends' policies let `source` reach `port` of `target`. */
export function reachable(
  policies: NetworkPolicy[],
  source: Peer,
  target: Peer,
  port: ContainerPort,
): boolean {
  return (
    allowedBy(policies, 'Egress', source, target, port, target) &&
    ingressAllowed(policies, source, target, port)
  );
}

/** Who may reach each port of a set of pods, and who must. */
export interface IsolationRule {
  /** The pods the rule is about. */
  targets: (pod: Peer) => boolean;
  /** What messages call them. */
  what: string;
  /** Whether `source` may reach `port` of a target; anything else admitted is a violation. */
  allowed: (source: Peer, port: ContainerPort) => boolean;
  /** Sources that must reach a port (e.g. the gateway a subgraph's service port), by port name. */
  required?: { port: string; from: (source: Peer) => boolean; what: string }[];
}

/**
 * Every violation of `rules`: a source the policies admit to a target's port although the rule
 * does not allow it (judged on the target's ingress alone, since a stranger's egress is its own
 * business), and a required source that cannot reach (ingress and egress both).
 */
export function isolationViolations(
  policies: NetworkPolicy[],
  pods: Peer[],
  others: Peer[],
  rules: IsolationRule[],
): string[] {
  const violations: string[] = [];
  const sources = [...pods, ...others];
  for (const rule of rules) {
    const targets = pods.filter(rule.targets);
    if (targets.length === 0) violations.push(`no pod is ${rule.what}`);
    for (const target of targets) {
      for (const port of target.ports) {
        for (const source of sources) {
          if (source === target) continue;
          if (ingressAllowed(policies, source, target, port) && !rule.allowed(source, port)) {
            violations.push(
              `${target.name} (${rule.what}) port ${port.name ?? port.containerPort} is reachable from ${source.name}`,
            );
          }
        }
      }
      for (const requirement of rule.required ?? []) {
        const port = target.ports.find((candidate) => candidate.name === requirement.port);
        const needed = pods.filter(requirement.from);
        if (!port || needed.length === 0) {
          violations.push(
            `${target.name} (${rule.what}) has no port ${requirement.port} or no ${requirement.what}`,
          );
          continue;
        }
        for (const source of needed.filter((source) => !reachable(policies, source, target, port))) {
          violations.push(
            `${source.name} (${requirement.what}) cannot reach ${target.name} port ${requirement.port}`,
          );
        }
      }
    }
  }
  return violations;
}
