// The deployment files, validated offline by the projects' own code: main.go builds each
// Kubernetes overlay with kustomize and decodes every resource strictly into its API type, and
// loads the compose file with the Compose specification's loader. Built with Go on first use,
// into .cache/manifest-check/ (like FerretDB), and run from here by the tests and
// `npm run manifests:check`.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, findOnPath, runTool, type BuildRecipe, type Log } from '../database/build-cache';
import { writeDevSecrets } from '../compose/keys';

const REPOSITORY = path.resolve(__dirname, '..', '..');
export const K8S_DIR = path.join(REPOSITORY, 'infra', 'k8s');
export const COMPOSE_FILE = path.join(REPOSITORY, 'infra', 'compose', 'compose.yaml');
/** Every overlay the checks build, relative to infra/k8s. */
export const OVERLAYS = ['overlays/dev', 'overlays/production', 'examples/partner-subgraph'];

const PRODUCT = 'the manifest checker';

const recipe: BuildRecipe = {
  engine: 'manifest-check',
  product: PRODUCT,
  description: 'kustomize, the Kubernetes API types and compose-go; under a minute once modules are fetched',
  sourceDir: __dirname,
  sourceFiles: async () => ['main.go', 'go.mod', 'go.sum'],
  output: 'manifest-check',
  async build(target) {
    const go = await findOnPath('go');
    if (!go) throw new Error('The manifest checker is built with Go 1.26 or newer, and "go" is not on PATH.');
    await runTool(go, ['build', '-trimpath', '-o', target, '.'], __dirname, 'go build', PRODUCT);
  },
};

/** The checker's executable, built first if these sources have not been built yet. */
export function manifestChecker(log: Log = console.error): Promise<string> {
  return ensureBuilt(recipe, log);
}

/** A Kubernetes resource as kustomize built it. */
export interface K8sResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [field: string]: unknown;
}

export interface BuiltOverlay {
  dir: string;
  resources: K8sResource[];
}

/** The checker refused the files: `problems` is what it printed, one problem a line. */
export class ManifestCheckError extends Error {
  constructor(readonly problems: string) {
    super(`The deployment files do not validate:\n${problems}`);
  }
}

/**
 * Builds `overlays` (relative to `k8sDir`) and validates every resource; resolves to them, or
 * rejects with a ManifestCheckError naming each unknown field, wrong type or failed build.
 */
export async function buildOverlays(k8sDir: string, overlays: string[] = OVERLAYS): Promise<BuiltOverlay[]> {
  return (await run(['kustomize', ...overlays], k8sDir)) as BuiltOverlay[];
}

/** Loads and validates a compose file; resolves to the resolved project (`docker compose config`). */
export async function loadCompose(file: string = COMPOSE_FILE): Promise<ComposeProject> {
  return (await run(['compose', file], path.dirname(file))) as ComposeProject;
}

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  secrets?: { source: string; target: string }[];
  read_only?: boolean;
  cap_drop?: string[];
  [field: string]: unknown;
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  [field: string]: unknown;
}

/**
 * A copy of `k8sDir` in a temporary folder, with the dev overlay's secrets (development keys
 * made under it, never the repository's), so that the overlays build wherever
 * `npm run deploy:keys` has not run. Remove it with `remove()`.
 */
export async function k8sCopyWithDevSecrets(
  k8sDir: string = K8S_DIR,
): Promise<{ dir: string; remove(): void }> {
  const root = mkdtempSync(path.join(tmpdir(), 'hub-k8s-'));
  const dir = path.join(root, 'k8s');
  cpSync(k8sDir, dir, { recursive: true, filter: (source) => path.basename(source) !== 'secrets' });
  await writeDevSecrets([path.join(dir, 'overlays', 'dev', 'secrets')], path.join(root, 'keys'), () => {});
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

async function run(args: string[], cwd: string): Promise<unknown> {
  const checker = await manifestChecker();
  return new Promise((resolve, reject) => {
    execFile(checker, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        if (typeof error.code === 'number') reject(new ManifestCheckError(stderr.trim()));
        else reject(error);
        return;
      }
      resolve(JSON.parse(stdout));
    });
  });
}
