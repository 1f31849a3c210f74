// Checks the bearer token a caller sends and turns it into the hub's identity, or refuses the
// request with a message the caller can act on.
import {
  ANONYMOUS,
  identityFor,
  isRole,
  ORGANISATION_BOUND_ROLES,
  ROLES,
  type Identity,
} from '@clusterpolisee/kit/auth';
import { createLogger, type Logger } from '@clusterpolisee/kit/telemetry';
import { GraphQLError } from 'graphql';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JSONWebKeySet,
} from 'jose';
import { GATEWAY_DEFAULTS, readJwksFile, type TokenAuthConfig } from '../config';
import { httpHead } from '../http-head';

/** Asymmetric signatures only: an HMAC key would have to be shared with every verifier. */
export const TOKEN_ALGORITHMS = ['RS256', 'ES256'] as const;
/** Clock difference tolerated between the token issuer and the gateway. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Roles a token may carry; anonymous is what no token means. */
export const TOKEN_ROLES = ROLES.filter((role) => role !== 'anonymous');

/** Turns an `Authorization` header (or none) into the caller's identity; throws a 401 GraphQLError. */
export type TokenVerifier = (authorization: string | undefined) => Promise<Identity>;

export interface TokenVerifierSettings extends TokenAuthConfig {
  /** The longest a token may be valid (GATEWAY_MAX_TOKEN_LIFETIME_SECONDS); default 24 h. */
  maxTokenLifetimeSeconds?: number;
  /** The gateway's logger, told when the issuer's keys cannot be had; default a logger of its own. */
  log?: Pick<Logger, 'error'>;
}

/**
 * Verifies `Authorization: Bearer <jwt>` against the issuer's keys (`jwks`: a key set, a JWKS
 * file path read once, or an https URL that jose fetches, caches and refetches for an unknown
 * `kid`): RS256 or ES256 signature, `iss`, `aud`, `exp` (required), `nbf`, a lifetime within
 * `maxTokenLifetimeSeconds`, a `sub`, a known `role` and, for organisation-bound roles, an
 * `org`. No header is the anonymous identity.
 */
export function createTokenVerifier(settings: TokenVerifierSettings): TokenVerifier {
  const keys = keySet(settings.jwks);
  const { issuer, audience } = settings;
  const maxLifetime = settings.maxTokenLifetimeSeconds ?? GATEWAY_DEFAULTS.maxTokenLifetimeSeconds;
  const log = settings.log ?? createLogger({ service: 'gateway' });

  return async (authorization) => {
    if (authorization === undefined) return ANONYMOUS;
    const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
    if (!match) {
      throw refused(
        'invalid_request',
        'The Authorization header must be "Bearer <token>": send your token that way, or no Authorization header to act anonymously.',
      );
    }
    const token = match[1]!;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...TOKEN_ALGORITHMS],
        issuer,
        audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw explain(error, token, settings, log);
    }
    const tooLong = lifetimeProblem(payload, maxLifetime);
    if (tooLong) throw refused('invalid_token', tooLong);
    const { sub, role, org } = payload;
    if (!isRole(role) || role === 'anonymous') {
      throw refused(
        'invalid_token',
        `The token's role ${JSON.stringify(role ?? null)} is not one this hub knows: ask your identity provider ` +
          `for a token whose "role" claim is one of ${TOKEN_ROLES.join(', ')}.`,
      );
    }
    const organisationId = typeof org === 'string' && org.trim() !== '' ? org.trim() : null;
    if (ORGANISATION_BOUND_ROLES.has(role) && !organisationId) {
      throw refused(
        'invalid_token',
        `A ${role} token must name the organisation it acts for in an "org" claim: ask your identity provider to add it.`,
      );
    }
    if (typeof sub !== 'string' || sub.trim() === '') {
      throw refused('invalid_token', 'The token\'s "sub" claim is empty: it must name the caller.');
    }
    return identityFor(sub, role, organisationId);
  };
}

/**
 * Why a token is valid for too long, or undefined. `iat` is optional in JWTs and not every
 * identity provider sends it, so a token without one is judged by how long it stays valid from
 * now; with one, its declared lifetime must fit too. The first check alone would let a token
 * issued long ago for a long time pass in its last hours; the second alone, one that claims a
 * future `iat`.
 */
function lifetimeProblem(payload: JWTPayload, maxSeconds: number): string | undefined {
  const exp = payload.exp!;
  const fix = `ask your identity provider for a token valid for at most ${span(maxSeconds)}.`;
  if (typeof payload.iat === 'number' && exp - payload.iat > maxSeconds) {
    return (
      `The token is valid for ${span(exp - payload.iat)} (from its "iat" to its "exp"), longer than the ` +
      `${span(maxSeconds)} this hub accepts: ${fix}`
    );
  }
  const now = Math.floor(Date.now() / 1000);
  if (exp - now > maxSeconds + CLOCK_TOLERANCE_SECONDS) {
    return (
      `The token stays valid until ${instant(exp)}, more than the ${span(maxSeconds)} from now that this ` +
      `hub accepts: ${fix}`
    );
  }
  return undefined;
}

