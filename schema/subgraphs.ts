// supergraph.yaml is the one list of the hub's subgraphs: codegen, compose, `npm start`, the
// seeders and the test hub all read it through this module, so adding a subgraph is one entry
// there. Kept to node built-ins and `yaml`: graphql-codegen loads it (through codegen.ts) with
// its own TypeScript loader.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The list every tool reads unless given another (tests pass a temporary copy). */
export const SUPERGRAPH_YAML = path.join(__dirname, 'supergraph.yaml');

/** One subgraph as listed in supergraph.yaml, its paths resolved against the yaml's folder. */
export interface SubgraphEntry {
  name: string;
  routingUrl: string;
  /** Absolute path of the subgraph's SDL file. */
  schemaFile: string;
  /**
   * Absolute paths of shared SDL files the subgraph serves besides its own (the kit's audit trail
   * types), from `schema.include`. Rover knows no such key: give it the files concatenated.
   */
  includeFiles?: string[];
  /**
   * Set when this repository builds and runs the subgraph: the folder of its SDL file holds
   * `src/index.ts`. Absent for a subgraph that runs elsewhere (a partner's own), which only composes.
   */
  local?: LocalSubgraphFolder;
}

export interface LocalSubgraphFolder {
  /** The subgraph's folder (`subgraphs/<name>/` by convention). */
  dir: string;
  /** `src/index.ts`, which exports the kit subgraph whose `name` is the entry's. */
  entry: string;
}

/** One problem with the list; `subgraph` is set when it belongs to one entry. */
export interface SubgraphListProblem {
  message: string;
  subgraph?: string;
}

export class SubgraphListError extends Error {
  constructor(public readonly problems: SubgraphListProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'SubgraphListError';
  }
}

// A name becomes a folder, a database (`clusterpolisee_<name>`), a federation graph enum value and
// part of variable names (`PORT_<NAME>`, `SUBGRAPH_URL_<NAME>`): keep it to what all of them accept.
const NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * Reads and validates supergraph.yaml (rover layout: `subgraphs: { <name>: { routing_url,
 * schema: { file, include? } } }`). Every problem is returned at once, each naming the file.
 */
export function parseSubgraphList(
  yamlPath: string = SUPERGRAPH_YAML,
): { subgraphs: SubgraphEntry[]; problems?: undefined } | { problems: SubgraphListProblem[] } {
  const where = displayPath(yamlPath);
  const problem = (message: string, subgraph?: string): SubgraphListProblem => ({
    message: `${where}: ${message}`,
    ...(subgraph !== undefined && { subgraph }),
  });
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(yamlPath, 'utf8'));
  } catch (error) {
    return { problems: [problem(error instanceof Error ? error.message : String(error))] };
  }
  const listed = isRecord(doc) ? doc.subgraphs : undefined;
  if (!isRecord(listed) || Object.keys(listed).length === 0) {
    return {
      problems: [
        problem('expected a non-empty `subgraphs:` map of name -> { routing_url, schema: { file } }'),
      ],
    };
  }
  const subgraphs: SubgraphEntry[] = [];
  const problems: SubgraphListProblem[] = [];
  const resolve = (relative: string) => path.resolve(path.dirname(yamlPath), relative);
  for (const [name, value] of Object.entries(listed)) {
    const count = problems.length;
    const routingUrl = isRecord(value) ? value.routing_url : undefined;
    const schema = isRecord(value) ? value.schema : undefined;
    const file = isRecord(schema) ? schema.file : undefined;
    const include = isRecord(schema) ? (schema.include ?? []) : [];
    if (!NAME.test(name)) {
      problems.push(
        problem(
          `subgraph "${name}": a name is a lower-case letter, then up to 39 lower-case letters, digits, "_" or "-"`,
          name,
        ),
      );
    }
    if (!Array.isArray(include) || include.some((entry) => typeof entry !== 'string' || entry === '')) {
      problems.push(problem(`subgraph "${name}": \`schema.include\` must be a list of SDL file paths`, name));
    }
    if (typeof routingUrl !== 'string' || routingUrl === '') {
      problems.push(problem(`subgraph "${name}" needs a \`routing_url\` string`, name));
    } else if (!isHttpUrl(routingUrl)) {
      problems.push(
        problem(`subgraph "${name}": \`routing_url\` must be an http(s) URL (got "${routingUrl}")`, name),
      );
    }
    if (typeof file !== 'string' || file === '') {
      problems.push(problem(`subgraph "${name}" needs \`schema: { file: <path to its SDL> }\``, name));
    }
    if (problems.length > count) continue;
    const schemaFile = resolve(file as string);
    const dir = path.dirname(schemaFile);
    const entry = path.join(dir, 'src', 'index.ts');
    subgraphs.push({
      name,
      routingUrl: routingUrl as string,
      schemaFile,
      ...((include as string[]).length > 0 && { includeFiles: (include as string[]).map(resolve) }),
      ...(existsSync(entry) && { local: { dir, entry } }),
    });
  }
  return problems.length > 0 ? { problems } : { subgraphs };
}

/** The subgraphs of supergraph.yaml, or a SubgraphListError listing every problem. */
export function readSubgraphs(yamlPath: string = SUPERGRAPH_YAML): SubgraphEntry[] {
  const list = parseSubgraphList(yamlPath);
  if (list.problems) throw new SubgraphListError(list.problems);
  return list.subgraphs;
}

/** The env-style key of a subgraph name, as the gateway spells it: `partner-data` -> `PARTNER_DATA`. */
export function subgraphEnvKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** A path as people should see it in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
