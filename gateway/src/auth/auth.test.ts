import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import {
  checkTokenLifetime,
  checkTokenRequest,
  createTokenIssuer,
  createTokenVerifier,
  tokenIssuerFromKey,
  generateTokenKeyPem,
  tokenSigningKey,
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

describe('the longest a token may be valid', () => {
  const issuer = createTokenIssuer({ issuer: 'iss', audience: 'aud' });
  const signing = tokenSigningKey(generateTokenKeyPem());
  const verifier = (maxTokenLifetimeSeconds?: number) =>
    createTokenVerifier({
      jwks: { keys: [...issuer.jwks.keys, ...signing.jwks.keys] },
      issuer: 'iss',
      audience: 'aud',
      maxTokenLifetimeSeconds,
    });
  const refusal = async (verify: ReturnType<typeof createTokenVerifier>, token: string) => {
    const error = (await verify(`Bearer ${token}`).catch((e: unknown) => e)) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect((error.extensions.http as { status: number }).status).toBe(401);
    return error.message;
  };

  it('is 24 hours unless configured: a token for a hundred years is refused, saying so', async () => {
    const token = await issuer.mint({ role: 'analyst', expiresIn: '100y' });
    expect(await refusal(verifier(), token)).toBe(
      'The token is valid for 36525 days (from its "iat" to its "exp"), longer than the 24 hours this hub ' +
        'accepts: ask your identity provider for a token valid for at most 24 hours.',
    );
    expect(
      (await verifier()(`Bearer ${await issuer.mint({ role: 'analyst', expiresIn: '24h' })}`)).role,
    ).toBe('analyst');
    expect(await refusal(verifier(), await issuer.mint({ role: 'analyst', expiresIn: '25h' }))).toMatch(
      /valid for 25 hours/,
    );
  });

  it('follows GATEWAY_MAX_TOKEN_LIFETIME_SECONDS', async () => {
    const token = await issuer.mint({ role: 'analyst', expiresIn: '2h' });
    expect(await refusal(verifier(3_600), token)).toMatch(
      /valid for 2 hours .* longer than the 60 minutes this hub accepts/,
    );
    expect((await verifier(7_200)(`Bearer ${token}`)).role).toBe('analyst');
  });

  it('judges a token without "iat", or with one in the future, by how long it stays valid from now', async () => {
    const now = Math.floor(Date.now() / 1000);
    const withoutIat = await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({ alg: signing.algorithm, kid: signing.kid })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject('old-timer')
      .setExpirationTime(now + 3 * 86_400)
      .sign(signing.privateKey);
    expect(await refusal(verifier(), withoutIat)).toMatch(
      /^The token stays valid until \d{4}-.+Z, more than the 24 hours from now/,
    );
    const futureIat = await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({ alg: signing.algorithm, kid: signing.kid })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject('time-traveller')
      .setIssuedAt(now + 10 * 86_400)
      .setExpirationTime(now + 10 * 86_400 + 3_600)
      .sign(signing.privateKey);
    expect(await refusal(verifier(), futureIat)).toMatch(/stays valid until/);
    const shortWithoutIat = await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({ alg: signing.algorithm, kid: signing.kid })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject('brief')
      .setExpirationTime(now + 3_600)
      .sign(signing.privateKey);
    expect((await verifier()(`Bearer ${shortWithoutIat}`)).subject).toBe('brief');
  });

  it('is what `npm run token` checks its --expires against', () => {
    expect(checkTokenLifetime('8h', 86_400)).toBeUndefined();
    expect(checkTokenLifetime('24h', 86_400)).toBeUndefined();
    expect(checkTokenLifetime('2d', 86_400)).toBe(
      '--expires 2d is longer than gateways accept (GATEWAY_MAX_TOKEN_LIFETIME_SECONDS=86400): ask for at most 86400 seconds, e.g. --expires 24h.',
    );
    expect(checkTokenLifetime('soon', 86_400)).toMatch(/is not a duration/);
    expect(checkTokenLifetime('0m', 86_400)).toMatch(/no time at all/);
  });
});

describe('a critical header extension ("crit")', () => {
  it('is refused saying so, not as an algorithm problem', async () => {
    const signing = tokenSigningKey(generateTokenKeyPem());
    const verify = createTokenVerifier({ jwks: signing.jwks, issuer: 'iss', audience: 'aud' });
    const token = await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({ alg: signing.algorithm, kid: signing.kid, crit: ['exp-ext'], 'exp-ext': 1 })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject('ana')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signing.privateKey, { crit: { 'exp-ext': true } });
    const error = (await verify(`Bearer ${token}`).catch((e: unknown) => e)) as GraphQLError;
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe(
      'The token\'s header marks "exp-ext" as critical ("crit"), and this hub supports no critical JWS header ' +
        'extensions, so it cannot accept the token: ask your identity provider for a token without "crit".',
    );
    expect(error.message).not.toMatch(/signed with|algorithm|RS256/);
  });
});
