import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { LocalService } from './services';

const COLOURS = [36, 35, 33, 32, 34, 31];

export interface ServiceProcess {
  service: LocalService;
  child: ChildProcess;
  /** What it was started with besides this process's own environment, to start it again alike. */
  env: NodeJS.ProcessEnv;
}

/**
 * Runs a service's entry in its own Node process, its output re-printed line by line: TypeScript
 * with tsx as a loader, or a built one (`service.built`) with plain node; `service.nodeArgs` go to
 * node first. Its JSON log lines pass unchanged (each names its `service`, and a prefix would
 * make them unreadable to `jq` or a log collector); any other line gets the service's label.
 */
export function spawnService(service: LocalService, index: number, env: NodeJS.ProcessEnv): ServiceProcess {
  const loader = service.built ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(service.nodeArgs ?? []), ...loader, service.entry], {
    // No load balancer sits in front of these: a stop needs no drain unless one is asked for.
    env: { SHUTDOWN_DRAIN_MS: '0', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const colour = COLOURS[index % COLOURS.length];
  const label = `[${service.name}]`;
  const prefix = process.stdout.isTTY ? `\x1b[${colour}m${label}\x1b[0m` : label;
  // A line that names its service already (a `[name] ...` line of a tool) does not get it twice.
  const prefixed = (line: string) =>
    line.startsWith('{"')
      ? line
      : `${prefix} ${line.startsWith(`${label} `) ? line.slice(label.length + 1) : line}`;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', (line) => console.log(prefixed(line)));
  }
  return { service, child, env };
}

/**
 * Polls /ready until the service says it can take traffic, or `/health` until it serves at all
 * (what a restart waits for: a subgraph whose database is away, or a gateway whose subgraph is,
 * is back once it serves, and turns ready by itself).
 */
export async function waitUntilReady(
  process_: ServiceProcess,
  timeoutMs = 60_000,
  path: '/ready' | '/health' = '/ready',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const url = `http://127.0.0.1:${process_.service.port}${path}`;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = process_.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `${process_.service.name} exited (${signalCode ?? `code ${exitCode}`}) before it was ready`,
      );
    }
    try {
      const response = await fetch(url);
      const body = (await response.json()) as { service?: string };
      // Another program on the port would answer too; only our service's own answer counts.
      if (body.service !== process_.service.name) {
        throw new Error(
          `port ${process_.service.port} is taken by another program: stop it or choose another port`,
        );
      }
      if (response.ok) return;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('port ')) throw error;
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${process_.service.name} was not ready at ${url} within ${timeoutMs / 1000} s`);
}

export async function stopService({ child }: ServiceProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
