// The image's one entry, `node infra/dist/hub.js [service]`: runs the service chosen by
// `HUB_SERVICE` or the first argument (gateway, or a local subgraph of schema/supergraph.yaml) from
// its production build, in this process, as if node had been started on its main.js.
import { existsSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { chooseService, serviceMains, ServiceChoiceError } from './services';

function main(): void {
  const mains = serviceMains();
  const service = chooseService(process.env, process.argv.slice(2), Object.keys(mains));
  const entry = mains[service]!;
  if (!existsSync(entry)) {
    throw new ServiceChoiceError(
      `${path.relative(process.cwd(), entry)} is missing: build it with \`npm run build\`.`,
    );
  }
  // The service's own checks (`require.main === module`) and arguments see node started on it; a
  // service given as argument is not one of its arguments.
  const rest = process.env.HUB_SERVICE?.trim() ? process.argv.slice(2) : process.argv.slice(3);
  process.argv = [process.argv[0]!, entry, ...rest];
  (Module as unknown as { runMain(main?: string): void }).runMain(entry);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ServiceChoiceError)) throw error;
  console.error(`[hub] ${error.message}`);
  process.exitCode = 2;
}
