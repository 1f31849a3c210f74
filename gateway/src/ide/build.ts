// Builds the IDE's browser code with esbuild: one script and one stylesheet for the page (GraphiQL,
// the explorer, React, our panels and the parts of ECharts they use; fonts inlined) and the
// editor's three web workers, each with its gzip and brotli forms. `npm run build` builds them
// once into the gateway's build output (prebuildIde), which the built gateway serves from and
// never writes to: esbuild, React, Monaco and ECharts are then needed at build time only, and a
// read-only file system suffices. Run from source (`npm start`, tests), the gateway builds them
// once per process on first use instead, and keeps them on disk under .cache/ide/<key>, where
// requests read them from and the next start reuses them (in memory only without a cache folder);
// the key hashes our client sources, the build settings and the installed package versions.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { byteLength, contentHash, randomToken, represent, type Representation } from './http';

const GATEWAY_DIR = path.resolve(__dirname, '../..');
const REPO_DIR = path.resolve(GATEWAY_DIR, '..');
const CLIENT_DIR = path.join(__dirname, 'client');
/** Our files that end up in the bundle, besides client/. */
const SHARED_SOURCES = ['table.ts', 'chart.ts', 'page-config.ts', 'build.ts'].map((file) =>
  path.join(__dirname, file),
);
/** The packages whose code is bundled; their versions are part of the cache key. */
const BUNDLED_PACKAGES = [
  'esbuild',
  'graphiql',
  '@graphiql/react',
  '@graphiql/plugin-explorer',
  '@graphiql/toolkit',
  'react',
  'react-dom',
  'monaco-editor',
  'monaco-graphql',
  'graphql',
  'echarts',
];
const DEFAULT_CACHE_DIR = path.join(REPO_DIR, '.cache', 'ide');
const MANIFEST = 'manifest.json';

/**
 * The folder of the gateway's production bundle, which gateway/build.ts defines as the bundle's own
 * `__dirname` (every other `__dirname` of our sources becomes the folder of its source file there).
 * Undeclared when run from source: `typeof` then says "undefined".
 */
declare const GATEWAY_BUNDLE_DIR: string | undefined;
/** Where `npm run build` puts the IDE's assets beside the gateway's bundle: `<dist>/ide`. */
export const PREBUILT_DIR_NAME = 'ide';
const PREBUILT_DIR =
  typeof GATEWAY_BUNDLE_DIR === 'string' ? path.join(GATEWAY_BUNDLE_DIR, PREBUILT_DIR_NAME) : undefined;

export interface IdeBuild {
  /** Assets by file name, as served under /ide/assets/. */
  assets: Map<string, Representation>;
  /** File names of the page's script and stylesheet and of the editor's workers. */
  entries: { script: string; style: string; workers: { editor: string; json: string; graphql: string } };
  /** The cache folder the assets are read from on each request; none when they are in memory. */
  dir?: string;
  /** How long building (or loading from the disk cache) took. */
  millis: number;
  fromCache: boolean;
}

export interface IdeBuildOptions {
  /** Where built assets are kept between runs; `null` keeps them in memory only. Default `.cache/ide`. */
  cacheDir?: string | null;
  log?: (message: string) => void;
}

let memo: Promise<IdeBuild> | undefined;
let servedFrom: string | undefined;

/**
 * The IDE's assets: in the built gateway, those `npm run build` put beside it; run from source,
 * built on the first call of this process and shared by later calls. A failed build (or load) is
 * not remembered, nor one whose cache folder has gone (removed by hand, or replaced by
 * another gateway's newer build): the next call builds or loads again.
 */
export function ideBuild(options: IdeBuildOptions = {}): Promise<IdeBuild> {
  if (memo && servedFrom && !existsSync(path.join(servedFrom, MANIFEST))) {
    memo = undefined;
    servedFrom = undefined;
  }
  if (!memo) {
    memo = PREBUILT_DIR ? loadPrebuilt(PREBUILT_DIR) : buildIde(options);
    memo.then(
      (build) => {
        servedFrom = build.dir;
      },
      () => {
        memo = undefined;
      },
    );
  }
  return memo;
}

interface Manifest {
  entries: IdeBuild['entries'];
  assets: { name: string; contentType: string; hash: string }[];
  /** The cache key of the sources it was built from (prebuilt assets only, for isPrebuiltCurrent). */
  key?: string;
}

/**
 * The built gateway's assets, as `npm run build` left them. Never builds: the production install
 * has no esbuild nor the IDE's packages, so a build without them fails here with what to run.
 */
