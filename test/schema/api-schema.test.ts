import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { API_SCHEMA_HEADER } from '../../schema/api-schema';
import { checkApiSchemaFile } from '../../schema/composition';

// schema/api.graphql is what front-end teams generate their types from: the client's view of the
// supergraph, derived by `npm run compose` and kept current like the supergraph itself.
const ROOT = join(__dirname, '../..');
const YAML = join(ROOT, 'schema/supergraph.yaml');
const API = join(ROOT, 'schema/api.graphql');

test('the committed API schema matches the subgraph schemas', () => {
  expect(checkApiSchemaFile(YAML, API)).toEqual({ status: 'current' });
});

test('the API schema holds no federation internals', () => {
  const text = readFileSync(API, 'utf8');
  expect(text.startsWith(API_SCHEMA_HEADER)).toBe(true);
  expect(text).not.toMatch(/join__|link__|@link\b|@join__|@inaccessible|@tag\b|_service|_entities/);
  const schema = buildSchema(text);
  const names: string[] = schema.getDirectives().map((directive) => '@' + directive.name);
  for (const type of Object.values(schema.getTypeMap())) {
    names.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
      names.push(...Object.keys(type.getFields()).map((field) => `${type.name}.${field}`));
    if (isEnumType(type)) names.push(...type.getValues().map((value) => `${type.name}.${value.name}`));
  }
  expect(
    names.filter((name) => /join__|link__|^@link$|^_(service|entities|Service|Entity|Any)$/.test(name)),
  ).toEqual([]);
  // What clients do see, so the check above is about a real schema.
  expect(schema.getQueryType()?.getFields().organisations).toBeDefined();
  expect(schema.getMutationType()).toBeDefined();
});

describe('the stale check of the API schema', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'api-schema-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an exact copy and refuses a modified or missing one', () => {
    const copy = join(dir, 'api.graphql');
    expect(checkApiSchemaFile(YAML, copy)).toMatchObject({ status: 'missing' });
    copyFileSync(API, copy);
    expect(checkApiSchemaFile(YAML, copy)).toEqual({ status: 'current' });

    // One description changed, as a hand edit would.
    const text = readFileSync(API, 'utf8');
    const edited = text.replace(/^ {2}id: ID!$/m, '  "Edited by hand."\n  id: ID!');
    expect(edited).not.toBe(text);
    writeFileSync(copy, edited);
    const stale = checkApiSchemaFile(YAML, copy);
    expect(stale).toMatchObject({ status: 'stale' });
    expect(stale.status === 'stale' && stale.message).toMatch(/api\.graphql is out of date.*npm run compose/);

    // A field gone, as when a subgraph removed it and nobody ran `npm run compose`.
    writeFileSync(copy, text.replace(/^ {2}acronym: String\n/m, ''));
    expect(checkApiSchemaFile(YAML, copy)).toMatchObject({ status: 'stale' });
  });

  it('`npm run compose -- --check` fails on a stale API schema and names it', async () => {
    const supergraph = join(dir, 'supergraph.graphql');
    const api = join(dir, 'api.graphql');
    copyFileSync(join(ROOT, 'schema/supergraph.graphql'), supergraph);
    writeFileSync(api, readFileSync(API, 'utf8').replace(/^ {2}acronym: String\n/m, ''));
    const compose = (args: string[]) =>
      promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), ['schema/compose.ts', ...args], {
        cwd: ROOT,
      }).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          output: error.stdout + error.stderr,
        }),
      );
    const check = await compose(['--check', '--out', supergraph, '--api-out', api]);
    expect(check.code).toBe(1);
    expect(check.output).toMatch(/api\.graphql is out of date/);
    // Writing brings it back, and leaves the repository's own files alone (another --out).
    expect((await compose(['--out', supergraph, '--api-out', api])).code).toBe(0);
    expect(readFileSync(api, 'utf8')).toBe(readFileSync(API, 'utf8'));
    expect(await compose(['--check', '--out', supergraph, '--api-out', api])).toMatchObject({ code: 0 });
  }, 60_000);
});

test("the front-end example's generated code matches its operations and schema/api.graphql", async () => {
  // The codegen CLI loads ES modules, which jest's module system cannot, so it runs as its own process.
  const codegen = join(ROOT, 'node_modules/.bin/graphql-codegen');
  const outcome = await promisify(execFile)(codegen, ['--config', 'codegen.ts', '--check'], {
    cwd: join(ROOT, 'examples/frontend'),
  }).then(
    () => ({ upToDate: true, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({
      upToDate: false,
      output: `run \`npm run codegen -w examples/frontend\` and commit the result:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
  expect(outcome).toEqual({ upToDate: true, output: '' });
}, 60_000);
