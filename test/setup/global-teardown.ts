// Stops the run's database and removes its folder, so a jest run leaves no database server behind.
import fs from 'node:fs/promises';
import { HANDLE_KEY, type TestDatabaseHandle } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const handle = globals[HANDLE_KEY] as TestDatabaseHandle | undefined;
  if (!handle) return;
  delete globals[HANDLE_KEY];
  try {
    await handle.stop();
  } finally {
    await fs.rm(handle.dataDir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(handle.previousEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
