// The key files that the compose file and the Kubernetes overlays read, written where the
// deployment files expect them (`npm run deploy:keys`, deploy-keys.ts).
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateIdentityKeyPem, identitySigningKey } from '@clusterpolisee/kit/auth';
import { ensureDevKeys } from '../local/dev-keys';

const REPOSITORY = path.resolve(__dirname, '..', '..');
export const DEV_SECRET_DIRS = [
  path.join(REPOSITORY, 'infra', 'compose', 'secrets'),
  path.join(REPOSITORY, 'infra', 'k8s', 'overlays', 'dev', 'secrets'),
];

/** Copies the development keys into each of `dirs`; returns the files written. */
export async function writeDevSecrets(
  dirs: string[] = DEV_SECRET_DIRS,
  keysDir?: string,
  log: (line: string) => void = console.error,
): Promise<string[]> {
  const keys = await ensureDevKeys(keysDir, log);
  const written: string[] = [];
  for (const dir of dirs) {
    privateFolder(dir);
    for (const [source, name] of [
      [keys.identityKeyFile, 'gateway-identity.key.pem'],
      [keys.identityJwksFile, 'gateway-identity.jwks.json'],
      [keys.tokenIssuerJwksFile, 'token-issuer.jwks.json'],
    ] as const) {
      const target = path.join(dir, name);
      copyFileSync(source, target);
      // Compose mounts file secrets as they are, and the containers run as another user than the
      // one who ran this: the folder, not the file, keeps the key from other users of this machine.
      chmodSync(target, 0o644);
      written.push(target);
    }
  }
  return written;
}

/** A fresh gateway identity key and its JWKS in `dir`, for production; refuses to overwrite one. */
export async function writeProductionIdentity(dir: string): Promise<string[]> {
  privateFolder(dir);
  const keyFile = path.join(dir, 'gateway-identity.key.pem');
  const jwksFile = path.join(dir, 'gateway-identity.jwks.json');
  if (existsSync(keyFile)) {
    throw new Error(
      `${keyFile} exists: move it away first (a new key invalidates what the subgraphs trust).`,
    );
  }
  const pem = generateIdentityKeyPem();
  writeFileSync(keyFile, pem, { mode: 0o600, flag: 'wx' });
  writeFileSync(jwksFile, `${JSON.stringify((await identitySigningKey(pem)).jwks, null, 2)}\n`, {
    mode: 0o644,
  });
  return [keyFile, jwksFile];
}

function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
