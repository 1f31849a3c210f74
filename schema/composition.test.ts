import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import {
  checkSupergraphFile,
  composeSupergraph,
  formatCompositionProblem,
  supergraphFileContent,
  SUPERGRAPH_HEADER,
} from './composition';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

const ORGS = `${LINK}

type Organisation @key(fields: "id") {
  id: ID!
  name: String @shareable
}

type Query {
  organisations: [Organisation!]!
}
`;

const PROJECTS_OK = `${LINK}

type Organisation @key(fields: "id") {
  id: ID!
  projectCount: Int!
}
`;

// `name` is String in orgs but Int here (line 5, column 3).
const PROJECTS_CONFLICT = `${LINK}

type Organisation @key(fields: "id") {
  id: ID!
  name: Int @shareable
}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'compose-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the yaml and the SDL files into the temp folder; returns the yaml path. */
function writeSubgraphs(files: Record<string, string | null>): string {
  let yaml = 'subgraphs:\n';
  for (const [name, sdl] of Object.entries(files)) {
    if (sdl !== null) writeFileSync(path.join(dir, `${name}.graphql`), sdl);
    yaml += `  ${name}:\n    routing_url: http://127.0.0.1:1/${name}\n    schema:\n      file: ./${name}.graphql\n`;
  }
  const yamlPath = path.join(dir, 'supergraph.yaml');
  writeFileSync(yamlPath, yaml);
  return yamlPath;
}

describe('composeSupergraph', () => {
  it('composes a valid pair into a supergraph with both subgraphs and their routing URLs', () => {
    const outcome = composeSupergraph(writeSubgraphs({ orgs: ORGS, projects: PROJECTS_OK }));
    expect(outcome.errors).toBeUndefined();
    const sdl = outcome.supergraphSdl ?? '';
    expect(sdl).toContain('ORGS @join__graph(name: "orgs", url: "http://127.0.0.1:1/orgs")');
    expect(sdl).toContain('PROJECTS @join__graph(name: "projects", url: "http://127.0.0.1:1/projects")');
    expect(sdl).toMatch(/projectCount: Int! @join__field\(graph: PROJECTS\)/);
    // The file content still parses (the header is a comment).
    expect(() => buildSchema(supergraphFileContent(sdl), { assumeValidSDL: true })).not.toThrow();
  });

  it('reports a conflicting field type naming both subgraphs with file:line:column', () => {
    const outcome = composeSupergraph(writeSubgraphs({ orgs: ORGS, projects: PROJECTS_CONFLICT }));
    expect(outcome.supergraphSdl).toBeUndefined();
    const [problem] = outcome.errors ?? [];
    expect(problem?.code).toBe('FIELD_TYPE_MISMATCH');
    expect(problem?.message).toContain('Organisation.name');
    expect(problem?.locations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subgraph: 'orgs', line: 5, column: 3 }),
        expect.objectContaining({ subgraph: 'projects', line: 5, column: 3 }),
      ]),
    );
    const text = formatCompositionProblem(problem!);
    expect(text).toMatch(/at orgs \(.*orgs\.graphql:5:3\)/);
    expect(text).toMatch(/at projects \(.*projects\.graphql:5:3\)/);
  });

  it('reports syntax errors and missing files of every subgraph at once', () => {
    const outcome = composeSupergraph(
      writeSubgraphs({ orgs: 'type Query {\n  broken(: Int\n}\n', projects: null }),
    );
    const problems = outcome.errors ?? [];
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({
      subgraph: 'orgs',
      locations: [{ subgraph: 'orgs', line: 2, column: 10 }],
    });
    expect(problems[0]?.message).toMatch(/^\[orgs\] Syntax Error/);
    expect(problems[1]).toMatchObject({ subgraph: 'projects', code: 'SCHEMA_FILE_NOT_FOUND' });
    expect(problems[1]?.message).toContain('projects.graphql');
  });

  it('says what is wrong with a malformed supergraph.yaml', () => {
    const yamlPath = path.join(dir, 'supergraph.yaml');
    writeFileSync(yamlPath, 'subgraphs:\n  orgs:\n    schema:\n      file: ./orgs.graphql\n');
    const outcome = composeSupergraph(yamlPath);
    expect(outcome.errors?.[0]?.message).toMatch(/subgraph "orgs" needs a `routing_url`/);
  });
});

describe('checkSupergraphFile', () => {
  it('tells current, stale and missing files apart', () => {
    const yamlPath = writeSubgraphs({ orgs: ORGS, projects: PROJECTS_OK });
    const out = path.join(dir, 'supergraph.graphql');
    expect(checkSupergraphFile(yamlPath, out)).toMatchObject({ status: 'missing' });

    const outcome = composeSupergraph(yamlPath);
    writeFileSync(out, supergraphFileContent(outcome.supergraphSdl ?? ''));
    expect(checkSupergraphFile(yamlPath, out)).toEqual({ status: 'current' });
    expect(supergraphFileContent('x').startsWith(SUPERGRAPH_HEADER)).toBe(true);

    writeFileSync(
      path.join(dir, 'projects.graphql'),
      PROJECTS_OK.replace('projectCount: Int!', 'projectCount: Int'),
    );
    const stale = checkSupergraphFile(yamlPath, out);
    expect(stale).toMatchObject({ status: 'stale' });
    expect(stale.status === 'stale' && stale.message).toMatch(/npm run compose/);
  });
});
