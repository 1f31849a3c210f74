// Starts the hub's embedded database (FerretDB on SQLite, see main.go) as a child process, or
// hands back the server named by MONGODB_URI when there is one.
//
// The child must never outlive us, whatever way we end: a normal exit runs the 'exit' hook below;
// a crash or SIGKILL closes the stdin pipe, which main.go treats as its signal to stop.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';
import { ensureEmbeddedDatabaseBinary, type Log } from './build';

export { ensureEmbeddedDatabaseBinary, FERRETDB_VERSION, type Log } from './build';

export interface EmbeddedDatabase {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

export interface ResolvedDatabase {
  uri: string;
  embedded: boolean;
  /** The embedded database's process (the bench counts its CPU time); none for MONGODB_URI. */
  pid?: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const STDERR_TAIL_LINES = 40;

const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

export async function resolveDatabase(opts: { dataDir: string; log?: Log }): Promise<ResolvedDatabase> {
  const configured = process.env.MONGODB_URI?.trim();
  if (configured) return { uri: configured, embedded: false, stop: async () => {} };
  const db = await startEmbeddedDatabase(opts);
  return { uri: db.uri, embedded: true, pid: db.pid, stop: () => db.stop() };
}

export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  port?: number;
  log?: Log;
  // 'error' by default: at 'warn' FerretDB 1.24 logs every client's close (it lacks the
  // endSessions command the driver sends) and every dropped connection, which drowns test output.
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? defaultLog;
  const binary = await ensureEmbeddedDatabaseBinary({ log });
  const child = spawn(
    binary,
    [
      '--data-dir',
      opts.dataDir,
      '--listen-addr',
      `127.0.0.1:${opts.port ?? 0}`,
      '--log-level',
      opts.logLevel ?? 'error',
    ],
    // stdin stays a pipe that we never write to: its end-of-file is how the child learns we died.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );

  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    log(`ferretdb: ${line}`);
  });

  const killOnExit = () => {
    if (isRunning(child)) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const exited = new Promise<void>((resolve) => {
    if (!isRunning(child)) resolve();
    else child.once('exit', () => resolve());
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!isRunning(child)) return;
      // Referenced again so that a caller awaiting stop() is not cut short by an empty event loop.
      child.ref();
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (isRunning(child)) child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  let uri: string;
  try {
    uri = await waitForReady(child, stderrTail);
    await ping(uri);
  } catch (err) {
    await stop();
    throw err;
  }

  // A running database must not by itself keep a script alive; the 'exit' hook then stops it.
  child.unref();
  unrefStream(child.stdin);
  unrefStream(child.stdout);
  unrefStream(child.stderr);

  return { uri, pid: child.pid!, stop };
}

function waitForReady(child: ChildProcessWithoutNullStreams, stderrTail: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const fail = (reason: string) => {
      cleanup();
      const tail = stderrTail.length ? `\n${stderrTail.join('\n')}` : ' (nothing on stderr)';
      reject(new Error(`the embedded database ${reason}${tail}`));
    };
    const onLine = (line: string) => {
      const match = /^READY (\S+)/.exec(line);
      if (!match?.[1]) return;
      cleanup();
      resolve(match[1]);
    };
    const onError = (err: Error) => fail(`could not be started: ${err.message}`);
    // stderr may still be draining when 'exit' fires; a moment later the tail is complete.
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      setTimeout(() => fail(`exited before it was ready (${signal ?? `code ${code}`})`), 50);
    const timer = setTimeout(
      () => fail(`was not ready within ${READY_TIMEOUT_MS / 1000} s`),
      READY_TIMEOUT_MS,
    );
    const cleanup = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    lines.on('line', onLine);
    child.on('error', onError);
    child.on('exit', onExit);
  });
}

// READY means the listener is bound; a ping proves the server behind it actually answers.
async function ping(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, directConnection: true });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (err) {
    throw new Error(`the embedded database at ${uri} does not answer ping: ${(err as Error).message}`);
  } finally {
    await client.close();
  }
}

// A child that failed to spawn has no pid and may never emit 'exit'.
function isRunning(child: ChildProcessWithoutNullStreams): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function unrefStream(stream: object): void {
  (stream as { unref?: () => void }).unref?.();
}
