import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { unauthenticated } from '../errors';
import { isRole, ORGANISATION_BOUND_ROLES, type Identity } from './roles';

/**
 * The gateway's signed statement of who is calling, sent to a subgraph with every request.
 * Subgraphs trust nothing else, so calling one directly cannot bypass the hub's rules. The
 * format is plain JWT so that a partner's subgraph in any language can check it (README,
 * "Security"):
 *
 *   header  `X-Hub-Identity: <compact JWS>`
 *   JOSE    { alg: "ES256", typ: "hub-identity+jwt", kid: <RFC 7638 thumbprint> }
 *   claims  iss "clusterpolisee-gateway", aud <subgraph name>, sub, role, org (organisation id,
 *           for organisation-bound roles), scope (space-separated), jti, iat, exp (iat + 60 s)
 *
 * For a signed-in caller `jti` is the gateway's id of the request, and the only request id a
 * subgraph trusts (see `requestIdsOf`). Anonymous signatures are shared by many requests, so
 * their `jti` names none.
 */
export const IDENTITY_HEADER = 'x-hub-identity';
export const IDENTITY_ISSUER = 'clusterpolisee-gateway';
export const IDENTITY_TYPE = 'hub-identity+jwt';
export const IDENTITY_ALGORITHM = 'ES256';
/** Long enough for one request's fan-out, short enough that a captured header is soon worthless. */
export const IDENTITY_TTL_SECONDS = 60;
/** Clocks of gateway and subgraph hosts may differ this much. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface IdentitySigningKey {
  privateKey: KeyObject;
  kid: string;
  /** The public half, as subgraphs load it (`GATEWAY_IDENTITY_JWKS`). */
  jwks: JSONWebKeySet;
}

/** Reads the gateway's EC P-256 private key (PKCS #8 PEM) and derives its public JWKS. */
export async function identitySigningKey(privateKeyPem: string): Promise<IdentitySigningKey> {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the gateway identity key must be an EC P-256 private key (PKCS #8 PEM) for ES256');
  }
  const publicJwk: JWK = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    privateKey,
    kid,
    jwks: { keys: [{ ...publicJwk, kid, alg: IDENTITY_ALGORITHM, use: 'sig' }] },
  };
}

/** A fresh key pair: for development on first start, and for tests. Never committed. */
export function generateIdentityKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export async function signForwardedIdentity(
  identity: Identity,
  key: IdentitySigningKey,
  audience: string,
  requestId: string,
): Promise<string> {
  return new SignJWT({
    role: identity.role,
    ...(identity.organisationId ? { org: identity.organisationId } : {}),
    scope: [...identity.scopes].join(' '),
  })
    .setProtectedHeader({ alg: IDENTITY_ALGORITHM, typ: IDENTITY_TYPE, kid: key.kid })
    .setIssuer(IDENTITY_ISSUER)
    .setAudience(audience)
    .setSubject(identity.subject)
    .setJti(requestId)
    .setIssuedAt()
    .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`)
    .sign(key.privateKey);
}

/** Where a subgraph finds the gateway's public keys: a JWKS file path, an http(s) URL, or the set itself. */
export type IdentityKeySource = string | JSONWebKeySet;

export type IdentityVerifier = (header: string | string[] | undefined) => Promise<Identity>;

/**
 * Checks the header on every request: signature by one of the gateway's keys, ES256 only (so
 * neither `none` nor an HMAC keyed with the public key is accepted), type, issuer, this
 * subgraph as audience, and lifetime. Anything else is UNAUTHENTICATED with HTTP 401.
 */
export function forwardedIdentityVerifier(source: IdentityKeySource, subgraph: string): IdentityVerifier {
  const keys = keySet(source);
  const verified = new VerifiedHeaders();
  return async (header) => {
    if (typeof header !== 'string' || header === '') {
      throw refused(`no ${IDENTITY_HEADER} header; send your request to the hub's gateway`);
    }
    const known = verified.get(header);
    if (known) return known;
    let payload;
    try {
      ({ payload } = await jwtVerify(header, keys, {
        algorithms: [IDENTITY_ALGORITHM],
        typ: IDENTITY_TYPE,
        issuer: IDENTITY_ISSUER,
        audience: subgraph,
        maxTokenAge: IDENTITY_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
      }));
    } catch (error) {
      throw refused(`the ${IDENTITY_HEADER} header is not a valid gateway signature (${describe(error)})`);
    }
    const { sub, role, org, scope } = payload;
    if (!isRole(role)) throw refused(`the forwarded identity names no known role`);
    const organisationId = typeof org === 'string' && org !== '' ? org : null;
    if (ORGANISATION_BOUND_ROLES.has(role) && !organisationId) {
      throw refused(`the forwarded identity of a ${role} names no organisation`);
    }
    const scopes = new Set(typeof scope === 'string' && scope !== '' ? scope.split(' ') : []);
    const identity: Identity = { subject: sub!, role, organisationId, scopes };
    if (role !== 'anonymous' && typeof payload.jti === 'string') signedRequestIds.set(identity, payload.jti);
    verified.set(header, identity, payload.exp!);
    return identity;
  };
}

/**
 * The gateway's request id signed into each verified signed-in identity. Kept beside the identity
 * rather than in it: an Identity is also what the gateway builds from a caller's token, where no
 * signed request id exists, and the cache above hands out the same object for the same header.
 */
const signedRequestIds = new WeakMap<Identity, string>();

/** The request id the gateway signed (`jti`) into this verified identity; none for anonymous callers. */
export function signedRequestIdOf(identity: Identity): string | undefined {
  return signedRequestIds.get(identity);
}

/**
 * Headers already verified, until they expire. The gateway reuses one anonymous signature per
 * subgraph for 30 s, so most requests carry a header seen before; the same bytes verify the same
 * way, and checking the signature again (about 0.6 ms of CPU) buys nothing. Bounded: when full it
 * starts over.
 */
class VerifiedHeaders {
  private readonly entries = new Map<string, { identity: Identity; expiresAtMs: number }>();
  constructor(private readonly capacity = 10_000) {}

  get(header: string): Identity | undefined {
    const entry = this.entries.get(header);
    if (!entry) return undefined;
    if (entry.expiresAtMs > Date.now()) return entry.identity;
    this.entries.delete(header);
    return undefined;
  }

  set(header: string, identity: Identity, expiresAtSeconds: number): void {
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(header, { identity, expiresAtMs: expiresAtSeconds * 1000 });
  }
}

function keySet(source: IdentityKeySource) {
  if (typeof source !== 'string') return createLocalJWKSet(source);
  if (/^https?:\/\//.test(source)) return createRemoteJWKSet(new URL(source));
  return createLocalJWKSet(JSON.parse(readFileSync(source, 'utf8')) as JSONWebKeySet);
}

function refused(reason: string) {
  return unauthenticated(
    `This subgraph answers only requests forwarded by the hub's gateway: ${reason}`,
    401,
  );
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
