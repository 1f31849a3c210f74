/**
 * Development keys, made on first use under .data/keys (gitignored) and reused after: the key of a
 * stand-in token issuer (what a partner's identity provider is in production) that
 * `npm run token` signs with, and the gateway's identity key that signs what it forwards to the
 * subgraphs. Never use them outside development: anyone with this checkout can mint tokens.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTokenKeyPem, tokenSigningKey } from '@clusterpolisee/gateway/auth';
import { generateIdentityKeyPem, identitySigningKey } from '@clusterpolisee/kit/auth';
import { DATA_DIR } from './services';

/** The development token issuer's `iss`; production sets AUTH_ISSUER to its identity provider's. */
export const DEV_TOKEN_ISSUER = 'clusterpolisee-dev';
/** The development tokens' `aud`; production sets AUTH_AUDIENCE. */
export const DEV_TOKEN_AUDIENCE = 'clusterpolisee-hub';
/** Browser pages on any local port may call a development gateway (a front end's dev server). */
export const DEV_CORS_ORIGINS = 'http://localhost:*,http://127.0.0.1:*';

export interface DevKeys {
  dir: string;
  /** Private key (PKCS #8 PEM, ES256) of the development token issuer: `npm run token` signs with it. */
  tokenIssuerKeyFile: string;
  /** Its public JWKS: the gateway's AUTH_JWKS. */
  tokenIssuerJwksFile: string;
  /** The gateway's identity key (PKCS #8 PEM, EC P-256): GATEWAY_IDENTITY_KEY_FILE. */
  identityKeyFile: string;
  /** Its public JWKS: the subgraphs' GATEWAY_IDENTITY_JWKS. */
  identityJwksFile: string;
  issuer: string;
  audience: string;
}

/**
 * Returns the development keys in `dir`, creating what is missing (private keys with mode 0600,
 * in a 0700 folder) and deriving each public JWKS from its private key, so that the two always
 * match. Prints one line when it generated a key.
 */
export async function ensureDevKeys(
  dir: string = join(DATA_DIR, 'keys'),
  log: (line: string) => void = console.log,
): Promise<DevKeys> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys: DevKeys = {
    dir,
    tokenIssuerKeyFile: join(dir, 'token-issuer.key.pem'),
    tokenIssuerJwksFile: join(dir, 'token-issuer.jwks.json'),
    identityKeyFile: join(dir, 'gateway-identity.key.pem'),
    identityJwksFile: join(dir, 'gateway-identity.jwks.json'),
    issuer: DEV_TOKEN_ISSUER,
    audience: DEV_TOKEN_AUDIENCE,
  };
  const generated: string[] = [];
  const issuerPem = privateKey(
    keys.tokenIssuerKeyFile,
    () => generateTokenKeyPem('ES256'),
    () => generated.push('token issuer'),
  );
  const identityPem = privateKey(keys.identityKeyFile, generateIdentityKeyPem, () =>
    generated.push('gateway identity'),
  );
  writeIfChanged(keys.tokenIssuerJwksFile, json(tokenSigningKey(issuerPem).jwks));
  writeIfChanged(keys.identityJwksFile, json((await identitySigningKey(identityPem)).jwks));
  if (generated.length > 0) {
    log(
      `[keys] generated development keys (${generated.join(', ')}) in ${dir}: for development only, never deploy them`,
    );
  }
  return keys;
}

/**
 * The gateway's settings for the development keys, for each variable the environment `env` does
 * not set already: AUTH_JWKS, AUTH_ISSUER, AUTH_AUDIENCE, GATEWAY_IDENTITY_KEY_FILE and
 * GATEWAY_CORS_ORIGINS (localhost pages on any port).
 */
export function devGatewayEnv(keys: DevKeys, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return unsetOnly(env, {
    AUTH_JWKS: keys.tokenIssuerJwksFile,
    AUTH_ISSUER: keys.issuer,
    AUTH_AUDIENCE: keys.audience,
    GATEWAY_IDENTITY_KEY_FILE: keys.identityKeyFile,
    GATEWAY_CORS_ORIGINS: DEV_CORS_ORIGINS,
  });
}

/** A subgraph's setting for the development keys: GATEWAY_IDENTITY_JWKS, unless `env` sets it. */
export function devSubgraphEnv(keys: DevKeys, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return unsetOnly(env, { GATEWAY_IDENTITY_JWKS: keys.identityJwksFile });
}

function privateKey(file: string, generate: () => string, onGenerated: () => void): string {
  try {
    const pem = readFileSync(file, 'utf8');
    // A key copied in by hand may be readable by others: this one is a secret.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return pem;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const pem = generate();
  try {
    // 'wx': if another process made one meanwhile, keep theirs.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    onGenerated();
    return pem;
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return readFileSync(file, 'utf8');
    throw error;
  }
}

function writeIfChanged(file: string, content: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== content) writeFileSync(file, content, { mode: 0o644 });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function unsetOnly(env: NodeJS.ProcessEnv, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !env[name]?.trim()));
}
