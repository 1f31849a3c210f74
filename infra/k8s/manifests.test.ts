// Every overlay, built by kustomize and decoded strictly into the Kubernetes API types (main.go of
// infra/manifest-check), and what the hub needs of the result: probes on the routes the services
// serve, locked-down containers, autoscalers and disruption budgets on the right pods, a grace
// period longer than drain and requests, the replica set the URI names, no key in production.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSubgraphs, subgraphEnvKey } from '../../schema/subgraphs';
import {
  buildOverlays,
  k8sCopyWithDevSecrets,
  ManifestCheckError,
  OVERLAYS,
  type BuiltOverlay,
  type K8sResource,
} from '../manifest-check';
import { selectorMatches, type LabelSelector } from './network-policies';

const REPOSITORY = path.resolve(__dirname, '..', '..');
const HUB_SUBGRAPHS = readSubgraphs()
  .filter((subgraph) => subgraph.local)
  .map((subgraph) => subgraph.name);

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  containers: Container[];
}
interface Workload extends K8sResource {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

let copy: Awaited<ReturnType<typeof k8sCopyWithDevSecrets>>;
let overlays: BuiltOverlay[];

beforeAll(async () => {
  copy = await k8sCopyWithDevSecrets();
  overlays = await buildOverlays(copy.dir);
}, 300_000);

afterAll(() => copy?.remove());

const find = (resources: K8sResource[], kind: string, name: string) =>
  resources.find((resource) => resource.kind === kind && resource.metadata.name === name);
const deployments = (resources: K8sResource[]) =>
  resources.filter((resource) => resource.kind === 'Deployment') as Workload[];
const envOf = (container: Container, name: string) =>
  container.env?.find((entry) => entry.name === name)?.value;
/** What the container sees from its envFrom ConfigMaps (generated names carry a hash suffix). */
function configEnv(resources: K8sResource[], container: Container): Record<string, string> {
  return Object.assign(
    {},
    ...(container.envFrom ?? []).map(
      (from) => find(resources, 'ConfigMap', from.configMapRef!.name)?.data ?? {},
    ),
  );
}

describe.each(OVERLAYS)('%s', (dir) => {
  const resources = () => overlays.find((overlay) => overlay.dir === dir)!.resources;

  it('runs the gateway and the hub subgraphs, each Deployment chosen by HUB_SERVICE', () => {
    const services = deployments(resources()).map((deployment) => {
      const container = deployment.spec.template.spec.containers[0]!;
      const hubService = container.env!.find((entry) => entry.name === 'HUB_SERVICE')!;
      return (
        hubService.value ??
        // metadata.labels['app.kubernetes.io/name'] of the pod
        deployment.spec.template.metadata.labels[
          hubService.valueFrom!.fieldRef!.fieldPath.match(/\['(.+)'\]/)![1]!
        ]
      );
    });
    expect(services).toEqual(expect.arrayContaining(['gateway', ...HUB_SUBGRAPHS]));
  });

  it('probes, limits and locks down every container', () => {
    for (const deployment of deployments(resources())) {
      const pod = deployment.spec.template.spec;
      const what = deployment.metadata.name;
      expect([what, pod.securityContext?.runAsNonRoot, pod.securityContext?.seccompProfile?.type]).toEqual([
        what,
        true,
        'RuntimeDefault',
      ]);
      for (const container of pod.containers) {
        expect([what, container.startupProbe?.httpGet?.path, container.livenessProbe?.httpGet?.path]).toEqual(
          [what, '/health', '/health'],
        );
        expect([what, container.readinessProbe?.httpGet?.path]).toEqual([what, '/ready']);
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
        // /metrics on its own port, the one Prometheus may reach.
        expect(container.ports).toContainEqual({
          name: 'metrics',
          containerPort: Number(envOf(container, 'METRICS_PORT')),
        });
      }
    }
  });

  it('gives each pod longer to stop than its drain and its longest request', () => {
    for (const deployment of deployments(resources())) {
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0]!;
      const drainMs = Number(envOf(container, 'SHUTDOWN_DRAIN_MS'));
      const requestMs = Number(
        envOf(container, 'SUBGRAPH_TIMEOUT_MS') ?? envOf(container, 'SUBGRAPH_REQUEST_TIMEOUT_MS'),
      );
      expect(drainMs).toBeGreaterThan(0);
      expect(requestMs).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(drainMs + requestMs);
    }
  });

  it('scales the gateway and every subgraph with an autoscaler, and budgets disruptions on the right pods', () => {
    const all = resources();
    const workloads = all.filter((resource) =>
      ['Deployment', 'StatefulSet'].includes(resource.kind),
    ) as Workload[];
    for (const deployment of deployments(all)) {
      const hpa = all.find(
        (resource) =>
          resource.kind === 'HorizontalPodAutoscaler' &&
          (resource.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef.name ===
            deployment.metadata.name,
      );
      expect([deployment.metadata.name, hpa?.apiVersion]).toEqual([
        deployment.metadata.name,
        'autoscaling/v2',
      ]);
    }
    for (const budget of all.filter((resource) => resource.kind === 'PodDisruptionBudget')) {
      const selector = (budget.spec as { selector?: LabelSelector }).selector;
      const covered = workloads.filter((workload) =>
        selectorMatches(selector, workload.spec.template.metadata.labels),
      );
      // An empty or missing selector would cover every pod: exactly one workload each.
      expect([budget.metadata.name, selector !== undefined, covered.length]).toEqual([
        budget.metadata.name,
        true,
        1,
      ]);
    }
    for (const workload of workloads) {
      expect(selectorMatches(workload.spec.selector, workload.spec.template.metadata.labels)).toBe(true);
    }
    for (const service of all.filter((resource) => resource.kind === 'Service')) {
      const selector = { matchLabels: (service.spec as { selector: Record<string, string> }).selector };
      const covered = workloads.filter((workload) =>
        selectorMatches(selector, workload.spec.template.metadata.labels),
      );
      expect([service.metadata.name, covered.length]).toEqual([service.metadata.name, 1]);
    }
  });

  it('points the gateway at a Service of each subgraph and every service at the replica set', () => {
    const all = resources();
    const gateway = (find(all, 'Deployment', 'gateway') as Workload).spec.template.spec.containers[0]!;
    for (const name of HUB_SUBGRAPHS) {
      const url = new URL(envOf(gateway, `SUBGRAPH_URL_${subgraphEnvKey(name)}`)!);
      const service = find(all, 'Service', url.hostname);
      expect([name, (service?.spec as { ports: { port: number }[] })?.ports[0]?.port]).toEqual([
        name,
        Number(url.port),
      ]);
    }
    const mongo = find(all, 'StatefulSet', 'mongo') as Workload & { spec: { serviceName: string } };
    expect(mongo.spec.replicas).toBe(3);
    const members = [0, 1, 2].map((index) => `mongo-${index}.${mongo.spec.serviceName}:27017`);
    for (const deployment of deployments(all)) {
      const uri = configEnv(all, deployment.spec.template.spec.containers[0]!).MONGODB_URI;
      expect(uri).toBe(`mongodb://${members.join(',')}/?replicaSet=rs0`);
    }
    const init = find(all, 'Job', 'mongo-init-replica-set') as Workload;
    expect(envOf(init.spec.template.spec.containers[0]!, 'MEMBERS')).toBe(members.join(','));
    expect((mongo.spec.template.spec.containers[0] as unknown as { args: string[] }).args).toEqual(
      expect.arrayContaining(['--replSet', 'rs0']),
    );
  });

  it('pins every image to a tag', () => {
    for (const workload of resources().filter(
      (resource) => resource.spec && 'template' in resource.spec,
    ) as Workload[]) {
      for (const container of workload.spec.template.spec.containers) {
        expect(container.image).toMatch(/:[\w.-]+$/);
      }
    }
  });
});

describe('keys', () => {
  it('are generated into the dev overlay and never part of production', () => {
    const dev = overlays.find((overlay) => overlay.dir === 'overlays/dev')!.resources;
    const keys = dev.find(
      (resource) => resource.kind === 'Secret' && resource.metadata.name.startsWith('hub-gateway-keys-'),
    );
    expect(Object.keys(keys!.data!).sort()).toEqual(['gateway-identity.key.pem', 'token-issuer.jwks.json']);
    const production = overlays.find((overlay) => overlay.dir === 'overlays/production')!.resources;
    expect(production.filter((resource) => resource.kind === 'Secret')).toEqual([]);
  });
});

it("the supergraph ConfigMap's copy is the committed supergraph", () => {
  const copyInBase = readFileSync(path.join(__dirname, 'base', 'supergraph.graphql'), 'utf8');
  const committed = readFileSync(path.join(REPOSITORY, 'schema', 'supergraph.graphql'), 'utf8');
  if (copyInBase !== committed) {
    throw new Error(
      'infra/k8s/base/supergraph.graphql differs from schema/supergraph.graphql: ' +
        'cp schema/supergraph.graphql infra/k8s/base/supergraph.graphql',
    );
  }
  const built = overlays.find((overlay) => overlay.dir === 'overlays/production')!.resources;
  const configMap = built.find(
    (resource) => resource.kind === 'ConfigMap' && resource.metadata.name.startsWith('hub-supergraph-'),
  );
  expect(configMap!.data!['supergraph.graphql']).toBe(committed);
});

describe('the strict check', () => {
  it('refuses a misspelt field and a wrong type', async () => {
    const gateway = path.join(copy.dir, 'base', 'gateway');
    const original = readFileSync(path.join(gateway, 'deployment.yaml'), 'utf8');
    const hpa = readFileSync(path.join(gateway, 'hpa.yaml'), 'utf8');
    try {
      writeFileSync(
        path.join(gateway, 'deployment.yaml'),
        original.replace('readinessProbe:', 'readinesProbe:'),
      );
      writeFileSync(
        path.join(gateway, 'hpa.yaml'),
        hpa.replace('averageUtilization: 70', 'averageUtilization: high'),
      );
      const error = await buildOverlays(copy.dir, ['overlays/production']).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ManifestCheckError);
      const problems = (error as ManifestCheckError).problems;
      expect(problems).toContain(
        'overlays/production Deployment/gateway: strict decoding error: unknown field "spec.template.spec.containers[0].readinesProbe"',
      );
      expect(problems).toMatch(/HorizontalPodAutoscaler\/gateway: .*averageUtilization of type int32/);
    } finally {
      writeFileSync(path.join(gateway, 'deployment.yaml'), original);
      writeFileSync(path.join(gateway, 'hpa.yaml'), hpa);
    }
  });

  it('refuses a kind the API does not have, and a broken kustomization', async () => {
    const scratch = path.join(copy.dir, 'scratch');
    cpSync(path.join(copy.dir, 'base', 'gateway'), scratch, { recursive: true });
    writeFileSync(
      path.join(scratch, 'kustomization.yaml'),
      'resources:\n  - service.yaml\n  - widget.yaml\n',
    );
    writeFileSync(
      path.join(scratch, 'widget.yaml'),
      'apiVersion: apps/v1\nkind: Widget\nmetadata:\n  name: w\n',
    );
    const error = await buildOverlays(copy.dir, ['scratch', 'missing']).catch((caught: unknown) => caught);
    const problems = (error as ManifestCheckError).problems;
    expect(problems).toMatch(/^scratch Widget\/w: no kind "Widget" is registered/m);
    expect(problems).toMatch(/^missing: kustomize build failed/m);
  });
});
