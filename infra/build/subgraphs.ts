// `npm run build` (with the gateway's): each local subgraph of schema/supergraph.yaml for
// production as one JavaScript file, subgraphs/<name>/dist/main.js, that plain `node` runs with
// the environment its src/index.ts takes. Run through tsx, Apollo Server's lazy require of
// node:crypto, once a request to hash its query, went through tsx's require hook each time.
// `tsx infra/build/subgraphs.ts [name...] [--outdir dir]`: only those subgraphs; --outdir with one.
import path from 'node:path';
import { readSubgraphs } from '../../schema/subgraphs';
import type { LocalService } from '../local/services';
import { bundle, ensureBundle, type Bundle, type BundleSpec } from './bundle';

/**
 * Left out of the bundle, and required from node_modules at run time:
 * - @mikro-orm/*: MikroORM finds parts of itself at run time (the driver's package by name, its
 *   own package.json for the version check, optional dependencies it probes with require), which
 *   a bundle would no longer find where MikroORM looks for them.
 * - mongodb: MikroORM's MongoDB driver requires it, so one copy for both; it also probes optional
 *   native packages (kerberos, snappy, client-side encryption) at run time.
 * Apollo Server, graphql-js, jose, DataLoader and our own packages (whose exports are .ts files,
 * which plain node cannot load) are bundled.
 */
const EXTERNAL = ['@mikro-orm/*', 'mongodb'];

export interface SubgraphBuildOptions {
  /** Default subgraphs/<name>/dist. */
  outdir?: string;
  log?: (line: string) => void;
}

/** subgraphs/<name>/dist for the subgraph whose TypeScript entry is `entry` (its src/index.ts). */
export function subgraphDist(entry: string): string {
  return path.join(path.dirname(path.dirname(entry)), 'dist');
}

function subgraphSpec(name: string, entry: string, options: SubgraphBuildOptions): BundleSpec {
  return {
    name,
    entry,
    outdir: options.outdir ?? subgraphDist(entry),
    external: EXTERNAL,
    buildScripts: [__filename],
    log: options.log,
  };
}

function localEntry(name: string): string {
  const local = readSubgraphs().filter((entry) => entry.local);
  const found = local.find((entry) => entry.name === name);
  if (!found?.local) {
    throw new Error(
      `no local subgraph "${name}" in schema/supergraph.yaml (local ones: ${local.map((e) => e.name).join(', ')})`,
    );
  }
  return found.local.entry;
}

/** Bundles the local subgraph `name` into `<outdir>/main.js`, replacing an older build only when done. */
export async function buildSubgraph(name: string, options: SubgraphBuildOptions = {}): Promise<Bundle> {
  return bundle(subgraphSpec(name, localEntry(name), options));
}

/**
 * The services of localSubgraphs() as their production builds, run by plain node; each built
 * first when missing or older than any file it was built from.
 */
export async function ensureSubgraphBuilds(
  services: readonly LocalService[],
  options: Pick<SubgraphBuildOptions, 'log'> = {},
): Promise<LocalService[]> {
  // One after another: esbuild already uses every core for one.
  const built: LocalService[] = [];
  for (const service of services) {
    const main = await ensureBundle(subgraphSpec(service.name, service.entry, options));
    built.push({ ...service, entry: main, built: true });
  }
  return built;
}

async function main(argv: string[]): Promise<void> {
  const outdirFlag = argv.indexOf('--outdir');
  const outdir = outdirFlag === -1 ? undefined : argv[outdirFlag + 1];
  const names = argv.filter((arg, i) => !arg.startsWith('--') && (outdirFlag === -1 || i !== outdirFlag + 1));
  const selected =
    names.length > 0
      ? names
      : readSubgraphs()
          .filter((e) => e.local)
          .map((e) => e.name);
  if (outdir !== undefined && selected.length !== 1) {
    throw new Error(
      `--outdir takes one subgraph, as in: tsx infra/build/subgraphs.ts partners --outdir <dir>`,
    );
  }
  for (const name of selected) await buildSubgraph(name, { outdir, log: (line) => console.log(line) });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
