// Minting tokens the way the hub's identity provider does: for development (`npm run token`) and
// for tests, which need good tokens and every kind of bad one.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { isRole, ORGANISATION_BOUND_ROLES } from '@clusterpolisee/kit/auth';
import { SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { TOKEN_ROLES } from './tokens';

export type TokenAlgorithm = 'ES256' | 'RS256';

export interface TokenSigningKey {
  privateKey: KeyObject;
  algorithm: TokenAlgorithm;
  /** RFC 7638 thumbprint of the public key, sent as the token's `kid`. */
  kid: string;
  /** The public half, as the gateway loads it (`AUTH_JWKS`). */
  jwks: JSONWebKeySet;
}

export interface MintOptions {
  /** Any string, so that tests can mint unknown roles; `checkTokenRequest` says what is valid. */
  role: string;
  /** The organisation id (`org` claim); required by organisation-bound roles. */
  org?: string;
  /** The caller (`sub`). Default `<role>@<org>`, or `<role>@hub` without an organisation. */
  sub?: string;
  /**
   * When the token expires: a time span from now in jose's syntax (`'8h'`, `'30 min'`,
   * `'-5m'` or `'5 minutes ago'` for an expired token), or seconds from now. Default `'1h'`.
   */
  expiresIn?: string | number;
  /** When the token becomes valid (`nbf`), in the same form; default none. */
  notBefore?: string | number;
  /** Replace the issuer's `iss` or `aud` (tests of tokens meant for someone else). */
  issuer?: string;
  audience?: string | string[];
  /**
   * Further claims. `role` and `org` given here replace the options', and `undefined` leaves them
   * out; `iss`, `sub`, `aud`, `iat`, `exp` and `nbf` come from the options above.
   */
  claims?: Record<string, unknown>;
}

export interface TokenIssuer {
  issuer: string;
  audience: string;
  algorithm: TokenAlgorithm;
  /** The public keys to give the gateway (`auth.jwks`, or a file for `AUTH_JWKS`). */
  jwks: JSONWebKeySet;
  mint(options: MintOptions): Promise<string>;
}

/** The signing key of a private key: ES256 for EC P-256, RS256 for RSA. */
export function tokenSigningKey(privateKey: KeyObject | string): TokenSigningKey {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  let algorithm: TokenAlgorithm;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    algorithm = 'ES256';
  } else if (key.asymmetricKeyType === 'rsa') {
    algorithm = 'RS256';
  } else {
    throw new Error('a token signing key must be an EC P-256 (ES256) or RSA (RS256) private key');
  }
  const publicJwk = createPublicKey(key).export({ format: 'jwk' }) as JWK;
  const kid = thumbprint(publicJwk);
  return {
    privateKey: key,
    algorithm,
    kid,
    jwks: { keys: [{ ...publicJwk, kid, alg: algorithm, use: 'sig' }] },
  };
}

