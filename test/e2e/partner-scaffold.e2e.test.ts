import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { signForwardedIdentity, type IdentitySigningKey } from '@clusterpolisee/kit/auth';
import { postGraphQL, testIdentityKey, TEST_ADMIN } from '@clusterpolisee/kit/testing';
import { createPartnerSubgraph } from '../../subgraphs/kit/scaffold/create';
import { startTestHub } from '../support/hub';

// A partner's whole path outside the hub, as issue 11 asks: scaffold a subgraph into a folder
// outside this repository, install the packed kit there, run its own tests, and serve it on PORT.
// The steps share one folder and one running subgraph, so they run in order and each needs the last.
jest.setTimeout(240_000);

const NAME = 'certifications';
const REPO_ROOT = resolve(__dirname, '..', '..');

let dir: string;
let partner: RunningPartner | undefined;
/** The key the partner trusts as the gateway's: the hub's own once it is published there. */
let identityKey: IdentitySigningKey;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partner-scaffold-e2e-'));
  identityKey = await testIdentityKey();
});
afterAll(async () => {
  await partner?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the scaffold writes a standalone repository outside the hub, depending on the packed kit', async () => {
  expect(relative(REPO_ROOT, dir).startsWith('..')).toBe(true);
  await createPartnerSubgraph({ name: NAME, out: dir });
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const kit = manifest.dependencies['@clusterpolisee/kit'];
  expect(kit).toMatch(/^file:vendor\/clusterpolisee-kit-\d+\.\d+\.\d+\.tgz$/);
  expect(existsSync(join(dir, kit!.slice('file:'.length)))).toBe(true);
  for (const file of ['schema.graphql', 'codegen.ts', 'Dockerfile', 'README.md', 'src/loaders.ts']) {
    expect(existsSync(join(dir, file))).toBe(true);
  }
  const sdl = readFileSync(join(dir, 'schema.graphql'), 'utf8');
  expect(sdl).toMatch(/type Organisation @key\(fields: "id"\)/);
  expect(sdl).toContain('@requiresScopes');
  expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).toContain(`'${NAME}'`);
});

test('npm install installs the packed kit (from the machine cache when offline)', async () => {
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund']);
  const installed = join(dir, 'node_modules/@clusterpolisee/kit');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
    private?: boolean;
    exports: Record<string, string | Record<string, string>>;
  };
  expect(manifest.private).toBeUndefined();
  // Every entry point a partner may import resolves to JavaScript with its declarations.
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target),
  );
  expect(targets.filter((target) => target.endsWith('.ts') && !target.endsWith('.d.ts'))).toEqual([]);
  expect(targets.filter((target) => !existsSync(join(installed, target)))).toEqual([]);
});

test("codegen runs in the partner's repository and reproduces the template's resolver types", async () => {
  const generated = join(dir, 'src/__generated__/resolvers.ts');
  const shipped = readFileSync(generated, 'utf8');
  await npm(['run', 'codegen']);
  expect(readFileSync(generated, 'utf8')).toBe(shipped);
});

test("the partner's own tests pass against a real database", async () => {
  // On the embedded database the partner builds and starts its own, as on a partner's machine (Go
  // links it in seconds from the build cache the hub's run warmed); on a configured MongoDB it uses that.
  const output = await npm(['test'], process.env.HUB_TEST_DB_EMBEDDED ? { MONGODB_URI: undefined } : {});
  expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
});

test('PORT=<port> npm start serves its SDL and its fields on that port', async () => {
  const port = await freePort();
  const jwks = join(dir, 'gateway-identity.jwks.json');
  await writeFile(jwks, JSON.stringify(identityKey.jwks));
  partner = await startPartner({
    PORT: String(port),
    HOST: '127.0.0.1',
    GATEWAY_IDENTITY_JWKS: jwks,
    ...(process.env.HUB_TEST_DB_EMBEDDED ? { MONGODB_URI: undefined } : {}),
  });
  expect(partner.url).toBe(`http://127.0.0.1:${port}/graphql`);

  const unsigned = await postGraphQL(partner.url, '{ _service { sdl } }');
  expect(unsigned.status).toBe(401);

  const service = await asGateway<{ _service: { sdl: string } }>('{ _service { sdl } }');
  expect(service.errors).toBeUndefined();
  expect(service.data?._service.sdl).toContain('certifications: [Certification!]\n');

  const added = await asGateway<{ addCertification: { id: string } }>(
    `mutation { addCertification(input: {
      organisationId: "e2e-org", title: "ISO 14001", issuedOn: "2013-06-01", source: "synthetic"
    }) { id } }`,
  );
  expect(added.errors).toBeUndefined();
  const organisation = await asGateway<{ _entities: { certifications: { title: string }[] }[] }>(
    '{ _entities(representations: [{ __typename: "Organisation", id: "e2e-org" }]) { ... on Organisation { certifications { title issuedOn } } } }',
  );
  expect(organisation.errors).toBeUndefined();
  expect(organisation.data?._entities).toEqual([
    { certifications: [{ title: 'ISO 14001', issuedOn: '2013-06-01' }] },
  ]);
});