async function loadPrebuilt(dir: string): Promise<IdeBuild> {
  const started = Date.now();
  const prebuilt = readCache(dir);
  if (!prebuilt) {
    throw new Error(
      `the gateway's build has no IDE assets in ${dir}: build it with \`npm run build\`, or set GATEWAY_IDE=off`,
    );
  }
  return { ...prebuilt, dir, millis: Date.now() - started, fromCache: true };
}

/**
 * Builds the IDE's assets into `dir` (the gateway's build output's ide/), replacing what was there
 * only once complete. What the built gateway serves (see ideBuild).
 */
export async function prebuildIde(dir: string, log?: (message: string) => void): Promise<IdeBuild> {
  const started = Date.now();
  const key = cacheKey();
  const built = await bundle();
  const assets = await representAll(built.files);
  const parent = path.dirname(path.resolve(dir));
  const temporary = path.join(parent, `.${path.basename(dir)}-${randomToken()}`);
  try {
    writeAssets(temporary, assets, built.entries, key);
    rmSync(dir, { recursive: true, force: true });
    renameSync(temporary, dir);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  const result: IdeBuild = {
    assets,
    entries: built.entries,
    dir,
    millis: Date.now() - started,
    fromCache: false,
  };
  log?.(
    `[gateway build] IDE assets in ${path.relative(process.cwd(), dir)} in ${result.millis} ms: ${describeSizes(result)}`,
  );
  return result;
}

/** Whether `dir` holds prebuilt assets of the current client sources and packages. */
export function isPrebuiltCurrent(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    return manifest.key === cacheKey() && readCache(dir) !== undefined;
  } catch {
    return false;
  }
}

async function representAll(files: BuiltFile[]): Promise<Map<string, Representation<Buffer>>> {
  const assets = new Map<string, Representation<Buffer>>();
  await Promise.all(
    files.map(async (file) => assets.set(file.name, await represent(file.contentType, file.contents))),
  );
  return assets;
}

/** Builds (or loads from the disk cache) the IDE's assets. */
export async function buildIde(options: IdeBuildOptions = {}): Promise<IdeBuild> {
  const started = Date.now();
  const log = options.log ?? ((message: string) => console.info(message));
  const cacheDir = options.cacheDir === undefined ? DEFAULT_CACHE_DIR : options.cacheDir;
  const key = cacheKey();
  const cached = cacheDir ? readCache(path.join(cacheDir, key)) : undefined;
  if (cached) {
    const millis = Date.now() - started;
    log(
      `[gateway] IDE loaded in ${millis} ms from ${path.relative(process.cwd(), path.join(cacheDir!, key))}`,
    );
    return { ...cached, dir: path.join(cacheDir!, key), millis, fromCache: true };
  }

  const built = await bundle();
  const assets = await representAll(built.files);
  const result: IdeBuild = { assets, entries: built.entries, millis: Date.now() - started, fromCache: false };
  log(`[gateway] IDE built in ${result.millis} ms: ${describeSizes(result)}`);
  if (!cacheDir) return result;
  writeCache(cacheDir, key, assets, built.entries, log);
  // Served from the files just written, so that the buffers can go; from memory if writing failed.
  const written = readCache(path.join(cacheDir, key));
  return written ? { ...result, assets: written.assets, dir: path.join(cacheDir, key) } : result;
}

/** "ide-….js 5.4 MB (gzip 1.5 MB, br 1.3 MB), …" */
export function describeSizes(build: Pick<IdeBuild, 'assets'>): string {
  const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;
  let raw = 0;
  let gz = 0;
  let br = 0;
  const each = [...build.assets].map(([name, asset]) => {
    const [identity, gzip, brotli] = [asset.identity, asset.gzip, asset.br].map(byteLength) as [
      number,
      number,
      number,
    ];
    raw += identity;
    gz += gzip;
    br += brotli;
    return `${name} ${mb(identity)} (gzip ${mb(gzip)}, br ${mb(brotli)})`;
  });
  return `${each.join(', ')}; in all ${mb(raw)} (gzip ${mb(gz)}, br ${mb(br)})`;
}

interface BuiltFile {
  name: string;
  contentType: string;
  contents: Buffer;
}

