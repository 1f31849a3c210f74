// The key files for compose and the Kubernetes dev overlay: the development keys of `npm start`
// (so `npm run token` works against them), readable by the containers' user, shut away from
// other users of the machine by their folder; and a production identity never overwritten.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDevSecrets, writeProductionIdentity } from './keys';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hub-keys-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('copies the development keys into each folder, the folder private', async () => {
  const lines: string[] = [];
  const targets = [path.join(root, 'compose'), path.join(root, 'k8s')];
  const files = await writeDevSecrets(targets, path.join(root, 'keys'), (line) => lines.push(line));
  expect(files.map((file) => path.relative(root, file)).sort()).toEqual(
    [
      'compose/gateway-identity.jwks.json',
      'compose/gateway-identity.key.pem',
      'compose/token-issuer.jwks.json',
      'k8s/gateway-identity.jwks.json',
      'k8s/gateway-identity.key.pem',
      'k8s/token-issuer.jwks.json',
    ].sort(),
  );
  expect(lines.join('\n')).toContain('generated development keys');
  for (const dir of targets) expect(statSync(dir).mode & 0o777).toBe(0o700);
  const key = readFileSync(path.join(root, 'compose', 'gateway-identity.key.pem'), 'utf8');
  expect(key).toBe(readFileSync(path.join(root, 'keys', 'gateway-identity.key.pem'), 'utf8'));
  expect(createPrivateKey(key).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  const jwks = JSON.parse(readFileSync(path.join(root, 'k8s', 'gateway-identity.jwks.json'), 'utf8'));
  expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256' });
  expect(jwks.keys[0].d).toBeUndefined();
});

it('writes a production identity once and refuses to replace it', async () => {
  const dir = path.join(root, 'production');
  const [keyFile, jwksFile] = await writeProductionIdentity(dir);
  expect(statSync(keyFile!).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(jwksFile!, 'utf8')).keys).toHaveLength(1);
  await expect(writeProductionIdentity(dir)).rejects.toThrow(/exists: move it away first/);
});
