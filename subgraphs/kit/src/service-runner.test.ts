// The runner as processes meet it: every subgraph's entry file started with tsx, as `npm start`
// and containers start it, and a stand-in service stopped by a signal.
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

  it('says every problem in one line, with no stack', () => {
    const lines = outcome.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\[${name}\\] cannot start: Invalid ${name} configuration: `));
    expect(lines[0]).toContain('PORT="1e3" is not valid: set it to a port number from 0 to 65535');
    expect(lines[0]).toContain('MONGODB_URI is not set');
    expect(lines[0]).toContain('GATEWAY_IDENTITY_JWKS is not set');
    expect(lines[0]).not.toContain('SUBGRAPH_REQUEST_TIMEOUT_MS');
    expect(lines[0]).not.toMatch(/\s at /);
    expect(outcome.stdout).toBe('');
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
    const outcome = await runTsx(['-e', script], {}, (child) => child.kill('SIGTERM'));
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout.trimEnd().split('\n')).toEqual([
      '[stand-in] ready at http://stand-in.test/graphql',
      '[stand-in] SIGTERM: stopping (again to force)...',
      'closed',
      '[stand-in] stopped.',
      'after stop',
    ]);
    expect(outcome.code).toBe(0);
  });

  it('tells a start-up failure in one line and exits with code 1', async () => {
    const failing = `
      const { runService } = require('@clusterpolisee/kit/runner');
      void runService('stand-in', async () => { throw new Error('port 1 is taken:\\nstop what runs there'); });
    `;
    const outcome = await runTsx(['-e', failing], {});
    expect(outcome).toEqual({
      code: 1,
      stdout: '',
      stderr: '[stand-in] failed to start: port 1 is taken: stop what runs there\n',
    });
  });
});
