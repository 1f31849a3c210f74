// One service of the hub for production as one JavaScript file, <outdir>/main.js, that plain `node`
// runs with the same environment as its TypeScript entry. Run from TypeScript through tsx, a
// service holds the source text of its modules, their source maps and tsx's loader thread, and
// every lazy require() (Apollo Server's of node:crypto, once a request) goes through tsx's hook
// again; bundled, it is one file without maps (see README "Performance"). The gateway
// (gateway/build.ts) and the subgraphs (infra/build/subgraphs.ts) are built here alike.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

const REPO_DIR = path.resolve(__dirname, '../..');
/** What the last build of `<outdir>/main.js` read, for ensureBundle's staleness check. */
const INPUTS_FILE = 'inputs.json';
const DEFAULT_OUT_NAME = 'main';

export interface BundleSpec {
  /** Names the build in log lines ("gateway", "partners"...). */
  name: string;
  /** The TypeScript entry, e.g. gateway/src/main.ts. */
  entry: string;
  /** Where main.js goes: by default <the entry's package>/dist. */
  outdir: string;
  /** The bundle's file name without `.js`, for several in one folder; default `main`. */
  outName?: string;
  /** Packages left out of the bundle, required from node_modules at run time; the caller says why. */
  external?: readonly string[];
  /**
   * Global names replaced in the bundle (esbuild's `define`): a JSON value, or an identifier such
   * as `__dirname`, which is then the bundle's own (our sources' `__dirname` is their source folder).
   */
  define?: Readonly<Record<string, string>>;
  /** Files besides the bundle's inputs whose change calls for a new build: the caller's own script. */
  buildScripts?: readonly string[];
  log?: (line: string) => void;
}

export interface Bundle {
  /** The file to run with `node`. */
  main: string;
  bytes: number;
  millis: number;
}

/** `<outdir>/main.js` (or `<outName>.js`), what `node` runs. */
export function bundleMain(outdir: string, outName = DEFAULT_OUT_NAME): string {
  return path.join(path.resolve(outdir), `${outName}.js`);
}

/** inputs.json beside main.js, `<outName>.inputs.json` beside any other. */
function inputsFile(main: string): string {
  const name = path.basename(main, '.js');
  return path.join(path.dirname(main), name === DEFAULT_OUT_NAME ? INPUTS_FILE : `${name}.${INPUTS_FILE}`);
}

/** Bundles `spec.entry` into `<outdir>/main.js`, replacing an older build only when done. */
export async function bundle(spec: BundleSpec): Promise<Bundle> {
  const started = Date.now();
  const outdir = path.resolve(spec.outdir);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { [spec.outName ?? DEFAULT_OUT_NAME]: spec.entry },
    outdir,
    absWorkingDir: REPO_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Whitespace and syntax only: identifiers keep their names, so that stack traces in the logs
    // still name functions and classes (and MikroORM still finds entities by class name). Renaming
    // them too made the gateway 2 MB smaller but with more RSS, idle and under load (166-187 MB
    // against 144-165 MB, measured alike).
    minifyWhitespace: true,
    minifySyntax: true,
    // Loaded by no one: a map in memory was 9 MB of the gateway run from source.
    sourcemap: false,
    // The licences of the bundled packages, beside the bundle instead of in the heap.
    legalComments: 'linked',
    external: [...(spec.external ?? [])],
    define: { ...spec.define },
    plugins: [sourceDirnames(outdir)],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  for (const warning of result.warnings) {
    spec.log?.(`[${spec.name} build] ${warning.text} (${warning.location?.file ?? 'unknown file'})`);
  }
  mkdirSync(outdir, { recursive: true });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(REPO_DIR, input));
  const files = [
    ...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    { path: inputsFile(bundleMain(outdir, spec.outName)), contents: Buffer.from(JSON.stringify(inputs)) },
  ];
  // Each file written beside its place and renamed into it: a service starting meanwhile, or a
  // second build at the same time, reads either the old file or the new one, never half of one.
  for (const file of files) {
    const temporary = `${file.path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  const main = bundleMain(outdir, spec.outName);
  const built = { main, bytes: statSync(main).size, millis: Date.now() - started };
  spec.log?.(
    `[${spec.name} build] ${path.relative(process.cwd(), main)}: ${(built.bytes / 1e6).toFixed(1)} MB from ` +
      `${inputs.length} files in ${built.millis} ms`,
  );
  return built;
}

/**
 * `<outdir>/main.js`, built first when it is missing or any file it was built from (or the build
 * scripts) changed since: what the bench and tests run is always the current source.
 */
export async function ensureBundle(spec: BundleSpec): Promise<string> {
  const main = bundleMain(spec.outdir, spec.outName);
  if (isCurrent(main, spec.buildScripts ?? [])) return main;
  return (await bundle(spec)).main;
}

function isCurrent(main: string, buildScripts: readonly string[]): boolean {
  let builtAt: number;
  let inputs: string[];
  try {
    builtAt = statSync(main).mtimeMs;
    inputs = JSON.parse(readFileSync(inputsFile(main), 'utf8')) as string[];
  } catch {
    return false; // never built, or half removed
  }
  // A file added to src/ is imported by a file that changed, so the inputs of the last build suffice.
  for (const input of [...inputs, ...buildScripts, __filename, path.join(REPO_DIR, 'package-lock.json')]) {
    try {
      if (statSync(input).mtimeMs > builtAt) return false;
    } catch {
      return false; // an input is gone: a source file was moved or a package removed
    }
  }
  return true;
}

/**
 * Our sources find files next to them with `__dirname` (the supergraph, the schemas, the trusted
 * documents, the IDE's client code); in one bundle it would be dist/ for all of them. Each source
 * file that uses it gets its own directory instead, relative to the bundle, so that a repository
 * moved elsewhere still works. Packages from node_modules are left as they are.
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
