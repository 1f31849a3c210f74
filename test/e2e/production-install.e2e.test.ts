// What the image does, done here without a container engine: `npm run build`, the files staged as
// the Dockerfile's build stage stages them (infra/build/image.ts), copied and installed in the order
// and with the commands of its runtime stage (read from the Dockerfile itself), then the gateway
// and one subgraph started with its ENTRYPOINT, one chosen by HUB_SERVICE and the other by
// argument, in front of the test hub's other subgraphs: the production install answers as the
// hub run from source does, serves the prebuilt IDE, passes the image's HEALTHCHECK, and writes
// nothing into its own files.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { subgraphEnvKey } from '@clusterpolisee/gateway/config';
import { postGraphQL } from '@clusterpolisee/kit/testing';
import { buildStageImageDir, readRuntimeStage, type RuntimeStage } from '../../infra/build/dockerfile';
import { stageImage } from '../../infra/build/image';
import { W1_QUERY } from '../../bench/queries';
import { startBuiltService, type BuiltService } from '../support/built-service';
import { startTestHub, type TestHub } from '../support/hub';

const run = promisify(execFile);
const REPO_DIR = path.resolve(__dirname, '../..');
const SUBGRAPH = 'partners';
/** Packages a production install must not hold: build and development tools, the IDE's sources. */
const BUILD_ONLY_PACKAGES = [
  'tsx',
  'typescript',
  'esbuild',
  '@esbuild',
  'react',
  'react-dom',
  'monaco-editor',
  'monaco-graphql',
  'graphiql',
  '@graphiql',
  'jest',
  '@swc',
];

