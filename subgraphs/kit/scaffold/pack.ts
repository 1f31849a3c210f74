// Packs the kit as partners install it. The workspace's own package.json points its exports at the
// raw .ts sources, which the hub's tsx, jest and tsc read without a build; npm rewrites no exports
// when packing, so the tarball is packed from a staged copy whose package.json points at dist/.
// That copy also carries the embedded database's launcher (infra/database) and the sources of both
// engines (the Java program around mongo-java-server, the Go one around FerretDB), so a partner's
// tests get the same database as the hub's, built on first use: the default engine with Java and
// Maven, FerretDB with Go only for whoever sets HUB_EMBEDDED_DB=ferretdb (three small files; leaving
// it out would make the launcher's choice of engine depend on how it was packed).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const KIT_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(KIT_DIR, '..', '..');
const INFRA_DIR = path.join(REPO_ROOT, 'infra');
/** Each engine folder's sources that its build reads (the launcher's TypeScript is compiled). */
const ENGINE_SOURCES: Record<string, string[]> = {
  'mongo-java-server': ['pom.xml', 'src'],
  ferretdb: ['main.go', 'go.mod', 'go.sum'],
};
const TSC = require.resolve('typescript/bin/tsc');

type Exports = Record<string, string | Record<string, string>>;

/** `./src/x.ts` → `./dist/x.js` with its declarations, for each of the workspace's exports. */
export function publishedExports(sourceExports: Record<string, string>): Exports {
  const published: Exports = {};
  for (const [subpath, target] of Object.entries(sourceExports)) {
    if (!target.endsWith('.ts')) {
      published[subpath] = target;
      continue;
    }
    const base = target.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
    published[subpath] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  published['./database'] = { types: './dist/database/index.d.ts', default: './dist/database/index.js' };
  published['./package.json'] = './package.json';
  return published;
}

/**
 * Compiles src/ to `outDir` (JavaScript, declarations, source maps), as `npm run build` does to
 * dist/. Packing compiles into its own staging folder, so that packs running at once (two tests
 * scaffolding) never write the same files.
 */
export async function buildKit(outDir = path.join(KIT_DIR, 'dist')): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await tsc(['-p', path.join(KIT_DIR, 'tsconfig.build.json'), '--outDir', outDir]);
}

/** Builds the kit and writes `clusterpolisee-kit-<version>.tgz` into `destination`; returns its path. */
export async function packKit(destination: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(KIT_DIR, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const stage = await mkdtemp(path.join(os.tmpdir(), 'clusterpolisee-kit-'));
  try {
    await buildKit(path.join(stage, 'dist'));
    await cp(path.join(KIT_DIR, 'schema'), path.join(stage, 'schema'), { recursive: true });
    for (const file of ['README.md', 'CHANGELOG.md']) {
      await cp(path.join(KIT_DIR, file), path.join(stage, file));
    }
    // Compiled with infra/ as the root, so dist/database sits beside dist/<engine> as infra/database
    // beside infra/<engine>, and the build cache two folders up from the launcher is
    // <installed kit>/.cache/<engine>.
    await tsc([
      ...['--outDir', path.join(stage, 'dist'), '--rootDir', INFRA_DIR, '--declaration', '--skipLibCheck'],
      ...['--esModuleInterop', '--module', 'node20', '--target', 'es2022', '--types', 'node', '--strict'],
      path.join(INFRA_DIR, 'database', 'index.ts'),
    ]);
    for (const [engine, sources] of Object.entries(ENGINE_SOURCES)) {
      for (const source of sources) {
        await cp(path.join(INFRA_DIR, engine, source), path.join(stage, 'dist', engine, source), {
          recursive: true,
        });
      }
    }
    const published = { ...manifest };
    delete published.scripts;
    delete published.devDependencies;
    published.main = './dist/index.js';
    published.types = './dist/index.d.ts';
    published.exports = publishedExports(manifest.exports as Record<string, string>);
    await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
    await mkdir(destination, { recursive: true });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', path.resolve(destination)], {
      cwd: stage,
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    return path.resolve(destination, packed!.filename);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function tsc(args: string[]): Promise<void> {
  try {
    await run(process.execPath, [TSC, ...args], { cwd: KIT_DIR });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`building the kit failed (tsc ${args.join(' ')}):\n${stdout}${stderr}`.trim());
  }
}

if (require.main === module) {
  packKit(process.argv[2] ?? process.cwd()).then(
    (tarball) => console.log(tarball),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
