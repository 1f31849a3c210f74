// The gateway's entry as containers and `npm start` run it: with the kit's runner, a bad
// configuration is one JSON log line and exit code 1, like every subgraph's.
import { spawn } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');

it('refuses a bad environment in one line, naming every variable to set, and exits with code 1', async () => {
  const outcome = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [path.join(ROOT, 'gateway/src/main.ts')],
        {
          cwd: ROOT,
          // Nothing of this shell's hub settings: only what the test gives.
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            GATEWAY_PORT: '1e3',
            GATEWAY_IDE: ' off ',
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toBe('');
  const lines = outcome.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!) as { level: string; service: string; msg: string };
  expect(line).toMatchObject({ level: 'fatal', service: 'gateway' });
  expect(line.msg).toMatch(/^cannot start: Invalid gateway configuration: /);
  for (const part of [
    'GATEWAY_PORT="1e3" is not valid',
    "Callers' tokens cannot be checked: set AUTH_JWKS",
    'GATEWAY_IDENTITY_KEY_FILE is not set',
    'MONGODB_URI is not set',
  ]) {
    expect(line.msg).toContain(part);
  }
  expect(line.msg).not.toContain('GATEWAY_IDE=');
});
