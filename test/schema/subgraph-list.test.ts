import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { planHub, PlanError } from '../../infra/local/services';
import { composeSupergraph } from '../../schema/composition';
import { readSubgraphs, SUPERGRAPH_YAML, SubgraphListError } from '../../schema/subgraphs';
import { writeExtendedSupergraph, type ExtendedSupergraph } from '../support/extra-subgraphs';

// schema/supergraph.yaml is the only list of subgraphs: one more entry (and, for a local
// subgraph, its folder) is all that codegen, compose and `npm start` need. The test hub's part is
// in test/e2e/subgraph-list.e2e.test.ts.
const ROOT = join(__dirname, '../..');
const HUB = ['partners', 'knowledge', 'projects', 'communications'];

let dir: string;
let extended: ExtendedSupergraph;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'subgraph-list-'));
  extended = writeExtendedSupergraph(dir, {
    fifth: 'http://127.0.0.1:4005/graphql',
    elsewhere: 'https://partner.example.org/graphql',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the list of subgraphs', () => {
  it('tells local subgraphs (a folder with src/index.ts) from those running elsewhere', () => {
    const entries = readSubgraphs(extended.yamlPath);
    expect(entries.map((e) => e.name)).toEqual([...HUB, 'fifth', 'elsewhere']);
    expect(entries.filter((e) => e.local).map((e) => e.name)).toEqual([...HUB, 'fifth']);
    expect(entries.find((e) => e.name === 'fifth')?.local).toEqual({
      dir: extended.fifthDir,
      entry: join(extended.fifthDir, 'src/index.ts'),
    });
    expect(readSubgraphs(SUPERGRAPH_YAML).map((e) => e.name)).toEqual(HUB);
  });

  it('names every problem of a malformed list at once', () => {
    const yamlPath = join(dir, 'broken.yaml');
    writeFileSync(
      yamlPath,
      'subgraphs:\n  Bad_Name:\n    routing_url: http://127.0.0.1:1/graphql\n    schema: { file: x.graphql }\n' +
        '  nourl:\n    routing_url: ftp://x\n    schema: { file: x.graphql }\n',
    );
    expect(() => readSubgraphs(yamlPath)).toThrow(SubgraphListError);
    expect(() => readSubgraphs(yamlPath)).toThrow(
      /subgraph "Bad_Name": a name is a lower-case letter[\s\S]*subgraph "nourl": `routing_url` must be an http\(s\) URL/,
    );
  });
});

describe('compose', () => {
  it('composes the added local subgraph and the one running elsewhere', () => {
    const outcome = composeSupergraph(extended.yamlPath);
    expect(outcome.errors).toBeUndefined();
    expect(outcome.supergraphSdl).toContain(
      'FIFTH @join__graph(name: "fifth", url: "http://127.0.0.1:4005/graphql")',
    );
    expect(outcome.supergraphSdl).toContain(
      'ELSEWHERE @join__graph(name: "elsewhere", url: "https://partner.example.org/graphql")',
    );
    expect(outcome.supergraphSdl).toMatch(/fifthGreeting: String! @join__field\(graph: FIFTH\)/);
    expect(outcome.supergraphSdl).toMatch(/elsewhereGreeting: String @join__field\(graph: ELSEWHERE\)/);
  });
});

describe('codegen', () => {
  it('has one output per local subgraph of the list it is given, none for one running elsewhere', async () => {
    const outputs = await codegenOutputs(extended.yamlPath);
    expect(outputs).toEqual([
      ...HUB.map((name) => `subgraphs/${name}/src/__generated__/resolvers.ts`),
      join(extended.fifthDir, 'src/__generated__/resolvers.ts'),
    ]);
    expect(await codegenOutputs(undefined)).toEqual(outputs.slice(0, HUB.length));
  });

  it('generates the added subgraph’s resolver types', async () => {
    const codegen = join(ROOT, 'node_modules/.bin/graphql-codegen');
    // Only the new one: the hub's own outputs are the staleness test's business.
    await promisify(execFile)(codegen, ['--config', 'codegen.ts'], {
      cwd: ROOT,
      env: { ...process.env, SUPERGRAPH_CONFIG: extended.yamlPath, CODEGEN_ONLY: 'fifth' },
    });
    const generated = join(extended.fifthDir, 'src/__generated__/resolvers.ts');
    expect(existsSync(generated)).toBe(true);
    expect(readFileSync(generated, 'utf8')).toMatch(/fifthGreeting\?: Resolver</);
  }, 60_000);
});