/** Every file under `dir` but node_modules, with its size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.split(path.sep).includes('node_modules')) continue;
    const stat = statSync(path.join(dir, entry));
    files.set(entry, stat.isDirectory() ? 'dir' : `${stat.size}@${stat.mtimeMs}`);
  }
  return files;
}

/** `command` (argv, `node` first) in `cwd`: its exit code and output. */
function runCommand(
  command: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const [program, ...args] = command;
  const child = spawn(program === 'node' ? process.execPath : program!, args, { cwd, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe('the production install, as the image makes and runs it', () => {
  let hub: TestHub;
  let dir: string;
  let app: string;
  let home: string;
  let runtime: RuntimeStage;
  let before: Map<string, string>;
  let subgraph: BuiltService | undefined;
  let gateway: BuiltService | undefined;
  let baseEnv: NodeJS.ProcessEnv;
  const rateLimitDatabase = `production_install_rl_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const hubStarted = startTestHub();
    await run('npm', ['run', 'build'], { cwd: REPO_DIR });
    hub = await hubStarted;

    dir = mkdtempSync(path.join(tmpdir(), 'production-install-'));
    // The build stage's file system, as far as the runtime stage copies from it.
    const buildRoot = path.join(dir, 'build');
    stageImage(path.join(buildRoot, buildStageImageDir()));
    runtime = readRuntimeStage();
    app = path.join(dir, 'root', runtime.workdir);
    mkdirSync(app, { recursive: true });
    for (const step of runtime.steps) {
      if ('copy' in step) {
        expect(step.copy.from).toBe('build');
        cpSync(path.join(buildRoot, step.copy.source), path.resolve(app, step.copy.target), {
          recursive: true,
        });
      } else {
        const [npm, ...args] = step.install;
        // The npm cache of this machine is warm: no need to ask the registry what the lock file says.
        await run(npm!, args, {
          cwd: app,
          env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
          maxBuffer: 16 * 1024 * 1024,
        });
      }
    }
    before = snapshot(app);

    home = path.join(dir, 'home');
    mkdirSync(home);
    const temporary = path.join(dir, 'tmp');
    mkdirSync(temporary);
    // The image's environment and nothing of this machine's, but for the test database and ports.
    baseEnv = {
      ...runtime.env,
      PATH: process.env.PATH,
      HOME: home,
      TMPDIR: temporary,
      MONGODB_URI: process.env.MONGODB_URI,
    };

    const fromSource = hub.subgraphs[SUBGRAPH]!;
    const secrets = path.join(dir, 'secrets');
    mkdirSync(secrets);
    const file = (name: string, contents: string) => {
      writeFileSync(path.join(secrets, name), contents, { mode: 0o600 });
      return path.join(secrets, name);
    };
    const [entry, ...entryArgs] = runtime.entrypoint;
    expect(entry).toBe('node');
    // The subgraph chosen by the container's argument, on the database the hub seeded for its own.
    subgraph = await startBuiltService(
      `${SUBGRAPH} (image entry)`,
      [...entryArgs, SUBGRAPH],
      {
        ...baseEnv,
        PORT: '0',
        MONGODB_DATABASE: fromSource.databaseName,
        GATEWAY_IDENTITY_JWKS: file(
          'gateway-identity.jwks.json',
          JSON.stringify(fromSource.identityKey.jwks),
        ),
      },
      app,
    );
    // The gateway chosen by HUB_SERVICE, the built subgraph in place of the hub's one.
    gateway = await startBuiltService(
      'gateway (image entry)',
      entryArgs,
      {
        ...baseEnv,
        HUB_SERVICE: 'gateway',
        GATEWAY_PORT: '0',
        GATEWAY_IDENTITY_KEY_FILE: file('identity.key.pem', hub.gatewaySettings.identityKeyPem!),
        AUTH_JWKS: file('issuer.jwks.json', JSON.stringify(hub.tokens.jwks)),
        AUTH_ISSUER: hub.tokens.issuer,
        AUTH_AUDIENCE: hub.tokens.audience,
        GATEWAY_RATE_LIMIT_DATABASE: rateLimitDatabase,
        GATEWAY_REGISTRY: 'off',
        ...Object.fromEntries(
          Object.values(hub.subgraphs).map((s) => [`SUBGRAPH_URL_${subgraphEnvKey(s.name)}`, s.url]),
        ),
        [`SUBGRAPH_URL_${subgraphEnvKey(SUBGRAPH)}`]: subgraph.url,
      },
      app,
    );
  }, 420_000);

  afterAll(async () => {
    await gateway?.stop();
    await subgraph?.stop();
    await hub?.close();
    const mongo = new MongoClient(process.env.MONGODB_URI!);
    await mongo
      .db(rateLimitDatabase)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('holds no build tool, TypeScript or IDE package', () => {
    expect(existsSync(path.join(app, 'node_modules', 'mongodb'))).toBe(true); // it did install
    const present = BUILD_ONLY_PACKAGES.filter((name) => existsSync(path.join(app, 'node_modules', name)));
    expect(present).toEqual([]);
    // Nor any TypeScript source to run: the services are the bundles.
    const sources = readdirSync(app, { recursive: true, encoding: 'utf8' }).filter(
      (file) => !file.split(path.sep).includes('node_modules') && /\.tsx?$/.test(file),
    );
    expect(sources).toEqual([]);
  });

  it('answers a query through the gateway as the hub run from source does', async () => {
    const built = await postGraphQL(gateway!.url, W1_QUERY);
    const fromSource = await hub.query(W1_QUERY);
    expect(built.errors).toBeUndefined();
    expect((built.data as { organisations: { nodes: unknown[] } }).organisations.nodes).toHaveLength(25);
    expect(built.data).toEqual(fromSource.data);
  });

  it('serves the IDE from the assets built beforehand, compressed and cacheable', async () => {
    const page = await fetch(gateway!.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="[^"]*?(ide\/assets\/ide-[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(`/${script}`, gateway!.url), { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it("passes the image's HEALTHCHECK, by HUB_SERVICE or by port alone, and fails it on a dead port", async () => {
    const port = (url: string) => new URL(url).port;
    const gatewayHealth = await runCommand(runtime.healthcheck, app, {
      ...baseEnv,
      HUB_SERVICE: 'gateway',
      GATEWAY_PORT: port(gateway!.url),
    });
    expect(gatewayHealth).toEqual({ code: 0, output: '' });
    // Chosen by argument, the service is unknown to the health check: either port may answer.
    const subgraphHealth = await runCommand(runtime.healthcheck, app, {
      ...baseEnv,
      PORT: port(subgraph!.url),
    });
    expect(subgraphHealth).toEqual({ code: 0, output: '' });
    const closed = await runCommand(runtime.healthcheck, app, {
      ...baseEnv,
      HUB_SERVICE: SUBGRAPH,
      PORT: '1',
    });
    expect(closed.code).toBe(1);
    expect(closed.output).toContain('no 200 from /health on port 1');
  });

  it('refuses to guess the service, naming the choices', async () => {
    const entry = runtime.entrypoint;
    const none = await runCommand(entry, app, baseEnv);
    expect(none.code).toBe(2);
    expect(none.output).toContain('set HUB_SERVICE');
    expect(none.output).toContain('gateway | partners | knowledge | projects | communications');
    const unknown = await runCommand([...entry, 'billing'], app, baseEnv);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('no service "billing"');
    const both = await runCommand([...entry, SUBGRAPH], app, { ...baseEnv, HUB_SERVICE: 'gateway' });
    expect(both.code).toBe(2);
    expect(both.output).toContain('name different services');
  });

  it('wrote nothing into its own files nor its home: a read-only root file system suffices', () => {
    const after = snapshot(app);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (file) => before.get(file) !== after.get(file),
    );
    expect(changed).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
  });
});