/** A duration in the largest unit that keeps it readable: `90 seconds`, `36 hours`, `36500 days`. */
function span(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= 2 * size && seconds % size === 0) return `${seconds / size} ${unit}s`;
  }
  for (const [size, unit] of units) {
    if (seconds >= 2 * size) return `${Math.round((seconds / size) * 10) / 10} ${unit}s`;
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

function keySet(source: string | JSONWebKeySet) {
  if (typeof source !== 'string') return createLocalJWKSet(source);
  if (/^https?:\/\//i.test(source)) return createRemoteJWKSet(new URL(source));
  return createLocalJWKSet(readJwksFile(source));
}

/** Maps jose's failure to a refusal that says what happened and what to do. */
function explain(
  error: unknown,
  token: string,
  settings: TokenAuthConfig,
  log: Pick<Logger, 'error'>,
): GraphQLError {
  // jose checks "crit" before anything else and reports an unknown extension as "not supported",
  // which read as an algorithm problem; the header says what the caller must change.
  const crit = criticalExtensionsOf(token);
  if (
    crit !== undefined &&
    (error instanceof errors.JOSENotSupported ||
      error instanceof errors.JWSInvalid ||
      error instanceof errors.JWTInvalid)
  ) {
    return refused(
      'invalid_token',
      `The token's header marks ${crit} as critical ("crit"), and this hub supports no critical JWS header ` +
        'extensions, so it cannot accept the token: ask your identity provider for a token without "crit".',
    );
  }
  if (error instanceof errors.JWTExpired) {
    return refused(
      'invalid_token',
      `The token expired at ${instant(error.payload.exp)}: get a new one from your identity provider.`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason, payload } = error;
    if (claim === 'nbf') {
      return refused(
        'invalid_token',
        `The token is not valid before ${instant(payload.nbf)}: wait until then, or check the clock of the system that issued it.`,
      );
    }
    if (claim === 'iss') {
      return refused(
        'invalid_token',
        `The token was issued by ${JSON.stringify(payload.iss ?? null)}, but this hub accepts tokens issued by ` +
          `${JSON.stringify(settings.issuer)}: get one from that issuer.`,
      );
    }
    if (claim === 'aud') {
      return refused(
        'invalid_token',
        `The token is meant for ${JSON.stringify(payload.aud ?? null)}, but this hub is ${JSON.stringify(settings.audience)}: ` +
          'ask your identity provider for a token for this hub.',
      );
    }
    if (reason === 'missing') {
      return refused('invalid_token', `The token has no "${claim}" claim, which this hub requires.`);
    }
    return refused('invalid_token', `The token's "${claim}" claim is not acceptable (${reason}).`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return refused(
      'invalid_token',
      `The token is signed with ${JSON.stringify(algorithmOf(token))}: this hub accepts ${TOKEN_ALGORITHMS.join(' and ')} signatures only.`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refused(
      'invalid_token',
      "The token's signature does not verify: it was changed after signing, or not signed by the hub's token issuer.",
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return refused(
      'invalid_token',
      'The token is signed with a key this hub does not know: get a new token from your identity provider.',
    );
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError)
  ) {
    // Not the caller's fault: the issuer's key set could not be had.
    log.error({ err: error }, 'cannot check tokens: the issuer key set is unavailable');
    return new GraphQLError(
      "The hub cannot check tokens right now (its token issuer's keys are unreachable): retry in a minute.",
      {
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          http: httpHead(503, { 'retry-after': '60' }),
        },
      },
    );
  }
  return refused('invalid_token', 'The bearer token is not a well-formed signed JWT.');
}

/**
 * UNAUTHENTICATED with HTTP 401 and the RFC 6750 challenge. The whole request is refused: a
 * caller who sent a token meant to be someone, and must not silently become anonymous.
 */
export function refused(error: 'invalid_token' | 'invalid_request', message: string): GraphQLError {
  // error_description allows printable ASCII without `"` and `\`.
  const description = message.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: httpHead(401, {
        'www-authenticate': `Bearer error="${error}", error_description="${description}"`,
      }),
    },
  });
}

/** The token header's `crit` list, described for a message; undefined when it has none. */
function criticalExtensionsOf(token: string): string | undefined {
  let crit: unknown;
  try {
    crit = decodeProtectedHeader(token).crit;
  } catch {
    return undefined;
  }
  if (crit === undefined) return undefined;
  if (
    Array.isArray(crit) &&
    crit.length > 0 &&
    crit.every((name) => typeof name === 'string' && name !== '')
  ) {
    return crit.map((name) => JSON.stringify(name)).join(', ');
  }
  return `${JSON.stringify(crit)} (not a list of header names)`;
}

function algorithmOf(token: string): string {
  try {
    return String(decodeProtectedHeader(token).alg);
  } catch {
    return 'an unknown algorithm';
  }
}

function instant(epochSeconds: number | undefined): string {
  return typeof epochSeconds === 'number' ? new Date(epochSeconds * 1000).toISOString() : 'an unknown time';
}