describe("npm start's plan", () => {
  it('starts the added local subgraph on its routing port and nothing for the one running elsewhere', () => {
    const plan = planHub({ yamlPath: extended.yamlPath, env: {} });
    expect(plan.subgraphs.map(({ name, port }) => [name, port])).toEqual([
      ['partners', 4001],
      ['knowledge', 4002],
      ['projects', 4003],
      ['communications', 4004],
      ['fifth', 4005],
    ]);
    expect(plan.subgraphs[4]?.entry).toBe(join(extended.fifthDir, 'src/index.ts'));
    expect(plan.remote).toEqual([{ name: 'elsewhere', routingUrl: 'https://partner.example.org/graphql' }]);
    expect(plan.gateway.port).toBe(4000);
    expect(plan.gatewayEnv).toEqual({});
  });

  it('moves every port with HUB_BASE_PORT, one with PORT_<NAME>, and tells the gateway', () => {
    const plan = planHub({ yamlPath: extended.yamlPath, env: { HUB_BASE_PORT: '5000', PORT_FIFTH: '6000' } });
    expect(plan.gateway.port).toBe(5000);
    expect(plan.subgraphs.map(({ port }) => port)).toEqual([5001, 5002, 5003, 5004, 6000]);
    expect(plan.gatewayEnv).toMatchObject({
      SUBGRAPH_URL_PARTNERS: 'http://127.0.0.1:5001/graphql',
      SUBGRAPH_URL_FIFTH: 'http://127.0.0.1:6000/graphql',
    });
    expect(planHub({ env: { GATEWAY_PORT: '8080' } }).gateway.port).toBe(8080);
  });

  it('takes PORT for a subgraph started alone, and refuses it for the whole hub, saying what to set', () => {
    const alone = planHub({ yamlPath: extended.yamlPath, env: { PORT: '7000' }, only: 'fifth' });
    expect(alone.subgraphs).toEqual([expect.objectContaining({ name: 'fifth', port: 7000 })]);
    expect(() => planHub({ yamlPath: extended.yamlPath, env: { PORT: '7000' } })).toThrow(
      /PORT is the port of one service.*HUB_BASE_PORT/,
    );
  });

  it('lists every port problem at once', () => {
    const error = catchError(() =>
      planHub({ yamlPath: extended.yamlPath, env: { PORT_FIFTH: '4001', GATEWAY_PORT: 'x' } }),
    );
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).problems).toEqual([
      'GATEWAY_PORT must be a port number from 0 to 65535 (got "x").',
      'partners and fifth would both listen on port 4001: move one.',
    ]);
  });
});

/** The output files of codegen.ts for a list (relative ones are relative to the repository). */
async function codegenOutputs(yamlPath: string | undefined): Promise<string[]> {
  const saved = process.env.SUPERGRAPH_CONFIG;
  if (yamlPath) process.env.SUPERGRAPH_CONFIG = yamlPath;
  else delete process.env.SUPERGRAPH_CONFIG;
  try {
    let config: CodegenConfig | undefined;
    // Afresh: codegen.ts reads the list when loaded.
    await jest.isolateModulesAsync(async () => {
      config = ((await import('../../codegen')) as { default: CodegenConfig }).default;
    });
    return Object.keys(config!.generates);
  } finally {
    if (saved === undefined) delete process.env.SUPERGRAPH_CONFIG;
    else process.env.SUPERGRAPH_CONFIG = saved;
  }
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
