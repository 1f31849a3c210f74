// The hub's isolation, checked on what kustomize builds for every overlay: no subgraph's service
// port admits anything but the gateway's pods, MongoDB admits only the subgraphs, the gateway
// (rate-limit counters, schema registry, usage), its own members and the job that initiates them,
// and Prometheus in "monitoring" reaches the metrics port only. And the hub still works: the
// gateway reaches each subgraph, each subgraph and the gateway reach MongoDB.
import {
  buildOverlays,
  k8sCopyWithDevSecrets,
  OVERLAYS,
  type BuiltOverlay,
  type K8sResource,
} from '../manifest-check';
import { hubIsolationViolations, HUB_NAMESPACE, ROLE } from './hub-isolation';
import {
  ingressAllowed,
  selectorMatches,
  workloadPods,
  type NetworkPolicy,
  type Peer,
} from './network-policies';

const role = (pod: Peer) => (pod.namespace === HUB_NAMESPACE ? pod.labels[ROLE] : undefined);

let overlays: BuiltOverlay[];
let copy: Awaited<ReturnType<typeof k8sCopyWithDevSecrets>>;

beforeAll(async () => {
  copy = await k8sCopyWithDevSecrets();
  overlays = await buildOverlays(copy.dir);
}, 300_000);

afterAll(() => copy?.remove());

const resourcesOf = (dir: string) => overlays.find((overlay) => overlay.dir === dir)!.resources;

describe.each(OVERLAYS)('the network policies of %s', (dir) => {
  it('isolate the subgraphs and the database, and let the hub work', () => {
    const resources = resourcesOf(dir);
    expect(hubIsolationViolations(resources)).toEqual([]);
    // The check looked at every subgraph: the four of the hub (and the partner's, in the example).
    const subgraphs = workloadPods(resources).filter((pod) => role(pod) === 'subgraph');
    expect(subgraphs.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the isolation check fails', () => {
  const production = () => structuredClone(resourcesOf('overlays/production'));
  const policy = (name: string, spec: NetworkPolicy['spec']): K8sResource =>
    ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: HUB_NAMESPACE },
      spec,
    }) as unknown as K8sResource;

  it('when a policy opens the subgraphs to all', () => {
    const found = hubIsolationViolations([
      ...production(),
      policy('open-subgraphs', { podSelector: { matchLabels: { [ROLE]: 'subgraph' } }, ingress: [{}] }),
    ]);
    expect(found).toContain(
      'Deployment/partners-subgraph (a subgraph) port http is reachable from an unlabelled pod in namespace clusterpolisee',
    );
    expect(found).toContain(
      'Deployment/knowledge-subgraph (a subgraph) port http is reachable from an address outside the cluster',
    );
    expect(found).toContain(
      'Deployment/projects-subgraph (a subgraph) port http is reachable from StatefulSet/mongo',
    );
  });

  it('when the metrics rule admits the monitoring namespace on every port', () => {
    const resources = production();
    const metrics = resources.find((resource) => resource.metadata.name === 'metrics-scrape')!;
    (metrics.spec as NetworkPolicy['spec']).ingress![0]!.ports = undefined;
    expect(hubIsolationViolations(resources)).toContain(
      'Deployment/communications-subgraph (a subgraph) port http is reachable from Prometheus in namespace monitoring',
    );
  });

  it('when the database admits every namespace', () => {
    const found = hubIsolationViolations([
      ...production(),
      policy('open-database', {
        podSelector: { matchLabels: { [ROLE]: 'database' } },
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 27017 }] }],
      }),
    ]);
    expect(found).toContain(
      'StatefulSet/mongo (the database) port mongodb is reachable from a pod in namespace default',
    );
  });

  it('when the subgraphs policy is gone: default deny then shuts out the gateway too', () => {
    const found = hubIsolationViolations(
      production().filter((resource) => resource.metadata.name !== 'subgraphs'),
    );
    expect(found).toContain(
      'Deployment/gateway (the gateway) cannot reach Deployment/partners-subgraph port http',
    );
  });

  it('when the gateway may not leave its pod for the database', () => {
    const resources = production();
    const gateway = resources.find(
      (resource) => resource.kind === 'NetworkPolicy' && resource.metadata.name === 'gateway',
    )!;
    const spec = gateway.spec as NetworkPolicy['spec'];
    spec.egress = spec.egress!.filter((rule) => !rule.ports?.some((port) => port.port === 27017));
    expect(hubIsolationViolations(resources)).toContain(
      'Deployment/gateway (the gateway) cannot reach StatefulSet/mongo port mongodb',
    );
  });
});

describe('the policy evaluation', () => {
  const pod = (name: string, labels: Record<string, string>, namespace = 'hub'): Peer => ({
    name,
    namespace,
    namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
    labels,
    ports: [{ name: 'http', containerPort: 8080 }],
  });
  const web = pod('web', { app: 'web' });
  const port = web.ports[0]!;
  const only = (spec: NetworkPolicy['spec']): NetworkPolicy[] => [
    { metadata: { name: 'p', namespace: 'hub' }, spec },
  ];

  it('admits everything to a pod no policy selects', () => {
    expect(
      ingressAllowed(only({ podSelector: { matchLabels: { app: 'db' } } }), pod('x', {}), web, port),
    ).toBe(true);
  });

  it('resolves named ports and matches expressions and namespaces', () => {
    const policies = only({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }],
          ports: [{ port: 'http' }],
        },
      ],
    });
    expect(ingressAllowed(policies, pod('proxy', {}, 'edge'), web, port)).toBe(true);
    expect(ingressAllowed(policies, pod('neighbour', {}), web, port)).toBe(false);
    expect(
      ingressAllowed(policies, pod('proxy', {}, 'edge'), web, { name: 'admin', containerPort: 9000 }),
    ).toBe(false);
  });

  it('reads selectors as the API does', () => {
    expect(selectorMatches({}, { any: 'thing' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '1' })).toBe(
      false,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(
      true,
    );
  });
});
