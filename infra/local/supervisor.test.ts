// The supervisor with real processes: one that lives until stopped, and one that crashes at once
// every time it is started.
import { spawn } from 'node:child_process';
import { supervise, type Supervised } from './supervisor';

function started(script: string): Supervised {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  return {
    pid: child.pid,
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`)),
    ),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

const CRASHING = 'process.exit(3)';
const LIVING = 'setInterval(() => undefined, 1000)';

it('restarts a crashing process with growing pauses, then gives up and says why', async () => {
  const lines: string[] = [];
  let restarts = 0;
  const gaveUp = await new Promise<string>((resolve) => {
    supervise({
      name: 'crasher',
      first: started(CRASHING),
      restart: async () => {
        restarts++;
        return started(CRASHING);
      },
      log: (line) => lines.push(line),
      giveUp: resolve,
      policy: { maxCrashes: 4, windowMs: 60_000, firstDelayMs: 20, maxDelayMs: 50 },
    });
  });
  expect(restarts).toBe(3);
  expect(lines.filter((line) => line.startsWith('crasher stopped unexpectedly (exit code 3)'))).toHaveLength(
    3,
  );
  // 20, 40, then the cap of 50 ms.
  expect(lines.map((line) => /restarting it in (\d+) ms/.exec(line)?.[1]).filter(Boolean)).toEqual([
    '20',
    '40',
    '50',
  ]);
  expect(gaveUp).toBe(
    'crasher stopped unexpectedly 4 times within 60 s (last: exit code 3); not restarting it again: see its log above for why',
  );
});

it('forgets crashes older than the window', async () => {
  const lines: string[] = [];
  let gaveUp = false;
  let restarts = 0;
  const supervisor = supervise({
    name: 'crasher',
    first: started(CRASHING),
    restart: async () => {
      restarts++;
      // Crashes a little after the window has passed, three times, then lives.
      return started(restarts < 4 ? 'setTimeout(() => process.exit(3), 150)' : LIVING);
    },
    log: (line) => lines.push(line),
    giveUp: () => (gaveUp = true),
    policy: { maxCrashes: 2, windowMs: 100, firstDelayMs: 10, maxDelayMs: 10 },
  });
  const deadline = Date.now() + 10_000;
  while (restarts < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  expect(gaveUp).toBe(false);
  expect(restarts).toBe(4);
  expect(lines.filter((line) => line.includes('is back'))).toHaveLength(4);
  await supervisor.stop();
});

it('does not restart a process stopped through it', async () => {
  let restarts = 0;
  const supervisor = supervise({
    name: 'living',
    first: started(LIVING),
    restart: async () => {
      restarts++;
      return started(LIVING);
    },
    log: () => undefined,
    giveUp: () => undefined,
  });
  await supervisor.stop();
  await new Promise((r) => setTimeout(r, 400));
  expect(restarts).toBe(0);
});
