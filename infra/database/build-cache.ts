// Builds an embedded engine once and keeps the result under <repo>/.cache/<engine>/<hash>/, where
// the hash covers the engine's sources (and whatever else the engine says its build depends on), so
// an edit yields a fresh build instead of a stale one. Shared by every engine: each one only says
// what its sources are and how to build them (infra/<engine>/engine.ts).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export type Log = (line: string) => void;

// Two folders up from here is the repository (infra/database), and in the packed partner kit the
// kit's own folder (dist/database), so each checkout or installed kit has its own cache.
const CACHE_ROOT = path.resolve(__dirname, '..', '..', '.cache');

export interface BuildRecipe {
  /** The engine's name: its cache folder and what log lines call it. */
  engine: string;
  /** What log lines say is built; default "the embedded database". */
  product?: string;
  /** What the log says while building, e.g. "FerretDB 1.24.2, a few minutes". */
  description: string;
  sourceDir: string;
  /** Paths relative to sourceDir whose content decides the hash. */
  sourceFiles(): Promise<string[]>;
  /** More of what the build depends on, e.g. the compiler's version. */
  keyExtras?(): Promise<string>;
  /** The name of the build's output (a file or a folder) inside the cache folder. */
  output: string;
  /** Writes the output to `target` (which does not exist yet); throws with a message to act on. */
  build(target: string, log: Log): Promise<void>;
}

/** The path of the recipe's output, built first if no build of these sources exists. */
export async function ensureBuilt(recipe: BuildRecipe, log: Log): Promise<string> {
  const engineRoot = path.join(CACHE_ROOT, recipe.engine);
  const dir = path.join(engineRoot, await sourceHash(recipe));
  const output = path.join(dir, recipe.output);
  if (await exists(output)) return output;
  const product = recipe.product ?? 'the embedded database';

  await fs.mkdir(dir, { recursive: true });
  // The lock only saves a second process from repeating a slow build; correctness comes from the
  // rename below, which never lets anyone see a half-written output.
  const release = await acquireLock(path.join(dir, 'build.lock'), output, recipe.engine, product, log);
  try {
    if (await exists(output)) return output;
    await removeLeftovers(dir, recipe.output);
    log(`building ${product}, first run only (${recipe.description})`);
    const started = Date.now();
    const tmp = path.join(dir, `.${recipe.output}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await recipe.build(tmp, log);
      await fs.rename(tmp, output);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
    log(`built ${product} in ${Math.round((Date.now() - started) / 1000)} s: ${output}`);
    await removeOutdatedBuilds(engineRoot, dir);
    return output;
  } finally {
    await release();
  }
}

// Builds of earlier sources are never used again; without this each change would leave another
// build behind (37 MB for FerretDB). A database already running keeps its files open, so removing
// them does not stop it.
async function removeOutdatedBuilds(engineRoot: string, current: string): Promise<void> {
  for (const name of await fs.readdir(engineRoot)) {
    const dir = path.join(engineRoot, name);
    if (dir !== current) await fs.rm(dir, { recursive: true, force: true });
  }
}

// Holding the lock, any temporary output is what a killed build left behind.
async function removeLeftovers(dir: string, output: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(`.${output}.`) && name.endsWith('.tmp')) {
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

async function sourceHash(recipe: BuildRecipe): Promise<string> {
  const hash = createHash('sha256');
  // Platform and architecture are part of the key so a shared checkout never runs a foreign build.
  hash.update(`${process.platform}-${process.arch}\0`);
  hash.update(`${(await recipe.keyExtras?.()) ?? ''}\0`);
  for (const name of (await recipe.sourceFiles()).sort()) {
    hash.update(`${name}\0`);
    hash.update(await fs.readFile(path.join(recipe.sourceDir, name)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Every file under `dir` (relative to it), for a recipe whose sources are a whole folder. */
export async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The command's path, looked up by hand rather than by a failed spawn, so that a missing tool gets
 * a message saying what to install instead of a bare ENOENT.
 */
export async function findOnPath(command: string): Promise<string | undefined> {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Runs a build tool; its output is shown only when it fails. Resolves to what it printed. */
export function runTool(
  command: string,
  args: string[],
  cwd: string,
  what: string,
  product = 'the embedded database',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const collect = (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else
        reject(
          new Error(
            `building ${product} failed (${what} in ${cwd} exited with ${signal ?? code}):\n${out.trim()}`,
          ),
        );
    });
  });
}

const LOCK_POLL_MS = 500;

async function acquireLock(
  lockFile: string,
  output: string,
  engine: string,
  product: string,
  log: Log,
): Promise<() => Promise<void>> {
  let waitingSaid = false;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => fs.rm(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
    // A lock left by a process that died mid-build must not block every later run. An empty lock
    // is only stale once it is old: its owner may be between creating it and writing its pid.
    const stale =
      Number.isInteger(holder) && holder > 0 ? !isAlive(holder) : await isOlderThan(lockFile, 10_000);
    if (stale) {
      await fs.rm(lockFile, { force: true });
      continue;
    }
    if (await exists(output)) return async () => {};
    if (!waitingSaid) {
      log(`waiting for process ${holder}, which is building ${product} (${engine})`);
      waitingSaid = true;
    }
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}

async function isOlderThan(file: string, ms: number): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  return !stat || Date.now() - stat.mtimeMs > ms;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
