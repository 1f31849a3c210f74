// `npm run build` (last step): the image's entry and health check as plain JavaScript in
// infra/dist, hub.js (`node infra/dist/hub.js [service]`, see hub-entry.ts) and healthcheck.js,
// with the services fixed at build time: the gateway and the local subgraphs of
// schema/supergraph.yaml, each at the main.js its own build writes.
// `tsx infra/build/hub.ts [--outdir dir]`.
import path from 'node:path';
import { readSubgraphs } from '../../schema/subgraphs';
import { bundle, bundleMain, type Bundle } from './bundle';
import { subgraphDist } from './subgraphs';

const ROOT_DIR = path.resolve(__dirname, '../..');
export const HUB_DIST = path.join(__dirname, '..', 'dist');
/** What the image runs: `node <HUB_ENTRY> [service]`. */
export const HUB_ENTRY = bundleMain(HUB_DIST, 'hub');
export const HUB_HEALTHCHECK = bundleMain(HUB_DIST, 'healthcheck');

/** Service name -> its built main.js, relative to the root (as the image lays it out). */
export function serviceMains(): Record<string, string> {
  const relative = (file: string) => path.relative(ROOT_DIR, file).split(path.sep).join('/');
  const mains: Record<string, string> = { gateway: 'gateway/dist/main.js' };
  for (const entry of readSubgraphs()) {
    if (entry.local) mains[entry.name] = relative(bundleMain(subgraphDist(entry.local.entry)));
  }
  return mains;
}

export async function buildHubEntries(
  options: { outdir?: string; log?: (line: string) => void } = {},
): Promise<Bundle[]> {
  const outdir = options.outdir ?? HUB_DIST;
  const define = { HUB_SERVICE_MAINS: JSON.stringify(serviceMains()) };
  const built: Bundle[] = [];
  for (const [outName, entry] of [
    ['hub', 'hub-entry.ts'],
    ['healthcheck', 'healthcheck.ts'],
  ] as const) {
    built.push(
      await bundle({
        name: outName,
        entry: path.join(__dirname, entry),
        outdir,
        outName,
        define,
        buildScripts: [__filename],
        log: options.log,
      }),
    );
  }
  return built;
}

if (require.main === module) {
  const outdirFlag = process.argv.indexOf('--outdir');
  const outdir = outdirFlag === -1 ? undefined : process.argv[outdirFlag + 1];
  buildHubEntries({ outdir, log: (line) => console.log(line) }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
