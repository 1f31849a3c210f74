// What the image holds of this repository, laid out as in it (the built bundles find their data
// files from their own place): `stageImage(dir)` writes
// - <dir>/manifests: package.json, package-lock.json and each workspace's package.json, all that
//   `npm ci --omit=dev` needs (the Dockerfile copies it and installs before the rest, so that a
//   change of code reuses the installed layer);
// - <dir>/app: what `npm run build` made (the services' dist/, the image's entry) and the files
//   the services read at run time: the supergraph, its list and the SDL files it names (the
//   gateway's drift check, each subgraph's schema), the kit's shared SDL, the operations (trusted
//   documents, the IDE's examples).
// The Dockerfile's build stage runs `tsx infra/build/image.ts /image` after `npm run build`; the
// production-install test runs the same, so what it installs and starts is what the image holds.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readSubgraphs, SUPERGRAPH_YAML } from '../../schema/subgraphs';
import { HUB_DIST, serviceMains } from './hub';

const ROOT_DIR = path.resolve(__dirname, '../..');

export interface ImageFiles {
  /** For `npm ci --omit=dev`; paths relative to the root. */
  manifests: string[];
  /** Built output and run-time data files or folders; paths relative to the root. */
  app: string[];
}

/** The workspaces of the root package.json, each a folder with a package.json. */
function workspaceDirs(): string[] {
  const { workspaces = [] } = JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(ROOT_DIR, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

export function imageFiles(): ImageFiles {
  const relative = (file: string) => path.relative(ROOT_DIR, file).split(path.sep).join('/');
  const manifests = [
    'package.json',
    'package-lock.json',
    ...workspaceDirs()
      .map((dir) => `${dir}/package.json`)
      .filter((file) => existsSync(path.join(ROOT_DIR, file))),
  ];
  const schemaDir = path.dirname(SUPERGRAPH_YAML);
  const sdlFiles = readSubgraphs().flatMap((entry) => [entry.schemaFile, ...(entry.includeFiles ?? [])]);
  const app = [
    relative(HUB_DIST),
    ...Object.values(serviceMains()).map((main) => path.posix.dirname(main)),
    relative(SUPERGRAPH_YAML),
    relative(path.join(schemaDir, 'supergraph.graphql')),
    relative(path.join(schemaDir, 'operations')),
    // The kit serves its shared SDL with every subgraph's: all of it, as it chooses at run time.
    'subgraphs/kit/schema',
    ...sdlFiles.map(relative),
  ];
  return { manifests, app: [...new Set(app)].sort() };
}

/** Files of a build folder that only the build itself reads (its staleness check). */
const BUILD_ONLY = /(^|\.)inputs\.json$|\.tmp$/;

/** Writes `<dir>/manifests` and `<dir>/app` afresh; throws naming what is not built yet. */
export function stageImage(dir: string): ImageFiles {
  const files = imageFiles();
  const missing = files.app.filter((file) => !existsSync(path.join(ROOT_DIR, file)));
  if (missing.length > 0) {
    throw new Error(`not built yet: ${missing.join(', ')}; run \`npm run build\` first`);
  }
  for (const [part, list] of [
    ['manifests', files.manifests],
    ['app', files.app],
  ] as const) {
    const target = path.join(dir, part);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of list) {
      cpSync(path.join(ROOT_DIR, file), path.join(target, file), {
        recursive: true,
        filter: (source) => !BUILD_ONLY.test(path.basename(source)),
      });
    }
  }
  return files;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: tsx infra/build/image.ts <dir>');
    process.exitCode = 1;
  } else {
    try {
      const files = stageImage(path.resolve(dir));
      console.log(
        `[image] ${dir}: ${files.manifests.length} manifests, ${files.app.length} paths of the build`,
      );
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  }
}