/** A fresh key pair in PKCS #8 PEM, e.g. for a development issuer. Never commit one. */
export function generateTokenKeyPem(algorithm: TokenAlgorithm = 'ES256'): string {
  const { privateKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Signs a token as the hub's identity provider would. Checks nothing: see `checkTokenRequest`. */
export async function mintToken(
  key: TokenSigningKey,
  defaults: { issuer: string; audience: string },
  options: MintOptions,
): Promise<string> {
  const { role, org } = options;
  const jwt = new SignJWT({ role, ...(org !== undefined ? { org } : {}), ...options.claims })
    .setProtectedHeader({ alg: key.algorithm, typ: 'JWT', kid: key.kid })
    .setIssuer(options.issuer ?? defaults.issuer)
    .setAudience(options.audience ?? defaults.audience)
    .setSubject(options.sub ?? `${role}@${org ?? 'hub'}`)
    .setIssuedAt()
    .setExpirationTime(relative(options.expiresIn ?? '1h'));
  if (options.notBefore !== undefined) jwt.setNotBefore(relative(options.notBefore));
  return jwt.sign(key.privateKey);
}

/** An issuer for one key: `key` a private key (PEM or KeyObject), as `npm run token` uses it. */
export function tokenIssuerFromKey(
  key: KeyObject | string,
  settings: { issuer: string; audience: string },
): TokenIssuer {
  const signing = tokenSigningKey(key);
  return {
    ...settings,
    algorithm: signing.algorithm,
    jwks: signing.jwks,
    mint: (options) => mintToken(signing, settings, options),
  };
}

/**
 * An in-memory token issuer with a fresh key pair (ES256 unless `algorithm` says RS256), for
 * tests: give `issuer.jwks`, `issuer.issuer` and `issuer.audience` to the gateway as `auth`.
 */
export function createTokenIssuer(settings: {
  issuer: string;
  audience: string;
  algorithm?: TokenAlgorithm;
}): TokenIssuer {
  return tokenIssuerFromKey(generateTokenKeyPem(settings.algorithm ?? 'ES256'), settings);
}

/**
 * Says what is wrong with a token request before one is minted: an unknown role (listing the
 * roles) or a missing organisation for an organisation-bound role. Returns the problem, or
 * undefined when the request is valid.
 */
export function checkTokenRequest(role: string | undefined, org: string | undefined): string | undefined {
  if (!role || !isRole(role) || role === 'anonymous') {
    return `${role ? `"${role}" is not a role` : 'no role given'}: use one of ${TOKEN_ROLES.join(', ')}.`;
  }
  if (ORGANISATION_BOUND_ROLES.has(role) && !org?.trim()) {
    return `a ${role} acts for one organisation: give its id with --org (e.g. the id of an Organisation in the partners subgraph).`;
  }
  return undefined;
}

const UNIT_SECONDS: [RegExp, number][] = [
  [/^(s|sec|secs|second|seconds)$/, 1],
  [/^(m|min|mins|minute|minutes)$/, 60],
  [/^(h|hr|hrs|hour|hours)$/, 3_600],
  [/^(d|day|days)$/, 86_400],
  [/^(w|week|weeks)$/, 604_800],
];

/**
 * Says what is wrong with a token lifetime asked of `npm run token` (`30m`, `8h`, `2d`): not a
 * duration, or longer than the gateway accepts (`maxSeconds`, its
 * GATEWAY_MAX_TOKEN_LIFETIME_SECONDS), which would mint a token every gateway refuses. Returns
 * the problem, or undefined when the lifetime is acceptable.
 */
export function checkTokenLifetime(expires: string, maxSeconds: number): string | undefined {
  const match = /^(\d+)\s*([a-z]+)$/i.exec(expires.trim());
  const unit = match && UNIT_SECONDS.find(([pattern]) => pattern.test(match[2]!.toLowerCase()));
  if (!match || !unit)
    return `--expires ${JSON.stringify(expires)} is not a duration: write e.g. 30m, 8h or 2d.`;
  const seconds = Number(match[1]) * unit[1];
  if (seconds < 1) return `--expires ${JSON.stringify(expires)} is no time at all: write e.g. 30m or 8h.`;
  if (seconds > maxSeconds) {
    return (
      `--expires ${expires} is longer than gateways accept (GATEWAY_MAX_TOKEN_LIFETIME_SECONDS=${maxSeconds}): ` +
      `ask for at most ${maxSeconds} seconds, e.g. --expires ${Math.floor(maxSeconds / 3_600) || 1}h.`
    );
  }
  return undefined;
}

/** jose reads a string as a span from now; a number here is seconds from now as well. */
function relative(value: string | number): string | number {
  return typeof value === 'number' ? Math.floor(Date.now() / 1000) + value : value;
}

/** RFC 7638: SHA-256 of the required members in lexicographic order. */
function thumbprint(jwk: JWK): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
