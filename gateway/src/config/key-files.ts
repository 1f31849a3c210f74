// The key material the gateway's configuration names by file, read and checked when the
// configuration is read, so that a wrong path or a wrong key fails at start, not at the first call.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';

/** Reads a JWKS file, or explains what is wrong with it. */
export function readJwksFile(file: string): JSONWebKeySet {
  let text: string;
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new Error(`cannot read the key set (${(error as { code?: string }).code ?? String(error)}).`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the file is not JSON: it must hold a JWKS, {"keys": [...]}.');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error('the file holds no keys: it must hold a JWKS, {"keys": [...]} with at least one key.');
  }
  return parsed as JSONWebKeySet;
}

/**
 * The EC P-256 private key (PKCS #8 PEM) in `file`, or the problem to report with the variable
 * that named it.
 */
export function readIdentityKeyFile(variable: string, file: string): { pem: string } | { problem: string } {
  let pem: string;
  try {
    pem = readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    return {
      problem: `${variable}=${JSON.stringify(file)} cannot be read (${(error as { code?: string }).code ?? String(error)}).`,
    };
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`it is a ${key.asymmetricKeyType ?? 'secret'} key`);
    }
  } catch (error) {
    return {
      problem: `${variable}=${JSON.stringify(file)} does not hold an EC P-256 private key in PKCS #8 PEM (${(error as Error).message}).`,
    };
  }
  return { pem };
}

/** Keys are fetched over https; plain http only from this machine, where nobody sits in between. */
export function isAcceptableJwksUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