async function bundle(): Promise<{ files: BuiltFile[]; entries: IdeBuild['entries'] }> {
  // Loaded here, not at the top: a gateway with the IDE off never loads esbuild.
  const esbuild = await import('esbuild');
  const common: BuildOptions = {
    absWorkingDir: GATEWAY_DIR,
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'silent',
    entryNames: '[name]-[hash]',
    outdir: 'ide-assets',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  const [page, workers] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { ide: path.join(CLIENT_DIR, 'main.ts') },
      // GraphiQL's fonts (and the editor's icon font) go inside the stylesheet.
      loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
    }),
    esbuild.build({
      ...common,
      entryPoints: {
        'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
        'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
        'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
      },
    }),
  ]);
  const files = [...(page.outputFiles ?? []), ...(workers.outputFiles ?? [])].map((file) => {
    const name = path.basename(file.path);
    const contents = Buffer.from(file.contents.buffer, file.contents.byteOffset, file.contents.byteLength);
    return { name, contentType: contentTypeOf(name), contents };
  });
  const find = (pattern: RegExp) => {
    const file = files.find((candidate) => pattern.test(candidate.name));
    if (!file) throw new Error(`the IDE build made no file matching ${pattern}`);
    return file.name;
  };
  return {
    files,
    entries: {
      script: find(/^ide-.*\.js$/),
      style: find(/^ide-.*\.css$/),
      workers: {
        editor: find(/^editor\.worker-.*\.js$/),
        json: find(/^json\.worker-.*\.js$/),
        graphql: find(/^graphql\.worker-.*\.js$/),
      },
    },
  };
}

function contentTypeOf(name: string): string {
  if (name.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (name.endsWith('.css')) return 'text/css; charset=utf-8';
  return 'application/octet-stream';
}

/** Hash of everything that decides the build's output. */
function cacheKey(): string {
  const parts: string[] = [];
  const sources = readdirSync(CLIENT_DIR, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(CLIENT_DIR, file))
    .filter((file) => /\.(ts|css)$/.test(file))
    .sort();
  for (const file of [...sources, ...SHARED_SOURCES]) {
    parts.push(path.relative(__dirname, file), readFileSync(file, 'utf8'));
  }
  const requireFromGateway = createRequire(path.join(GATEWAY_DIR, 'package.json'));
  for (const name of BUNDLED_PACKAGES) {
    let version = 'missing';
    try {
      version = (requireFromGateway(`${name}/package.json`) as { version: string }).version;
    } catch {
      // not resolvable through its exports: the lock file below still pins it
    }
    parts.push(`${name}@${version}`);
  }
  const lockFile = path.join(REPO_DIR, 'package-lock.json');
  if (existsSync(lockFile)) parts.push(readFileSync(lockFile, 'utf8'));
  return contentHash(parts.join('\0'));
}

function readCache(dir: string): Omit<IdeBuild, 'millis' | 'fromCache'> | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    const assets = new Map<string, Representation>();
    for (const asset of manifest.assets) {
      const file = path.join(dir, asset.name);
      const onDisk = (name: string) => ({ file: name, size: statSync(name).size });
      assets.set(asset.name, {
        contentType: asset.contentType,
        hash: asset.hash,
        identity: onDisk(file),
        gzip: onDisk(`${file}.gz`),
        br: onDisk(`${file}.br`),
      });
    }
    return { assets, entries: manifest.entries };
  } catch {
    return undefined; // not cached yet, or half removed: build again
  }
}

/** Writes into a fresh folder and renames it into place, so readers never see half a cache. */
function writeCache(
  cacheDir: string,
  key: string,
  assets: Map<string, Representation<Buffer>>,
  entries: IdeBuild['entries'],
  log: (message: string) => void,
): void {
  const target = path.join(cacheDir, key);
  const temporary = path.join(cacheDir, `.${key}-${randomToken()}`);
  try {
    writeAssets(temporary, assets, entries);
    // Older builds are of no use any more; another process may have written this key meanwhile.
    for (const old of readdirSync(cacheDir)) {
      if (old !== key && !old.startsWith('.'))
        rmSync(path.join(cacheDir, old), { recursive: true, force: true });
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (existsSync(path.join(target, MANIFEST))) return; // another process cached the same build
    log(
      `[gateway] IDE build not cached on disk (${(error as Error).message}); it is rebuilt on the next start.`,
    );
  }
}

/** Each asset in its three forms, and the manifest that readCache reads them back with. */
function writeAssets(
  dir: string,
  assets: Map<string, Representation<Buffer>>,
  entries: IdeBuild['entries'],
  key?: string,
): void {
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = { entries, assets: [], ...(key ? { key } : {}) };
  for (const [name, asset] of assets) {
    writeFileSync(path.join(dir, name), asset.identity);
    writeFileSync(path.join(dir, `${name}.gz`), asset.gzip);
    writeFileSync(path.join(dir, `${name}.br`), asset.br);
    manifest.assets.push({ name, contentType: asset.contentType, hash: asset.hash });
  }
  writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
}
