// compose.yaml, loaded by the Compose specification's own loader (compose-go, through
// infra/manifest-check), which validates it against the specification's JSON schema; and what the
// hub needs of it: the replica set initiated before anything uses it, each service started when
// what it needs is healthy, the keys as secrets, every container locked down.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSubgraphs, subgraphEnvKey } from '../../schema/subgraphs';
import { COMPOSE_FILE, loadCompose, ManifestCheckError, type ComposeProject } from '../manifest-check';

const HUB_SUBGRAPHS = readSubgraphs()
  .filter((subgraph) => subgraph.local)
  .map((subgraph) => subgraph.name);
const MEMBERS = ['mongo1', 'mongo2', 'mongo3'];
const REPLICA_SET_URI = `mongodb://${MEMBERS.map((member) => `${member}:27017`).join(',')}/?replicaSet=rs0`;

let project: ComposeProject;

beforeAll(async () => {
  project = await loadCompose();
}, 300_000);

it('runs a three-member replica set that an init service initiates before any hub service starts', () => {
  for (const member of MEMBERS) {
    const service = project.services[member]!;
    expect(service.image).toMatch(/^mongo:\d+\.\d+\.\d+$/);
    expect(service.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(service.healthcheck?.test).toBeDefined();
  }
  const init = project.services['mongo-init']!;
  expect(init.environment?.MEMBERS).toBe(MEMBERS.map((member) => `${member}:27017`).join(','));
  expect(Object.entries(init.depends_on!).map(([name, { condition }]) => [name, condition])).toEqual(
    MEMBERS.map((member) => [member, 'service_healthy']),
  );
  for (const name of ['gateway', ...HUB_SUBGRAPHS]) {
    expect([name, project.services[name]!.depends_on?.['mongo-init']?.condition]).toEqual([
      name,
      'service_completed_successfully',
    ]);
  }
});

it('runs each hub subgraph and the gateway from the one image, the gateway after the subgraphs are healthy', () => {
  const gateway = project.services.gateway!;
  const images = new Set(['gateway', ...HUB_SUBGRAPHS].map((name) => project.services[name]!.image));
  expect(images.size).toBe(1);
  for (const name of HUB_SUBGRAPHS) {
    const service = project.services[name]!;
    expect(service.command).toEqual([name]);
    expect(service.environment?.MONGODB_URI).toBe(REPLICA_SET_URI);
    expect(gateway.depends_on?.[name]?.condition).toBe('service_healthy');
    const url = new URL(gateway.environment![`SUBGRAPH_URL_${subgraphEnvKey(name)}`]!);
    expect([url.hostname, url.port]).toEqual([name, service.environment!.PORT]);
  }
  expect(gateway.command).toEqual(['gateway']);
  expect(gateway.environment?.MONGODB_URI).toBe(REPLICA_SET_URI);
});

it('checks health, locks down and hands keys over as secrets', () => {
  for (const name of ['gateway', ...HUB_SUBGRAPHS]) {
    const service = project.services[name]!;
    const port = service.environment!.GATEWAY_PORT ?? service.environment!.PORT;
    expect(service.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${port}/ready`);
    expect([name, service.read_only, service.cap_drop]).toEqual([name, true, ['ALL']]);
    expect(service.environment?.METRICS_PORT).toBe('9464');
  }
  const gateway = project.services.gateway!;
  const mounted = Object.fromEntries(gateway.secrets!.map((secret) => [secret.source, secret.target]));
  expect(gateway.environment?.GATEWAY_IDENTITY_KEY_FILE).toBe(mounted.gateway_identity_key);
  expect(gateway.environment?.AUTH_JWKS).toBe(mounted.token_issuer_jwks);
  for (const name of HUB_SUBGRAPHS) {
    const secrets = project.services[name]!.secrets!;
    expect(secrets.map((secret) => secret.target)).toEqual([
      project.services[name]!.environment!.GATEWAY_IDENTITY_JWKS,
    ]);
  }
  // Files `npm run deploy:keys` writes into a gitignored folder.
  for (const secret of Object.values(project.secrets!)) {
    expect(path.dirname(secret.file!)).toBe(path.join(path.dirname(COMPOSE_FILE), 'secrets'));
  }
  expect(readFileSync(path.join(__dirname, '..', '..', '.gitignore'), 'utf8')).toMatch(
    /^infra\/compose\/secrets\/$/m,
  );
});

it('is refused with a misspelt field or a wrong type', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-compose-'));
  try {
    cpSync(path.dirname(COMPOSE_FILE), path.join(dir, 'compose'), { recursive: true });
    const file = path.join(dir, 'compose', 'compose.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('    stop_grace_period: 30s', '    stop_grace_periode: 30s'));
    const misspelt = await loadCompose(file).catch((caught: unknown) => caught);
    expect(misspelt).toBeInstanceOf(ManifestCheckError);
    expect((misspelt as ManifestCheckError).problems).toContain('services.gateway.stop_grace_periode');

    writeFileSync(file, original.replace('    retries: 12', '    retries: twelve'));
    const mistyped = await loadCompose(file).catch((caught: unknown) => caught);
    expect((mistyped as ManifestCheckError).problems).toMatch(/healthcheck\.retries.*"twelve"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
