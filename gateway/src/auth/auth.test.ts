import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import {
  checkTokenRequest,
  createTokenIssuer,
  createTokenVerifier,
  tokenIssuerFromKey,
  generateTokenKeyPem,
} from '.';

describe('checkTokenRequest', () => {
  it('lists the roles for an unknown one', () => {
    expect(checkTokenRequest('boss', undefined)).toBe(
      '"boss" is not a role: use one of partner-member, finance-officer, controller, coordinator, analyst, admin.',
    );
    expect(checkTokenRequest(undefined, undefined)).toMatch(/^no role given: use one of/);
    expect(checkTokenRequest('anonymous', undefined)).toMatch(/is not a role/);
  });

  it('asks organisation-bound roles for an organisation', () => {
    expect(checkTokenRequest('partner-member', undefined)).toMatch(/give its id with --org/);
    expect(checkTokenRequest('finance-officer', ' ')).toMatch(/give its id with --org/);
    expect(checkTokenRequest('finance-officer', 'org-1')).toBeUndefined();
    expect(checkTokenRequest('analyst', undefined)).toBeUndefined();
  });
});

describe('a token issuer and the gateway verifier', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gateway-auth-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mint tokens that the verifier, given a JWKS file, accepts', async () => {
    const issuer = tokenIssuerFromKey(generateTokenKeyPem('RS256'), { issuer: 'iss', audience: 'aud' });
    expect(issuer.algorithm).toBe('RS256');
    expect(issuer.jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(issuer.jwks.keys[0]).not.toHaveProperty('d');
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(issuer.jwks));
    const verify = createTokenVerifier({ jwks: file, issuer: 'iss', audience: 'aud' });

    const identity = await verify(`Bearer ${await issuer.mint({ role: 'finance-officer', org: 'org-9' })}`);
    expect(identity).toMatchObject({
      subject: 'finance-officer@org-9',
      role: 'finance-officer',
      organisationId: 'org-9',
    });
    expect(identity.scopes.has('submit:claims')).toBe(true);
    expect((await verify(undefined)).role).toBe('anonymous');
  });

  it('refuse a token without the role claim, as UNAUTHENTICATED with HTTP 401', async () => {
    const issuer = createTokenIssuer({ issuer: 'iss', audience: 'aud' });
    const verify = createTokenVerifier({ jwks: issuer.jwks, issuer: 'iss', audience: 'aud' });
    const token = await issuer.mint({ role: 'analyst', claims: { role: undefined } });
    const error = (await verify(`Bearer ${token}`).catch((e: unknown) => e)) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toMatch(/role null is not one this hub knows/);
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect((error.extensions.http as { status: number }).status).toBe(401);
  });
});
