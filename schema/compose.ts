// `npm run compose`: composes schema/supergraph.graphql from the subgraphs in schema/supergraph.yaml.
//   npm run compose              write the file (exit 1, file untouched, when composition fails)
//   npm run compose -- --check   only compare: exit 1 when the committed file is stale or missing
// Options: --config <supergraph.yaml> and --out <supergraph.graphql> (defaults: next to this script).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkSupergraphFile,
  composeSupergraph,
  formatCompositionProblem,
  supergraphFileContent,
  type CompositionProblem,
} from './composition';
import { SUPERGRAPH_YAML } from './subgraphs';

function main(): number {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      config: { type: 'string', default: SUPERGRAPH_YAML },
      out: { type: 'string', default: path.join(__dirname, 'supergraph.graphql') },
    },
  });
  const yamlPath = path.resolve(values.config);
  const outPath = path.resolve(values.out);

  if (values.check) {
    const result = checkSupergraphFile(yamlPath, outPath);
    switch (result.status) {
      case 'current':
        console.log(`${path.relative(process.cwd(), outPath)} is up to date.`);
        return 0;
      case 'invalid':
        return reportErrors(result.errors);
      default:
        console.error(result.message);
        return 1;
    }
  }

  const outcome = composeSupergraph(yamlPath);
  if (outcome.errors) return reportErrors(outcome.errors);
  for (const warning of outcome.warnings) console.warn('warning ' + formatCompositionProblem(warning) + '\n');
  writeFileSync(outPath, supergraphFileContent(outcome.supergraphSdl));
  console.log(`Composed ${path.relative(process.cwd(), outPath)}.`);
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
