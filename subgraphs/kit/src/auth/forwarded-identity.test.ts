import { createPublicKey, createSecretKey } from 'node:crypto';
import { SignJWT, UnsecuredJWT, base64url } from 'jose';
import {
  forwardedIdentityVerifier,
  generateIdentityKeyPem,
  IDENTITY_ISSUER,
  IDENTITY_TYPE,
  identitySigningKey,
  signForwardedIdentity,
  type IdentitySigningKey,
} from './forwarded-identity';
import { identityFor, ROLE_SCOPES } from './roles';

let key: IdentitySigningKey;
let otherKey: IdentitySigningKey;
const member = identityFor('ana', 'partner-member', 'it-marche-region');

beforeAll(async () => {
  key = await identitySigningKey(generateIdentityKeyPem());
  otherKey = await identitySigningKey(generateIdentityKeyPem());
});

const verify = (header: string | undefined) => forwardedIdentityVerifier(key.jwks, 'partners')(header);

async function refusal(
  header: string | undefined,
): Promise<{ code: unknown; status: unknown; message: string }> {
  const error = await verify(header).then(
    () => undefined,
    (e: unknown) => e as { extensions: { code: unknown; http?: { status: unknown } }; message: string },
  );
  if (!error) throw new Error('the header was accepted');
  return { code: error.extensions.code, status: error.extensions.http?.status, message: error.message };
}

/** A token the gateway could have signed, with the given claims and header changed. */
function gatewayToken(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  return new SignJWT({ role: 'partner-member', org: 'it-marche-region', scope: 'read:personal', ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: IDENTITY_TYPE, kid: key.kid, ...header })
    .setIssuer(IDENTITY_ISSUER)
    .setAudience('partners')
    .setSubject('ana')
    .setJti('req-1')
    .setIssuedAt()
    .setExpirationTime('60s');
}

test('a signature by the gateway key for this subgraph gives the identity back, scopes included', async () => {
  const header = await signForwardedIdentity(member, key, 'partners', 'req-1');
  const identity = await verify(header);
  expect(identity).toEqual({
    subject: 'ana',
    role: 'partner-member',
    organisationId: 'it-marche-region',
    scopes: new Set(ROLE_SCOPES['partner-member']),
  });
});

test('the public key set names the key and its algorithm, so any JOSE library can pick it', () => {
  expect(key.jwks.keys).toEqual([
    expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: key.kid }),
  ]);
  expect(key.jwks.keys[0]).not.toHaveProperty('d');
});

test('a header seen before is answered from memory until it expires, then refused', async () => {
  jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const once = forwardedIdentityVerifier(key.jwks, 'partners');
    const header = await signForwardedIdentity(member, key, 'partners', 'req-1');
    const first = await once(header);
    expect(await once(header)).toBe(first);
    jest.setSystemTime(Date.now() + 120_000);
    await expect(once(header)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  } finally {
    jest.useRealTimers();
  }
});

describe('refused with UNAUTHENTICATED and HTTP 401', () => {
  test('no header', async () => {
    expect(await refusal(undefined)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect((await refusal(undefined)).message).toContain("send your request to the hub's gateway");
  });

  test('garbage', async () => {
    expect(await refusal('not-a-jwt')).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  test('signed by another key', async () => {
    const header = await signForwardedIdentity(member, otherKey, 'partners', 'req-1');
    expect(await refusal(header)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  test('signed for another subgraph', async () => {
    const header = await signForwardedIdentity(member, key, 'projects', 'req-1');
    expect(await refusal(header)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  test('expired', async () => {
    const old = Math.floor(Date.now() / 1000) - 600;
    const header = await gatewayToken()
      .setIssuedAt(old)
      .setExpirationTime(old + 60)
      .sign(key.privateKey);
    expect((await refusal(header)).message).toContain('ERR_JWT_EXPIRED');
  });

  test('issued by someone else', async () => {
    const header = await gatewayToken().setIssuer('someone-else').sign(key.privateKey);
    expect((await refusal(header)).message).toContain('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('of another type (a user token is not a forwarded identity)', async () => {
    const header = await gatewayToken({}, { typ: 'JWT' }).sign(key.privateKey);
    expect(await refusal(header)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('alg none', async () => {
    const header = new UnsecuredJWT({ role: 'admin', scope: 'read:audit' })
      .setIssuer(IDENTITY_ISSUER)
      .setAudience('partners')
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('60s')
      .encode();
    expect(await refusal(header)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  test('HS256 keyed with the public key (algorithm confusion)', async () => {
    const publicPem = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' });
    const header = await gatewayToken({ role: 'admin' }, { alg: 'HS256' }).sign(
      createSecretKey(Buffer.from(publicPem)),
    );
    expect(await refusal(header)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  test('tampered claims under a valid signature', async () => {
    const [head, , signature] = (await signForwardedIdentity(member, key, 'partners', 'r')).split('.');
    const forged = base64url.encode(
      JSON.stringify({ iss: IDENTITY_ISSUER, aud: 'partners', sub: 'ana', role: 'admin', iat: 1, exp: 9e9 }),
    );
    expect(await refusal(`${head}.${forged}.${signature}`)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('an unknown role, or an organisation-bound role without its organisation', async () => {
    expect((await refusal(await gatewayToken({ role: 'root' }).sign(key.privateKey))).message).toContain(
      'no known role',
    );
    expect((await refusal(await gatewayToken({ org: undefined }).sign(key.privateKey))).message).toContain(
      'names no organisation',
    );
  });
});

test('a signature without a jti is refused: a signed-in request must name its request', async () => {
  const header = await new SignJWT({ role: 'partner-member', org: 'it-marche-region', scope: '' })
    .setProtectedHeader({ alg: 'ES256', typ: IDENTITY_TYPE, kid: key.kid })
    .setIssuer(IDENTITY_ISSUER)
    .setAudience('partners')
    .setSubject('ana')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key.privateKey);
  expect((await refusal(header)).message).toContain('ERR_JWT_CLAIM_VALIDATION_FAILED');
});
