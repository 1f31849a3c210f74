// `npm run compose`: composes schema/supergraph.graphql from the subgraphs in schema/supergraph.yaml,
// and writes beside it schema/api.graphql (the schema as clients see it, see api-schema.ts) and,
// for the default --out, the Kubernetes ConfigMap's copy infra/k8s/base/supergraph.graphql.
//   npm run compose              write the files (exit 1, files untouched, when composition fails)
//   npm run compose -- --check   only compare: exit 1 when a committed file is stale or missing
// Options: --config <supergraph.yaml>, --out <supergraph.graphql> and --api-out <api.graphql>
// (defaults: next to this script).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiSchemaFileContent } from './api-schema';
import {
  checkGeneratedFile,
  composeSupergraph,
  formatCompositionProblem,
  supergraphFileContent,
  type CompositionProblem,
} from './composition';
import { SUPERGRAPH_YAML } from './subgraphs';

const DEFAULT_OUT = path.join(__dirname, 'supergraph.graphql');
const K8S_COPY = path.join(__dirname, '../infra/k8s/base/supergraph.graphql');

function main(): number {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      config: { type: 'string', default: SUPERGRAPH_YAML },
      out: { type: 'string', default: DEFAULT_OUT },
      'api-out': { type: 'string', default: path.join(__dirname, 'api.graphql') },
    },
  });
  const yamlPath = path.resolve(values.config);
  const outPath = path.resolve(values.out);

  const outcome = composeSupergraph(yamlPath);
  if (outcome.errors) return reportErrors(outcome.errors);
  const supergraph = supergraphFileContent(outcome.supergraphSdl);
  const files: [string, string][] = [
    [outPath, supergraph],
    [path.resolve(values['api-out']), apiSchemaFileContent(outcome.supergraphSdl)],
    // The ConfigMap's copy follows the committed supergraph only, not one written elsewhere.
    ...(outPath === DEFAULT_OUT ? [[K8S_COPY, supergraph] as [string, string]] : []),
  ];

  if (values.check) {
    let failed = false;
    for (const [file, content] of files) {
      const result = checkGeneratedFile(file, content);
      if (result.status === 'current') console.log(`${path.relative(process.cwd(), file)} is up to date.`);
      else if (result.status !== 'invalid') {
        console.error(result.message);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  }

  for (const warning of outcome.warnings) console.warn('warning ' + formatCompositionProblem(warning) + '\n');
  for (const [file, content] of files) writeFileSync(file, content);
  console.log(`Composed ${files.map(([file]) => path.relative(process.cwd(), file)).join(', ')}.`);
  return 0;
}

function reportErrors(errors: CompositionProblem[]): number {
  console.error(`Composition failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n`);
  for (const problem of errors) console.error(formatCompositionProblem(problem) + '\n');
  return 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
