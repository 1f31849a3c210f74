// `npm run build -w @clusterpolisee/gateway`: the gateway for production as one JavaScript file,
// gateway/dist/main.js, that plain `node` runs with the same environment as gateway/src/main.ts,
// and the IDE's browser assets beside it in gateway/dist/ide (src/ide/build.ts), which it serves.
// Run from TypeScript through tsx, the gateway held the source text of ~1,500 modules, their
// source maps and tsx's own loader thread; bundled, it holds one file without maps (see README
// "Performance"). The bundling itself is infra/build/bundle.ts, shared with the subgraphs;
// ensureGatewayBuild() builds it when missing or older than what went into it.
import path from 'node:path';
import { bundle, ensureBundle, type Bundle, type BundleSpec } from '@clusterpolisee/infra/build/bundle';
import { isPrebuiltCurrent, prebuildIde, PREBUILT_DIR_NAME } from './src/ide/build';

const GATEWAY_DIR = __dirname;
export const GATEWAY_DIST = path.join(GATEWAY_DIR, 'dist');
/** What `node` runs: `node <GATEWAY_NODE_ARGS> gateway/dist/main.js`. */
export const GATEWAY_BUILD_MAIN = path.join(GATEWAY_DIST, 'main.js');
/**
 * The heap settings the built gateway is measured with (README "Performance"), for whoever starts
 * it. V8's defaults let the young generation grow to 2 x 16 MB and the old one to up to ~4 x what
 * is live before a full collection: the gateway passed 250 MB under the bench's load with ~60 MB
 * live. Measured on the bench's W1/W2 (50 connections), each change alone and together:
 * - `--max-semi-space-size=2`: a young generation of 2 x 2 MB; requests' short-lived objects
 *   still die young, and CPU per request stayed within the bench's noise.
 * - `--max-old-space-size=256`: at 256 MB or less V8 lets the old generation grow only ~1.3 x past
 *   what is live (peak 250-300 MB -> 160-190 MB alone); a leak ends in a restart, not in swap.
 * - `--v8-pool-size=1`: one V8 helper thread instead of one a core (7-10 MB of stacks and malloc
 *   arenas); on 2 shared cores the others found no idle core to run on anyway.
 */
export const GATEWAY_NODE_ARGS: readonly string[] = [
  '--max-semi-space-size=2',
  '--max-old-space-size=256',
  '--v8-pool-size=1',
];
const ENTRY = path.join(GATEWAY_DIR, 'src', 'main.ts');

/**
 * Left out of the bundle:
 * - esbuild: a native binary that its JavaScript finds next to itself. Only the IDE's build from
 *   source loads it (ide/build.ts), which the bundle never runs: it serves the prebuilt assets.
 *   Neither esbuild nor the IDE's browser packages are installed in production.
 */
const EXTERNAL = ['esbuild'];

export interface GatewayBuildOptions {
  /** Default gateway/dist. */
  outdir?: string;
  log?: (line: string) => void;
}

export type GatewayBuild = Bundle;

function gatewaySpec(options: GatewayBuildOptions): BundleSpec {
  return {
    name: 'gateway',
    entry: ENTRY,
    outdir: options.outdir ?? GATEWAY_DIST,
    external: EXTERNAL,
    // Tells ide/build.ts that it runs bundled, and where the prebuilt assets are.
    define: { GATEWAY_BUNDLE_DIR: '__dirname' },
    buildScripts: [__filename],
    log: options.log,
  };
}

/**
 * Bundles gateway/src/main.ts into `<outdir>/main.js` and builds the IDE's assets into
 * `<outdir>/ide`, each replacing an older build only when done.
 */
export async function buildGateway(options: GatewayBuildOptions = {}): Promise<GatewayBuild> {
  const spec = gatewaySpec(options);
  const built = await bundle(spec);
  await prebuildIde(path.join(spec.outdir, PREBUILT_DIR_NAME), options.log);
  return built;
}

/**
 * The built gateway's main.js, built first when it is missing or any file it was built from (or
 * this script) changed since, and its IDE assets likewise: what the bench and tests run is always
 * the current source.
 */
export async function ensureGatewayBuild(options: Pick<GatewayBuildOptions, 'log'> = {}): Promise<string> {
  const spec = gatewaySpec(options);
  const main = await ensureBundle(spec);
  const ide = path.join(spec.outdir, PREBUILT_DIR_NAME);
  if (!isPrebuiltCurrent(ide)) await prebuildIde(ide, options.log);
  return main;
}

if (require.main === module) {
  const outdirFlag = process.argv.indexOf('--outdir');
  const outdir = outdirFlag === -1 ? undefined : process.argv[outdirFlag + 1];
  buildGateway({ outdir, log: (line) => console.log(line) }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
