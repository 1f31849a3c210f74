// `npm run build -w @clusterpolisee/gateway`: the gateway for production as one JavaScript file,
// gateway/dist/main.js, that plain `node` runs with the same environment as gateway/src/main.ts.
// Run from TypeScript through tsx, the gateway held the source text of ~1,500 modules, their
// source maps and tsx's own loader thread; bundled, it holds one file without maps (see README
// "Performance"). ensureGatewayBuild() builds it when missing or older than what went into it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

const GATEWAY_DIR = __dirname;
const REPO_DIR = path.resolve(GATEWAY_DIR, '..');
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
/** What the last build read, for ensureGatewayBuild's staleness check. */
const INPUTS_FILE = 'inputs.json';

/**
 * Left out of the bundle, and required from node_modules at run time:
 * - esbuild: a native binary that its JavaScript finds next to itself; only the IDE's first build
 *   loads it (ide/build.ts), which also needs the IDE's browser packages from node_modules.
 */
const EXTERNAL = ['esbuild'];

export interface GatewayBuildOptions {
  /** Default gateway/dist. */
  outdir?: string;
  log?: (line: string) => void;
}

export interface GatewayBuild {
  /** The file to run with `node`. */
  main: string;
  bytes: number;
  millis: number;
}

/** Bundles gateway/src/main.ts into `<outdir>/main.js`, replacing an older build only when done. */
export async function buildGateway(options: GatewayBuildOptions = {}): Promise<GatewayBuild> {
  const started = Date.now();
  const outdir = path.resolve(options.outdir ?? GATEWAY_DIST);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { main: ENTRY },
    outdir,
    absWorkingDir: REPO_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Whitespace and syntax only: identifiers keep their names, so that stack traces in the logs
    // still name functions and classes. Renaming them too made a 2 MB smaller file but a gateway
    // with more RSS, idle and under load (166-187 MB against 144-165 MB, measured alike).
    minifyWhitespace: true,
    minifySyntax: true,
    // Loaded by no one: a map in memory was 9 MB of the gateway run from source.
    sourcemap: false,
    // The licences of the bundled packages, beside the bundle instead of in the heap.
    legalComments: 'linked',
    external: EXTERNAL,
    plugins: [sourceDirnames(outdir)],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  for (const warning of result.warnings) {
    options.log?.(`[gateway build] ${warning.text} (${warning.location?.file ?? 'unknown file'})`);
  }
  mkdirSync(outdir, { recursive: true });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(REPO_DIR, input));
  const files = [
    ...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    { path: path.join(outdir, INPUTS_FILE), contents: Buffer.from(JSON.stringify(inputs)) },
  ];
  // Each file written beside its place and renamed into it: a gateway starting meanwhile, or a
  // second build at the same time, reads either the old file or the new one, never half of one.
  for (const file of files) {
    const temporary = `${file.path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  const main = path.join(outdir, 'main.js');
  const build = { main, bytes: statSync(main).size, millis: Date.now() - started };
  options.log?.(
    `[gateway build] ${path.relative(process.cwd(), main)}: ${(build.bytes / 1e6).toFixed(1)} MB from ` +
      `${inputs.length} files in ${build.millis} ms`,
  );
  return build;
}

/**
 * The built gateway's main.js, built first when it is missing or any file it was built from (or
 * this script) changed since: what the bench and tests run is always the current source.
 */
export async function ensureGatewayBuild(options: Pick<GatewayBuildOptions, 'log'> = {}): Promise<string> {
  const main = GATEWAY_BUILD_MAIN;
  if (isCurrent(main)) return main;
  return (await buildGateway({ log: options.log })).main;
}

function isCurrent(main: string): boolean {
  let builtAt: number;
  let inputs: string[];
  try {
    builtAt = statSync(main).mtimeMs;
    inputs = JSON.parse(readFileSync(path.join(path.dirname(main), INPUTS_FILE), 'utf8')) as string[];
  } catch {
    return false; // never built, or half removed
  }
  // A file added to src/ is imported by a file that changed, so the inputs of the last build suffice.
  for (const input of [...inputs, __filename, path.join(REPO_DIR, 'package-lock.json')]) {
    try {
      if (statSync(input).mtimeMs > builtAt) return false;
    } catch {
      return false; // an input is gone: a source file was moved or a package removed
    }
  }
  return true;
}

/**
 * Our sources find files next to them with `__dirname` (the supergraph, the trusted documents, the
 * IDE's client code); in one bundle it would be dist/ for all of them. Each source file that uses
 * it gets its own directory instead, relative to the bundle, so that a repository moved elsewhere
 * still works. Packages from node_modules are left as they are.
 */
function sourceDirnames(outdir: string): Plugin {
  return {
    name: 'source-dirnames',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!/\b__dirname\b/.test(source)) return undefined;
        const relative = path.relative(outdir, path.dirname(args.path)).split(path.sep).join('/');
        const preamble =
          `import { resolve as __resolveSourceDir } from 'node:path';\n` +
          `const __sourceDirname = __resolveSourceDir(__dirname, ${JSON.stringify(relative)});\n`;
        return { contents: preamble + source.replace(/\b__dirname\b/g, '__sourceDirname'), loader: 'ts' };
      });
    },
  };
}

if (require.main === module) {
  const outdirFlag = process.argv.indexOf('--outdir');
  const outdir = outdirFlag === -1 ? undefined : process.argv[outdirFlag + 1];
  buildGateway({ outdir, log: (line) => console.log(line) }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
