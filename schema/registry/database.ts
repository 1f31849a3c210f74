// Which database the registry CLI talks to: MONGODB_URI, else the one the running `npm start`
// wrote down (its embedded database listens on a port chosen at start).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Written by infra/local/start.ts while the hub runs. */
export const HUB_MONGODB_URI_FILE = path.resolve(__dirname, '../../.data/hub-mongodb-uri');

export function registryMongoUri(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.MONGODB_URI?.trim();
  if (set) return set;
  try {
    const written = readFileSync(HUB_MONGODB_URI_FILE, 'utf8').trim();
    if (written) return written;
  } catch {
    // no hub running from this checkout
  }
  throw new Error(
    "No registry database: set MONGODB_URI to the hub's MongoDB (production), or start the hub with `npm start` " +
      `in this checkout (it writes its database's address to ${path.relative(process.cwd(), HUB_MONGODB_URI_FILE)}).`,
  );
}
