// Runs an embedded engine's server as a child process, whichever engine it is. Every engine's
// program keeps the same protocol: one line "READY <mongodb-uri>" on stdout once it accepts
// connections, exit at end of its stdin, a clean stop on SIGTERM.
//
// The child must never outlive us, whatever way we end: a normal exit runs the 'exit' hook below;
// a crash or SIGKILL closes the stdin pipe, which the engine's program treats as its signal to stop.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';
import type { Log } from './build-cache';

export interface EngineCommand {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

// A cold JVM or Go binary on a busy two-core machine answers in one or two seconds; twenty leave
// room for a machine shared with a whole test run.
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const STDERR_TAIL_LINES = 40;

export async function runServer(engine: string, command: EngineCommand, log: Log): Promise<RunningServer> {
  const child = spawn(command.file, command.args, {
    // stdin stays a pipe that we never write to: its end-of-file is how the child learns we died.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: command.env ? { ...process.env, ...command.env } : process.env,
  });

  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    log(`${engine}: ${line}`);
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
    uri = await waitForReady(child, engine, stderrTail);
    await ping(uri, engine);
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

function waitForReady(
  child: ChildProcessWithoutNullStreams,
  engine: string,
  stderrTail: string[],
): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const fail = (reason: string) => {
      cleanup();
      const tail = stderrTail.length ? `\n${stderrTail.join('\n')}` : ' (nothing on stderr)';
      reject(new Error(`the embedded database (${engine}) ${reason}${tail}`));
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
async function ping(uri: string, engine: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, directConnection: true });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (err) {
    throw new Error(
      `the embedded database (${engine}) at ${uri} does not answer ping: ${(err as Error).message}`,
    );
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
