// The production build as `npm run build -w @clusterpolisee/gateway` makes it, run by plain node with
// the bench's heap settings and the environment production gives it, in front of real subgraphs:
// it must answer as the gateway run from source does.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { postGraphQL } from '@clusterpolisee/kit/testing';
import { W1_QUERY } from '../bench/queries';
import { startBuiltService, type BuiltService } from '../test/support/built-service';
import { startTestHub, type TestHub } from '../test/support/hub';
import { GATEWAY_NODE_ARGS } from './build';
import { subgraphEnvKey } from './src/config';

const REPO_DIR = path.resolve(__dirname, '..');

describe("the gateway's production build", () => {
  let hub: TestHub;
  let dir: string;
  let main: string;
  let gateway: BuiltService | undefined;
  let url: string;
  const rateLimitDatabase = `gateway_build_rl_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    hub = await startTestHub();
    dir = mkdtempSync(path.join(tmpdir(), 'gateway-build-'));
    main = path.join(dir, 'dist', 'main.js');
    await promisify(execFile)(
      'npm',
      ['run', 'build', '-w', '@clusterpolisee/gateway', '--', '--outdir', path.dirname(main)],
      { cwd: REPO_DIR },
    );

    const keyFile = path.join(dir, 'identity.key.pem');
    writeFileSync(keyFile, hub.gatewaySettings.identityKeyPem!, { mode: 0o600 });
    const jwksFile = path.join(dir, 'issuer.jwks.json');
    writeFileSync(jwksFile, JSON.stringify(hub.tokens.jwks));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      GATEWAY_PORT: '0',
      GATEWAY_IDENTITY_KEY_FILE: keyFile,
      AUTH_JWKS: jwksFile,
      AUTH_ISSUER: hub.tokens.issuer,
      AUTH_AUDIENCE: hub.tokens.audience,
      // The bundled MongoDB driver at work on every request, in a database of this test alone.
      MONGODB_URI: process.env.MONGODB_URI,
      GATEWAY_RATE_LIMIT_DATABASE: rateLimitDatabase,
      GATEWAY_REGISTRY: 'off',
      GATEWAY_IDE: 'off',
      ...Object.fromEntries(
        Object.values(hub.subgraphs).map((s) => [`SUBGRAPH_URL_${subgraphEnvKey(s.name)}`, s.url]),
      ),
    };
    // No SUPERGRAPH_PATH: the bundle must find the committed supergraph from its own place.
    gateway = await startBuiltService('gateway', [...GATEWAY_NODE_ARGS, main], env);
    url = gateway.url;
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await hub?.close();
    const mongo = new MongoClient(process.env.MONGODB_URI!);
    await mongo
      .db(rateLimitDatabase)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is one file that loads no source map', () => {
    const source = readFileSync(main, 'utf8');
    expect(source).not.toMatch(/sourceMappingURL/);
    expect(source).not.toMatch(/require\("\.\.?\//); // nothing left to load from our sources
  });

  it('is ready on /ready', async () => {
    const response = await fetch(new URL('/ready', url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ service: 'gateway' });
  });

  it('answers a query across the four subgraphs as the gateway run from source does', async () => {
    const built = await postGraphQL(url, W1_QUERY);
    const fromSource = await hub.query(W1_QUERY);
    expect(built.errors).toBeUndefined();
    expect((built.data as { organisations: { nodes: unknown[] } }).organisations.nodes).toHaveLength(25);
    expect(built.data).toEqual(fromSource.data);
  });

  it("checks callers' tokens with the issuer's keys it was given", async () => {
    const token = await hub.tokens.mint({ role: 'analyst' });
    const signedIn = await postGraphQL(url, W1_QUERY, undefined, { authorization: `Bearer ${token}` });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data).toEqual((await hub.query(W1_QUERY, undefined, { role: 'analyst' })).data);

    const forged = await postGraphQL(url, W1_QUERY, undefined, { authorization: `Bearer ${token}x` });
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps its rate-limit counters in MongoDB', async () => {
    const mongo = new MongoClient(process.env.MONGODB_URI!);
    try {
      const counters = await mongo.db(rateLimitDatabase).collection('rate_limits').countDocuments();
      expect(counters).toBeGreaterThan(0);
    } finally {
      await mongo.close();
    }
  });
});
