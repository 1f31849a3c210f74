// The runner as processes meet it: every subgraph's entry file started with tsx, as `npm start`
// and containers start it, and a stand-in service stopped by a signal. What the runner says is a
// JSON log line on standard output, one per event.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** The entry file of every subgraph folder beside the kit. */
const ENTRIES = readdirSync(path.join(ROOT, 'subgraphs'))
  .filter((name) => name !== 'kit' && existsSync(path.join(ROOT, 'subgraphs', name, 'src/index.ts')))
  .map((name) => [name, path.join(ROOT, 'subgraphs', name, 'src/index.ts')] as const);

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `args` with tsx in an environment of `env` alone (no hub variable of this shell). */
function runTsx(
  args: string[],
  env: Record<string, string>,
  onReady?: (child: ReturnType<typeof spawn>) => void,
) {
  return new Promise<Outcome>((resolve, reject) => {
    const child = spawn(TSX, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (onReady && stdout.includes('ready at')) {
        onReady(child);
        onReady = undefined;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface LogLine {
  level: string;
  time: string;
  service: string;
  msg: string;
  err?: { type: string; message: string; stack: string };
  [field: string]: unknown;
}

/** Standard output's lines, each a JSON log line; fails the test on any that is not. */
function logLines(stdout: string): LogLine[] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);
}

it('finds the subgraph entry files', () => {
  expect(ENTRIES.map(([name]) => name)).toEqual(expect.arrayContaining(['partners', 'knowledge']));
});

describe.each(ENTRIES)('the %s entry with a bad configuration', (name, entry) => {
  let outcome: Outcome;
  beforeAll(async () => {
    outcome = await runTsx([entry], { PORT: '1e3', SUBGRAPH_REQUEST_TIMEOUT_MS: ' 250 ' });
  });

  it('exits with code 1', () => {
    expect(outcome.code).toBe(1);
  });

  it('says every problem in one JSON log line, with no stack', () => {
    expect(outcome.stderr).toBe('');
    const lines = logLines(outcome.stdout);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 'fatal', service: name });
    expect(line!.msg).toMatch(new RegExp(`^cannot start: Invalid ${name} configuration: `));
    expect(line!.msg).toContain('PORT="1e3" is not valid: set it to a port number from 0 to 65535');
    expect(line!.msg).toContain('MONGODB_URI is not set');
    expect(line!.msg).toContain('GATEWAY_IDENTITY_JWKS is not set');
    expect(line!.msg).not.toContain('SUBGRAPH_REQUEST_TIMEOUT_MS');
    expect(line!.err).toBeUndefined();
    expect(outcome.stdout).not.toMatch(/\s at /);
  });
});

describe('a running service', () => {
  const script = `
    const { runService } = require('@clusterpolisee/kit/runner');
    void runService('stand-in', async () => ({
      url: 'http://stand-in.test/graphql',
      close: async () => console.log('closed'),
    }), { afterStop: async () => console.log('after stop') });
    // Something that would keep the process alive if the runner did not end it.
    setInterval(() => undefined, 60_000);
  `;

  it('stops gracefully on SIGTERM and exits with code 0', async () => {
    const outcome = await runTsx(['-e', script], { SHUTDOWN_DRAIN_MS: '0' }, (child) =>
      child.kill('SIGTERM'),
    );
    expect(outcome.stderr).toBe('');
    const lines = outcome.stdout.trimEnd().split('\n');
    const runners = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
    // The stand-in's own console lines are plain, between the runner's log lines.
    expect(
      lines.map((line) => {
        if (!line.startsWith('{')) return line;
        const { level, service, msg } = JSON.parse(line) as LogLine;
        return `${level} ${service}: ${msg}`;
      }),
    ).toEqual([
      'info stand-in: ready at http://stand-in.test/graphql',
      'info stand-in: SIGTERM: stopping (again to force)...',
      'closed',
      'info stand-in: stopped.',
      'after stop',
    ]);
    expect(runners[0]).toMatchObject({ url: 'http://stand-in.test/graphql' });
    expect(runners[1]).toMatchObject({ signal: 'SIGTERM' });
    expect(Number.isNaN(Date.parse(runners[0]!.time))).toBe(false);
    expect(outcome.code).toBe(0);
  });

  it('refuses a SHUTDOWN_DRAIN_MS that is not a duration, before starting', async () => {
    const starting = `
      const { runService } = require('@clusterpolisee/kit/runner');
      void runService('stand-in', async () => { console.log('started'); return { url: '', close: async () => {} }; });
    `;
    const outcome = await runTsx(['-e', starting], { SHUTDOWN_DRAIN_MS: '5s' });
    expect(outcome).toMatchObject({ code: 1, stderr: '' });
    expect(logLines(outcome.stdout)).toEqual([
      expect.objectContaining({
        level: 'fatal',
        service: 'stand-in',
        msg:
          'cannot start: Invalid shutdown configuration: SHUTDOWN_DRAIN_MS="5s" is not valid: ' +
          'set it to a whole number of milliseconds from 0 to 300000 (default 5000).',
      }),
    ]);
  });

  it('tells a start-up failure in one line and exits with code 1', async () => {
    const failing = `
      const { runService } = require('@clusterpolisee/kit/runner');
      void runService('stand-in', async () => { throw new Error('port 1 is taken:\\nstop what runs there'); });
    `;
    const outcome = await runTsx(['-e', failing], {});
    expect(outcome).toMatchObject({ code: 1, stderr: '' });
    const lines = logLines(outcome.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'fatal',
      service: 'stand-in',
      msg: 'failed to start: port 1 is taken: stop what runs there',
      err: { type: 'Error', message: 'port 1 is taken:\nstop what runs there' },
    });
    // The stack, in its field: one line of output all the same.
    expect(lines[0]!.err!.stack).toMatch(/^Error: port 1 is taken:\nstop what runs there\n\s+at /);
  });

  it("writes at the service's LOG_LEVEL", async () => {
    const failing = `
      const { runService } = require('@clusterpolisee/kit/runner');
      void runService('stand-in', async () => { throw new Error('no'); });
    `;
    expect(await runTsx(['-e', failing], { LOG_LEVEL: 'silent' })).toEqual({
      code: 1,
      stdout: '',
      stderr: '',
    });
    // Not a level: the service's configuration refuses it; the runner's lines come at info meanwhile.
    const loud = await runTsx(['-e', failing], { LOG_LEVEL: 'loud' });
    expect(logLines(loud.stdout)).toEqual([
      expect.objectContaining({ level: 'fatal', msg: 'failed to start: no' }),
    ]);
  });
});
