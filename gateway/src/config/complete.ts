// A configuration given in code (tests, embedding) made whole from the defaults. The environment
// plays no part here: two gateways in one process each run on what they were given.
import { GATEWAY_DEFAULTS } from './defaults';
import { GatewayConfigError } from './error';
import type { GatewayConfig, GatewayOptions } from './types';

/**
 * `options` over GATEWAY_DEFAULTS. The settings without a default (`auth`, `identityKeyPem`, and
 * `rateLimit.mongoUri` while rate limiting is on) must be given: a GatewayConfigError lists those
 * that are not.
 */
export function completeGatewayConfig(options: GatewayOptions): GatewayConfig {
  const { limits, rateLimit, trustedDocuments, registry, subgraphBreaker, auth, identityKeyPem, ...rest } =
    options;
  const rateLimitEnabled = rateLimit?.enabled ?? GATEWAY_DEFAULTS.rateLimit.enabled;
  const problems = [
    auth
      ? undefined
      : "auth is not given: the token issuer's keys, issuer and audience (AUTH_JWKS, AUTH_ISSUER and AUTH_AUDIENCE, read by parseGatewayConfig).",
    identityKeyPem
      ? undefined
      : 'identityKeyPem is not given: the EC P-256 private key (PKCS #8 PEM) that signs forwarded identities (GATEWAY_IDENTITY_KEY_FILE, read by parseGatewayConfig).',
    rateLimitEnabled && !rateLimit?.mongoUri
      ? 'rateLimit.mongoUri is not given: the MongoDB server of the rate-limit counters (MONGODB_URI), or give rateLimit.enabled: false.'
      : undefined,
    registry?.enabled && !registry.mongoUri
      ? 'registry.mongoUri is not given: the MongoDB server of the schema registry (MONGODB_URI), or give registry.enabled: false.'
      : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0 || !auth || !identityKeyPem) throw new GatewayConfigError(problems);
  return {
    ...GATEWAY_DEFAULTS,
    subgraphTimeoutsMs: {},
    subgraphMaxResponseBytesByName: {},
    subgraphBreakerByName: {},
    subgraphUrls: {},
    corsOrigins: [],
    ...definedOnly(rest),
    auth,
    identityKeyPem,
    limits: { ...GATEWAY_DEFAULTS.limits, ...definedOnly(limits ?? {}) },
    rateLimit: { ...GATEWAY_DEFAULTS.rateLimit, mongoUri: '', ...definedOnly(rateLimit ?? {}) },
    trustedDocuments: { ...GATEWAY_DEFAULTS.trustedDocuments, ...definedOnly(trustedDocuments ?? {}) },
    registry: { ...GATEWAY_DEFAULTS.registry, mongoUri: '', ...definedOnly(registry ?? {}) },
    subgraphBreaker: { ...GATEWAY_DEFAULTS.subgraphBreaker, ...definedOnly(subgraphBreaker ?? {}) },
  };
}

/** The object without its undefined properties, so that `{ port: undefined }` does not erase a setting. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