// ---------------------------------------------------------------------------------------------
// HOOK for the schema registry (issue 11, items 3 and 4): from here the partner runs at
// `partner.url`, trusting `identityKey` as the gateway's (sign with the hub's key instead when a
// hub is started here). Next: `npm run subgraph -- check` and `publish` it into a running hub,
// query a field joining it with `partners` and `projects` through the gateway, then `rollback`
// and see the field gone. `partner` and `dir` are cleaned up by the afterAll above.
// ---------------------------------------------------------------------------------------------

test('check, publish into a running hub, join it with partners and projects through the gateway, roll back', async () => {
  // The hub's gateway signs with the key the partner already trusts; its registry is a database of its own.
  const identityKeyPem = identityKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const registryDatabase = `registry_e2e_${randomUUID().slice(0, 8)}`;
  const registry = {
    enabled: true,
    mongoUri: process.env.MONGODB_URI!,
    database: registryDatabase,
    pollMs: 200,
  };
  const hub = await startTestHub({ identityKeyPem, gateway: { registry } });
  const keyFile = join(dir, 'hub-gateway-identity.key.pem');
  await writeFile(keyFile, identityKeyPem, { mode: 0o600 });
  const subgraph = (...args: string[]) =>
    runRegistryCli(args, { GATEWAY_REGISTRY_DATABASE: registryDatabase, GATEWAY_IDENTITY_KEY_FILE: keyFile });
  const query =
    '{ organisations(first: 1) { nodes { id name certifications { title } partnerships { project { acronym } } } } }';
  try {
    const first = await hub.query<{ organisations: { nodes: { id: string }[] } }>(
      '{ organisations(first: 1) { nodes { id } } }',
    );
    const organisationId = first.data!.organisations.nodes[0]!.id;
    const added = await asGateway(
      `mutation { addCertification(input: { organisationId: "${organisationId}", title: "EMAS",
        issuedOn: "2013-09-01", source: "synthetic" }) { id } }`,
    );
    expect(added.errors).toBeUndefined();
    expect((await hub.query(query)).errors?.[0]?.message).toMatch(/certifications/);

    expect(await subgraph('check', NAME, '--url', partner!.url)).toMatch(
      /composes with the hub's supergraph/,
    );
    expect(await subgraph('publish', NAME, '--url', partner!.url)).toMatch(/Supergraph version 1 stored/);
    const joined = await eventually(async () => {
      const answer = await hub.query<{ organisations: { nodes: Record<string, unknown>[] } }>(query);
      return answer.errors ? undefined : answer.data!.organisations.nodes[0];
    });
    expect(joined).toMatchObject({
      id: organisationId,
      certifications: [{ title: 'EMAS' }],
      partnerships: [{ project: { acronym: expect.any(String) } }],
    });

    expect(await subgraph('rollback', '0')).toMatch(/Supergraph version 2 stored \(rollback to version 0/);
    const gone = await eventually(async () => {
      const answer = await hub.query(query);
      return answer.errors?.[0]?.message;
    });
    expect(gone).toMatch(/Cannot query field "certifications" on type "Organisation"/);
  } finally {
    await hub.close();
  }
});

/** `npm run subgraph -- <args>` as a partner runs it (tsx on the registry's CLI); its output, or a failure. */
function runRegistryCli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      join(REPO_ROOT, 'node_modules/.bin/tsx'),
      [join(REPO_ROOT, 'schema/registry/cli.ts'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`subgraph ${args.join(' ')}: ${stderr || error.message}`))
          : resolvePromise(stdout),
    );
  });
}

/** The first defined result of `probe` within 15 s: gateways poll the registry. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error('the gateway did not load the new supergraph within 15 s');
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function asGateway<TData>(query: string) {
  const identity = await signForwardedIdentity(TEST_ADMIN, identityKey, NAME, randomUUID());
  return postGraphQL<TData>(partner!.url, query, undefined, { 'x-hub-identity': identity });
}

/** The environment of a command run in the partner's folder: none of this repository's npm settings. */
function partnerEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      !/^npm_/i.test(key) ||
      /^npm_config_(cache|registry|userconfig|proxy|https_proxy|noproxy)$/i.test(key)
    ) {
      env[key] = value;
    }
  }
  env.HUB_TEST_DB_EMBEDDED = undefined;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

function npm(args: string[], overrides: Record<string, string | undefined> = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', args, {
      cwd: dir,
      env: partnerEnv(overrides),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(output)
        : reject(new Error(`npm ${args.join(' ')} in ${dir} exited with ${code}:\n${output.slice(-6000)}`)),
    );
  });
}

interface RunningPartner {
  url: string;
  stop(): Promise<void>;
}

/** `npm start` in its own process group, so that stopping it also stops what it started. */
function startPartner(overrides: Record<string, string | undefined>): Promise<RunningPartner> {
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: dir,
    env: partnerEnv(overrides),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup('SIGTERM');
    const killer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    // npm may exit before its children: make sure nothing of the group is left.
    signalGroup('SIGKILL');
  };
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => fail('was not ready within 90 s'), 90_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`the partner subgraph ${why}:\n${output.slice(-4000)}`)));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready at (http:\/\/[^\s"]+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolvePromise({ url: ready[1]!, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}
