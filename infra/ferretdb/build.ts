// Builds the embedded database (our small Go program around FerretDB, see main.go) on first use and
// caches the binary under <repo>/.cache/ferretdb/<hash>/, where the hash covers the Go sources, so
// editing main.go, go.mod or go.sum yields a fresh build instead of a stale binary.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export type Log = (line: string) => void;

export const FERRETDB_VERSION = '1.24.2';

const SOURCE_DIR = __dirname;
const SOURCE_FILES = ['main.go', 'go.mod', 'go.sum'];
const CACHE_ROOT = path.resolve(__dirname, '..', '..', '.cache', 'ferretdb');
const BINARY_NAME = process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb';

// A build that prints nothing for several minutes looks hung; say so before it starts.
const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

export async function ensureEmbeddedDatabaseBinary(opts: { log?: Log } = {}): Promise<string> {
  const log = opts.log ?? defaultLog;
  const dir = path.join(CACHE_ROOT, await sourceHash());
  const binary = path.join(dir, BINARY_NAME);
  if (await isExecutable(binary)) return binary;

  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      `The embedded database needs Go 1.24 or newer to build it once (FerretDB ${FERRETDB_VERSION}), ` +
        'and "go" is not on PATH. Install Go (for example the Debian package "golang"), ' +
        'or set MONGODB_URI to a MongoDB server to use instead.',
    );
  }

  await fs.mkdir(dir, { recursive: true });
  // The lock only saves a second process from repeating a slow build; correctness comes from the
  // rename below, which never lets anyone see a half-written binary.
  const release = await acquireLock(path.join(dir, 'build.lock'), binary, log);
  try {
    if (await isExecutable(binary)) return binary;
    await removeLeftovers(dir);
    log(`building the embedded database, first run only (FerretDB ${FERRETDB_VERSION}, a few minutes)`);
    const started = Date.now();
    const tmp = path.join(dir, `.${BINARY_NAME}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await goBuild(go, tmp);
      await fs.rename(tmp, binary);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    log(`built the embedded database in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
    await removeOutdatedBuilds(dir);
    return binary;
  } finally {
    await release();
  }
}

// Builds of earlier sources are never used again; without this each change to main.go, go.mod or
// go.sum would leave another 37 MB behind.
// A database already running keeps its binary open, so removing the file does not stop it.
async function removeOutdatedBuilds(current: string): Promise<void> {
  for (const name of await fs.readdir(CACHE_ROOT)) {
    const dir = path.join(CACHE_ROOT, name);
    if (dir !== current) await fs.rm(dir, { recursive: true, force: true });
  }
}

// Holding the lock, any temporary binary is what a killed build left behind (37 MB each).
async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(`.${BINARY_NAME}.`) && name.endsWith('.tmp')) {
      await fs.rm(path.join(dir, name), { force: true });
    }
  }
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  // Platform and architecture are part of the key so a shared checkout never runs a foreign binary.
  hash.update(`${process.platform}-${process.arch}\0`);
  for (const name of SOURCE_FILES) {
    hash.update(`${name}\0`);
    hash.update(await fs.readFile(path.join(SOURCE_DIR, name)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Looked up by hand rather than by a failed spawn, so the missing-Go case gets its own message
// instead of a bare ENOENT.
async function findOnPath(command: string): Promise<string | undefined> {
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

function goBuild(go: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['build', '-trimpath', '-o', output, '.'], {
      cwd: SOURCE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `building the embedded database failed (go build in ${SOURCE_DIR} exited with ` +
              `${signal ?? code}):\n${out.trim()}`,
          ),
        );
    });
  });
}

const LOCK_POLL_MS = 500;

async function acquireLock(lockFile: string, binary: string, log: Log): Promise<() => Promise<void>> {
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
    if (await isExecutable(binary)) return async () => {};
    if (!waitingSaid) {
      log(`waiting for process ${holder}, which is building the embedded database`);
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
