// The launcher against each engine's real server: each test starts its own embedded instance beside
// the one the global setup started, so nothing here disturbs the database other tests share.
// The engine HUB_EMBEDDED_DB chooses is always tested; the other one too when this machine has
// what it takes to build it (CI has both), and is otherwise skipped with the reason in its name.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { MongoClient, MongoServerError } from 'mongodb';
import {
  DEFAULT_ENGINE,
  embeddedEngineFromEnv,
  ENGINES,
  resolveDatabase,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type EngineName,
} from '.';
import { isRunning, waitUntilGone } from './process-state';

const quiet = () => {};
const started: EmbeddedDatabase[] = [];
const tempDirs: string[] = [];
const INDEX = path.join(__dirname, 'index.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;

type Kept = { _id: string; value: number };

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-database-test-'));
  tempDirs.push(dir);
  return dir;
}

async function start(engine: EngineName, dataDir: string, port?: number): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedDatabase({ engine, dataDir, port, log: quiet });
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

// Decided while jest collects the tests, which cannot wait for the engines' own (async) checks.
const BUILD_TOOLS: Record<EngineName, string[]> = {
  'mongo-java-server': ['java', 'javac', 'mvn'],
  ferretdb: ['go'],
};
function skipReason(engine: EngineName): string | undefined {
  if (engine === embeddedEngineFromEnv()) return undefined;
  const missing = BUILD_TOOLS[engine].filter((tool) => !onPath(tool));
  return missing.length ? `skipped: ${missing.join(', ')} not on PATH` : undefined;
}
function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((db) => db.stop()));
  await Promise.all(tempDirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

jest.setTimeout(60_000);

describe.each(ENGINES.map((engine) => [engine, skipReason(engine)] as const))('%s', (engine, skip) => {
  const it = skip ? test.skip : test;
  const named = (name: string) => (skip ? `${name} (${skip})` : name);

  beforeAll(async () => {
    if (skip) return;
    // Normally already built (by the global setup, or an earlier run); if not, the build gets its
    // own generous budget here rather than in the first test.
    const db = await startEmbeddedDatabase({ engine, dataDir: await tempDir(), log: quiet });
    await db.stop();
  }, 15 * 60_000);

  it(named('a second embedded instance answers ping and stores documents'), async () => {
    const db = await start(engine, await tempDir());
    expect(db.engine).toBe(engine);
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

  it(named('data survives a stop and a start on the same data folder'), async () => {
    const dataDir = await tempDir();
    const first = await start(engine, dataDir);
    await withClient(first.uri, (client) =>
      client.db('launch_test').collection<Kept>('kept').insertOne({ _id: 'k', value: 42 }),
    );
    await first.stop();

    const second = await start(engine, dataDir);
    const found = await withClient(second.uri, (client) =>
      client.db('launch_test').collection<Kept>('kept').findOne({ _id: 'k' }),
    );
    expect(found).toEqual({ _id: 'k', value: 42 });
  });

  it(named('acknowledged writes survive a SIGKILL of the server'), async () => {
    const dataDir = await tempDir();
    const first = await start(engine, dataDir);
    const ids = Array.from({ length: 200 }, (_, i) => `w${i}`);
    await withClient(first.uri, async (client) => {
      const kept = client.db('launch_test').collection<Kept>('kept');
      // Ten at a time: acknowledgements that race with each other's commits.
      for (let i = 0; i < ids.length; i += 10) {
        await Promise.all(ids.slice(i, i + 10).map((_id, j) => kept.insertOne({ _id, value: i + j })));
      }
      await kept.updateOne({ _id: 'w0' }, { $set: { value: -1 } });
    });
    process.kill(first.pid, 'SIGKILL');
    expect(await waitUntilGone(first.pid, 5_000)).toBe(true);

    const second = await start(engine, dataDir);
    const found = await withClient(second.uri, (client) =>
      client.db('launch_test').collection<Kept>('kept').find().toArray(),
    );
    expect(found.map((d) => d._id).sort()).toEqual([...ids].sort());
    expect(found.find((d) => d._id === 'w0')?.value).toBe(-1);
  });

  // The hub's exclusive writes (version claims, unique seats, the ledger) rest on this alone.
  it(named('of simultaneous inserts of one _id exactly one succeeds, the others get 11000'), async () => {
    const db = await start(engine, await tempDir());
    const clients = await Promise.all(
      Array.from({ length: 8 }, () => new MongoClient(db.uri, { directConnection: true }).connect()),
    );
    try {
      for (let round = 0; round < 20; round++) {
        // Half the rounds race on a collection that does not exist yet, whose creation races too.
        const collection = round % 2 ? 'claims' : `fresh_${round}`;
        const outcomes = await Promise.allSettled(
          clients.map((client, writer) =>
            client
              .db('launch_test')
              .collection<{ _id: string; writer: number }>(collection)
              .insertOne({ _id: `claim-${round}`, writer }),
          ),
        );
        const winners = outcomes.flatMap((o, writer) => (o.status === 'fulfilled' ? [writer] : []));
        const codes = outcomes.flatMap((o) =>
          o.status === 'rejected' ? [(o.reason as MongoServerError).code] : [],
        );
        expect(winners).toHaveLength(1);
        expect(codes).toEqual(Array(clients.length - 1).fill(11000));
        // The winner's document, not one a loser wrote over it.
        const stored = await clients[0]!
          .db('launch_test')
          .collection<{ _id: string; writer: number }>(collection)
          .find({ _id: `claim-${round}` })
          .toArray();
        expect(stored).toEqual([{ _id: `claim-${round}`, writer: winners[0] }]);
      }
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it(named('stop() ends the process and can be called again'), async () => {
    const db = await start(engine, await tempDir());
    expect(isRunning(db.pid)).toBe(true);
    await db.stop();
    expect(() => process.kill(db.pid, 0)).toThrow();
    await expect(db.stop()).resolves.toBeUndefined();
  });

  it(named('a parent killed with SIGKILL leaves no database behind'), async () => {
    const dataDir = await tempDir();
    const script = `
      const { startEmbeddedDatabase } = require(${JSON.stringify(INDEX)});
      startEmbeddedDatabase({ engine: ${JSON.stringify(engine)}, dataDir: ${JSON.stringify(dataDir)}, log: () => {} }).then(
        (db) => { console.log('PID ' + db.pid); setInterval(() => {}, 60000); },
        (err) => { console.error(err); process.exit(1); },
      );
    `;
    const parent = spawn(process.execPath, ['--import', TSX, '-e', script], {
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
});

describe('choosing the engine', () => {
  test('HUB_EMBEDDED_DB names an engine; unset or empty is the default', () => {
    expect(embeddedEngineFromEnv({})).toBe(DEFAULT_ENGINE);
    expect(embeddedEngineFromEnv({ HUB_EMBEDDED_DB: ' ' })).toBe(DEFAULT_ENGINE);
    expect(embeddedEngineFromEnv({ HUB_EMBEDDED_DB: 'ferretdb' })).toBe('ferretdb');
    expect(embeddedEngineFromEnv({ HUB_EMBEDDED_DB: 'mongo-java-server' })).toBe('mongo-java-server');
  });

  test('an unknown HUB_EMBEDDED_DB is refused with the engines named, even beside MONGODB_URI', async () => {
    const dataDir = path.join(await tempDir(), 'never-created');
    const previous = process.env.HUB_EMBEDDED_DB;
    process.env.HUB_EMBEDDED_DB = 'postgres';
    try {
      // MONGODB_URI is set (the global setup's): a typo must not wait for the day it is unset.
      await expect(resolveDatabase({ dataDir, log: quiet })).rejects.toThrow(
        'HUB_EMBEDDED_DB must be one of mongo-java-server, ferretdb (or unset for mongo-java-server); got "postgres"',
      );
      await expect(startEmbeddedDatabase({ dataDir, log: quiet })).rejects.toThrow('got "postgres"');
    } finally {
      if (previous === undefined) delete process.env.HUB_EMBEDDED_DB;
      else process.env.HUB_EMBEDDED_DB = previous;
    }
    await expect(fs.access(dataDir)).rejects.toThrow();
  });

  test('resolveDatabase returns MONGODB_URI as is and starts nothing', async () => {
    const uri = process.env.MONGODB_URI;
    expect(uri).toBeTruthy();
    // The embedded servers create their data folder on start, so an untouched folder means no start.
    const dataDir = path.join(await tempDir(), 'never-created');

    const db = await resolveDatabase({ dataDir, log: quiet });
    expect(db).toMatchObject({ uri, embedded: false });
    expect(db.engine).toBeUndefined();
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
});
