// A production bundle run the way production runs it: plain node, no tsx, its own environment.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

export interface BuiltService {
  child: ChildProcess;
  /** The URL the service printed in its "ready at" line. */
  url: string;
  /** Everything it printed, for assertions and for the error when it fails to start. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts `node [...nodeArgs]` (in `cwd`, default this process's) and resolves once the service says
 * where it is ready.
 */
export function startBuiltService(
  label: string,
  nodeArgs: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<BuiltService> {
  // Stopped by the test without a load balancer to drain for: no SHUTDOWN_DRAIN_MS wait unless asked.
  const child = spawn(process.execPath, nodeArgs, {
    env: { SHUTDOWN_DRAIN_MS: '0', ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise<BuiltService>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        // Plain or inside a JSON log line.
        const ready = /ready at (http:[^\s"]+)/.exec(line);
        if (ready) resolve({ child, url: ready[1]!, output, stop });
      });
    }
    child.once('exit', (code) =>
      reject(new Error(`the built ${label} exited (${code}):\n${output.join('\n')}`)),
    );
  });
}
