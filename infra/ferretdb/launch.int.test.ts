// The launcher against the real binary: each test starts its own embedded instance beside the one
// the global setup started, so nothing here disturbs the database other tests share.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import {
  ensureEmbeddedDatabaseBinary,
  resolveDatabase,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from './launch';

const quiet = () => {};
const started: EmbeddedDatabase[] = [];
const tempDirs: string[] = [];

type Kept = { _id: string; value: number };

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-ferretdb-test-'));
  tempDirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedDatabase({ dataDir, log: quiet });
  started.push(db);
  return db;
}

async function withClient<T>(uri: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.close();
  }
}

// An exited child that nobody has reaped yet (a zombie) still answers kill(pid, 0), and whether
// anyone reaps orphans depends on what runs as pid 1 here, so a zombie counts as gone.
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

beforeAll(async () => {
  // Normally already built by the global setup; if not, the build gets its own generous budget.
  await ensureEmbeddedDatabaseBinary();
}, 15 * 60_000);

afterEach(async () => {
  await Promise.all(started.splice(0).map((db) => db.stop()));
  await Promise.all(tempDirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

jest.setTimeout(60_000);

test('a second embedded instance answers ping and stores documents', async () => {
  const db = await start(await tempDir());
  expect(db.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
  expect(db.uri).not.toBe(process.env.MONGODB_URI);

  await withClient(db.uri, async (client) => {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    const things = client
      .db('launch_test')
      .collection<{ _id: string; cents: number; name: string }>('things');
    await things.insertOne({ _id: 'a', cents: 1250, name: 'first' });
    expect(await things.findOne({ _id: 'a' })).toEqual({ _id: 'a', cents: 1250, name: 'first' });
  });
});

test('data survives a stop and a start on the same data folder', async () => {
  const dataDir = await tempDir();
  const first = await start(dataDir);
  await withClient(first.uri, (client) =>
    client.db('launch_test').collection<Kept>('kept').insertOne({ _id: 'k', value: 42 }),
  );
  await first.stop();

  const second = await start(dataDir);
  const found = await withClient(second.uri, (client) =>
    client.db('launch_test').collection<Kept>('kept').findOne({ _id: 'k' }),
  );
  expect(found).toEqual({ _id: 'k', value: 42 });
});

test('stop() ends the process and can be called again', async () => {
  const db = await start(await tempDir());
  expect(isRunning(db.pid)).toBe(true);
  await db.stop();
  expect(() => process.kill(db.pid, 0)).toThrow();
  await expect(db.stop()).resolves.toBeUndefined();
});

test('a parent killed with SIGKILL leaves no database behind', async () => {
  const dataDir = await tempDir();
  const launch = path.join(__dirname, 'launch.ts');
  const script = `
    const { startEmbeddedDatabase } = require(${JSON.stringify(launch)});
    startEmbeddedDatabase({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} }).then(
      (db) => { console.log('PID ' + db.pid); setInterval(() => {}, 60000); },
      (err) => { console.error(err); process.exit(1); },
    );
  `;
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const parent = spawn(process.execPath, ['--import', tsx, '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const parentExited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));

  try {
    const dbPid = await new Promise<number>((resolve, reject) => {
      readline.createInterface({ input: parent.stdout }).on('line', (line) => {
        const match = /^PID (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      });
      parent.once('exit', (code) => reject(new Error(`launcher exited early (${code}): ${stderr}`)));
    });
    expect(isRunning(dbPid)).toBe(true);

    parent.kill('SIGKILL');
    await parentExited;
    expect(await waitUntilGone(dbPid, 5_000)).toBe(true);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
});

test('resolveDatabase returns MONGODB_URI as is and starts nothing', async () => {
  const uri = process.env.MONGODB_URI;
  expect(uri).toBeTruthy();
  // The embedded server creates its data folder on start, so an untouched folder means no start.
  const dataDir = path.join(await tempDir(), 'never-created');

  const db = await resolveDatabase({ dataDir, log: quiet });
  expect(db).toMatchObject({ uri, embedded: false });
  await expect(fs.access(dataDir)).rejects.toThrow();
  await withClient(db.uri, async (client) => {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
  await db.stop();
  // stop() on a server we did not start must leave it running for everyone else.
  await withClient(uri!, async (client) => {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});
