// A subgraph's production build as `npm run build` makes it (infra/build/subgraphs.ts), run by
// plain node with the environment production gives it, on the database of a subgraph run from
// source, behind a gateway: it must answer as the subgraph run from source does.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGateway, type RunningGateway } from '@clusterpolisee/gateway';
import { subgraphEnvKey } from '@clusterpolisee/gateway/config';
import { postGraphQL } from '@clusterpolisee/kit/testing';
import { W1_QUERY } from '../../bench/queries';
import { startBuiltService, type BuiltService } from '../../test/support/built-service';
import { startTestHub, type TestHub } from '../../test/support/hub';

const REPO_DIR = path.resolve(__dirname, '../..');
// W1 asks it for organisations, and the other subgraphs for what they add to them.
const NAME = 'partners';

describe("a subgraph's production build", () => {
  let hub: TestHub;
  let dir: string;
  let main: string;
  let subgraph: BuiltService | undefined;
  let url: string;
  let gateway: RunningGateway | undefined;

  beforeAll(async () => {
    hub = await startTestHub();
    // Inside the repository, as subgraphs/<name>/dist is: the packages left out of the bundle
    // (@mikro-orm/*, mongodb) are found in its node_modules.
    mkdirSync(path.join(REPO_DIR, '.cache'), { recursive: true });
    dir = mkdtempSync(path.join(REPO_DIR, '.cache', 'subgraph-build-'));
    main = path.join(dir, 'dist', 'main.js');
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'infra/build/subgraphs.ts', NAME, '--outdir', path.dirname(main)],
      { cwd: REPO_DIR },
    );

    const fromSource = hub.subgraphs[NAME]!;
    const jwksFile = path.join(dir, 'gateway-identity.jwks.json');
    writeFileSync(jwksFile, JSON.stringify(fromSource.identityKey.jwks));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: process.env.MONGODB_URI,
      // The data the subgraph run from source was seeded with, read by the bundled one.
      MONGODB_DATABASE: fromSource.databaseName,
      GATEWAY_IDENTITY_JWKS: jwksFile,
    };
    // No schema path: the bundle must find its schema and the kit's from its own place.
    subgraph = await startBuiltService(`${NAME} subgraph`, [main], env);
    url = subgraph.url;
    // The hub's gateway, with the bundled subgraph in place of the one run from source.
    gateway = await startGateway({
      ...hub.gatewaySettings,
      subgraphUrls: { ...hub.gatewaySettings.subgraphUrls, [subgraphEnvKey(NAME)]: url },
    });
  }, 180_000);

  afterAll(async () => {
    await gateway?.close();
    await subgraph?.stop();
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is one file that loads no source map and nothing of our sources', () => {
    const source = readFileSync(main, 'utf8');
    expect(source).not.toMatch(/sourceMappingURL/);
    expect(source).not.toMatch(/require\("\.\.?\//);
    expect(source).not.toMatch(/require\("@clusterpolisee\//); // they export .ts, which node cannot load
  });

  it('is ready on /ready, its database reached', async () => {
    const response = await fetch(new URL('/ready', url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', service: NAME });
  });

  it('answers through the gateway as the subgraph run from source does', async () => {
    const built = await postGraphQL(gateway!.url, W1_QUERY);
    const fromSource = await hub.query(W1_QUERY);
    expect(built.errors).toBeUndefined();
    expect((built.data as { organisations: { nodes: unknown[] } }).organisations.nodes).toHaveLength(25);
    expect(built.data).toEqual(fromSource.data);
  });

  it('refuses a request that does not come from the gateway', async () => {
    const direct = await postGraphQL(url, '{ __typename }');
    expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
