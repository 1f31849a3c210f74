import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTokenVerifier, tokenIssuerFromKey } from '@clusterpolisee/gateway/auth';
import {
  forwardedIdentityVerifier,
  identitySigningKey,
  identityFor,
  signForwardedIdentity,
} from '@clusterpolisee/kit/auth';
import { DEV_CORS_ORIGINS, devGatewayEnv, devSubgraphEnv, ensureDevKeys } from './dev-keys';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dev-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureDevKeys', () => {
  it('creates the keys once, private ones readable by the owner only, and reuses them', async () => {
    const log = jest.fn();
    const keys = await ensureDevKeys(path.join(dir, 'keys'), log);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/generated development keys \(token issuer, gateway identity\)/);
    for (const file of [keys.tokenIssuerKeyFile, keys.identityKeyFile]) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const pem = readFileSync(keys.identityKeyFile, 'utf8');

    const again = await ensureDevKeys(path.join(dir, 'keys'), log);
    expect(log).toHaveBeenCalledTimes(1);
    expect(again).toEqual(keys);
    expect(readFileSync(keys.identityKeyFile, 'utf8')).toBe(pem);
  });

  it('makes keys that work together: tokens the gateway accepts, identities the subgraphs accept', async () => {
    const keys = await ensureDevKeys(path.join(dir, 'keys'), () => undefined);
    const issuer = tokenIssuerFromKey(readFileSync(keys.tokenIssuerKeyFile, 'utf8'), keys);
    const verify = createTokenVerifier({
      jwks: keys.tokenIssuerJwksFile,
      issuer: keys.issuer,
      audience: keys.audience,
    });
    const caller = await verify(`Bearer ${await issuer.mint({ role: 'partner-member', org: 'org-1' })}`);
    expect(caller).toMatchObject({ role: 'partner-member', organisationId: 'org-1' });

    const signing = await identitySigningKey(readFileSync(keys.identityKeyFile, 'utf8'));
    const header = await signForwardedIdentity(identityFor('x', 'analyst'), signing, 'partners', 'req-1');
    const identity = await forwardedIdentityVerifier(keys.identityJwksFile, 'partners')(header);
    expect(identity.role).toBe('analyst');
  });

  it('fills in only the settings the environment leaves unset', async () => {
    const keys = await ensureDevKeys(path.join(dir, 'keys'), () => undefined);
    expect(devGatewayEnv(keys, {})).toEqual({
      AUTH_JWKS: keys.tokenIssuerJwksFile,
      AUTH_ISSUER: 'clusterpolisee-dev',
      AUTH_AUDIENCE: 'clusterpolisee-hub',
      GATEWAY_IDENTITY_KEY_FILE: keys.identityKeyFile,
      GATEWAY_CORS_ORIGINS: DEV_CORS_ORIGINS,
    });
    expect(
      devGatewayEnv(keys, { AUTH_ISSUER: 'https://idp.example', GATEWAY_CORS_ORIGINS: '' }),
    ).not.toHaveProperty('AUTH_ISSUER');
    expect(devSubgraphEnv(keys, {})).toEqual({ GATEWAY_IDENTITY_JWKS: keys.identityJwksFile });
    expect(
      devSubgraphEnv(keys, {
        GATEWAY_IDENTITY_JWKS: 'https://hub.example/.well-known/hub-identity-jwks.json',
      }),
    ).toEqual({});
  });
});
