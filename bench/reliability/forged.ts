/**
 * Forged identities and tokens under load: `connections` loops send, for `seconds`, a write an
 * admin may make (a new cluster policy) with every kind of bad credential the security tests
 * name: to the gateway, tokens expired, not yet valid, from another issuer or for another
 * audience, unsigned, HMAC-keyed with the issuer's public key, changed after signing, signed by a
 * stranger, with an unknown role, an organisation-bound role without its organisation, a century
 * long, with an unknown critical header, not bearer, not a JWT, and a forged gateway identity
 * header beside no token; to a subgraph directly, no identity, a stranger's identity, the
 * gateway's identity meant for another subgraph, and a caller's real token. Every one must be
 * refused, and none may leave a record behind (read back from the database). A valid token's
 * read in the same loops shows the hub was serving meanwhile.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { createTokenIssuer } from '@clusterpolisee/gateway/auth';
import { IDENTITY_HEADER, identityFor, signForwardedIdentity } from '@clusterpolisee/kit/auth';
import { closedLoop, codesOf, round, sleep, succeeded, type Answer } from './http';
import type { ReliabilityStack } from './stack';

export interface ForgedOptions {
  connections: number;
  seconds: number;
}

export interface ForgedResult {
  options: ForgedOptions;
  kinds: number;
  sent: number;
  refused: number;
  /** Forged requests that were not refused (must be 0). */
  accepted: number;
  /** Records the forged writes left in the database (must be 0). */
  recordsCreated: number;
  /** The valid token's reads in the same loops, and how many succeeded. */
  controlSent: number;
  controlSucceeded: number;
  byKind: Record<string, { sent: number; refused: number; statuses: Record<string, number> }>;
}

const TITLE = 'Reliability forged';
const WRITE = `mutation Forged($input: CreateClusterPolicyInput!) { createClusterPolicy(input: $input) { id } }`;
const INPUT = { title: '', countryCode: 'IT', level: 'NATIONAL', periodStart: 2020, source: 'forged' };

interface Kind {
  name: string;
  /** The gateway's URL, or a subgraph's. */
  url: string;
  headers: () => Promise<Record<string, string>>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const b64 = (x: object) => Buffer.from(JSON.stringify(x)).toString('base64url');

async function forgedKinds(stack: ReliabilityStack): Promise<Kind[]> {
  const { tokens, keys } = stack;
  const gateway = stack.gatewayUrl;
  const knowledge = stack.subgraphs.knowledge!.url;
  const admin = { role: 'admin', sub: 'mallory' };
  const now = () => Math.floor(Date.now() / 1000);
  const stranger = createTokenIssuer({ issuer: tokens.issuer, audience: tokens.audience });
  const issuerPublicPem = createPublicKey(readFileSync(keys.tokenIssuerKeyFile, 'utf8')).export({
    type: 'spki',
    format: 'pem',
  });
  const kid = (tokens.jwks.keys[0] as { kid?: string }).kid;
  const valid = await tokens.mint({ role: 'analyst', sub: 'eve' });
  const [header, payload, signature] = valid.split('.');
  const tampered = `${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' })}.${signature}`;
  const fixed = (name: string, url: string, headers: Record<string, string>): Kind => ({
    name,
    url,
    headers: async () => headers,
  });
  return [
    fixed('token expired', gateway, bearer(await tokens.mint({ ...admin, expiresIn: -600 }))),
    fixed(
      'token not valid yet',
      gateway,
      bearer(await tokens.mint({ ...admin, notBefore: 3600, expiresIn: 7200 })),
    ),
    fixed(
      'token of another issuer',
      gateway,
      bearer(await tokens.mint({ ...admin, issuer: 'https://elsewhere.example' })),
    ),
    fixed(
      'token for another audience',
      gateway,
      bearer(await tokens.mint({ ...admin, audience: 'another-api' })),
    ),
    fixed(
      'unsigned token (alg none)',
      gateway,
      bearer(
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', role: 'admin', iss: tokens.issuer, aud: tokens.audience, iat: now(), exp: now() + 600 })}.`,
      ),
    ),
    fixed(
      "HMAC token keyed with the issuer's public key",
      gateway,
      bearer(
        await new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'HS256', ...(kid ? { kid } : {}) })
          .setIssuer(tokens.issuer)
          .setAudience(tokens.audience)
          .setSubject('mallory')
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(Buffer.from(issuerPublicPem)),
      ),
    ),
    fixed('token changed after signing', gateway, bearer(tampered)),
    fixed('token signed by an unknown key', gateway, bearer(await stranger.mint(admin))),
    fixed('token with an unknown role', gateway, bearer(await tokens.mint({ role: 'superuser' }))),
    fixed(
      'organisation role without organisation',
      gateway,
      bearer(await tokens.mint({ role: 'finance-officer' })),
    ),
    fixed('token valid for a century', gateway, bearer(await tokens.mint({ ...admin, expiresIn: '100y' }))),
    fixed(
      'token with an unknown critical header',
      gateway,
      bearer(
        await new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'ES256', kid, crit: ['urn:example:ext'], 'urn:example:ext': 1 })
          .setIssuer(tokens.issuer)
          .setAudience(tokens.audience)
          .setSubject('mallory')
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(createPrivateKey(readFileSync(keys.tokenIssuerKeyFile, 'utf8')), {
            crit: { 'urn:example:ext': true },
          }),
      ),
    ),
    fixed('not a bearer token', gateway, { authorization: 'Basic YWxpY2U6c2VjcmV0' }),
    fixed('not a JWT', gateway, bearer('not.a.jwt')),
    {
      name: 'forged gateway identity sent to the gateway',
      url: gateway,
      headers: async () => ({
        [IDENTITY_HEADER]: await signForwardedIdentity(
          identityFor('mallory', 'admin'),
          stack.strangerIdentityKey,
          'knowledge',
          'forged',
        ),
      }),
    },
    fixed('subgraph called without identity', knowledge, {}),
    {
      name: "subgraph called with a stranger's identity",
      url: knowledge,
      headers: async () => ({
        [IDENTITY_HEADER]: await signForwardedIdentity(
          identityFor('mallory', 'admin'),
          stack.strangerIdentityKey,
          'knowledge',
          'forged',
        ),
      }),
    },
    {
      name: "subgraph called with the gateway's identity for another subgraph",
      url: knowledge,
      headers: async () => ({
        [IDENTITY_HEADER]: await signForwardedIdentity(
          identityFor('mallory', 'admin'),
          stack.identityKey,
          'partners',
          'forged',
        ),
      }),
    },
    fixed("subgraph called with a caller's real token", knowledge, bearer(await tokens.mint(admin))),
  ];
}

/** Refused: 401, or an answer without data carrying only refusal codes. */
function refused(answer: Answer): boolean {
  if (answer.status === 401 || answer.status === 403) return true;
  const data = answer.body?.data as { createClusterPolicy?: unknown } | null | undefined;
  const codes = codesOf(answer);
  return (
    !data?.createClusterPolicy &&
    codes.length > 0 &&
    codes.every((c) => c === 'UNAUTHENTICATED' || c === 'FORBIDDEN')
  );
}

export async function forged(
  stack: ReliabilityStack,
  options: ForgedOptions,
  log: (line: string) => void,
): Promise<ForgedResult> {
  const kinds = await forgedKinds(stack);
  const control = bearer(await stack.token({ role: 'analyst', sub: 'forged-control' }));
  const runId = Math.random().toString(36).slice(2, 8);
  const headers = await Promise.all(kinds.map((k) => k.headers()));
  const byKind: ForgedResult['byKind'] = Object.fromEntries(
    kinds.map((k) => [k.name, { sent: 0, refused: 0, statuses: {} }]),
  );
  let controlSent = 0;
  let controlSucceeded = 0;
  let stop = false;
  // Half the loops at the gateway, half at a subgraph, each cycling through the kinds sent
  // there; at the gateway one slot in the cycle is the valid control.
  const loads = [stack.gatewayUrl, stack.subgraphs.knowledge!.url].map((url) =>
    closedLoop({
      url,
      connections: Math.max(1, Math.round(options.connections / 2)),
      until: () => stop,
      next: (loop, n) => {
        const candidates = kinds.map((k, i) => ({ k, i })).filter(({ k }) => k.url === url);
        const slot = (loop + n) % (candidates.length + (url === stack.gatewayUrl ? 1 : 0));
        const pick = candidates[slot];
        if (!pick) return { kind: 'control', query: '{ __typename }', headers: control };
        return {
          kind: pick.k.name,
          query: WRITE,
          variables: { input: { ...INPUT, title: `${TITLE} ${runId} ${loop}.${n}` } },
          headers: headers[pick.i]!,
        };
      },
      onAnswer: ({ kind, answer }) => {
        if (kind === 'control') {
          controlSent++;
          if (succeeded(answer)) controlSucceeded++;
          return;
        }
        const k = byKind[kind]!;
        k.sent++;
        if (refused(answer)) k.refused++;
        const status = String(answer.status);
        k.statuses[status] = (k.statuses[status] ?? 0) + 1;
      },
    }),
  );
  await sleep(options.seconds * 1000);
  stop = true;
  await Promise.all(loads);

  const client = await stack.mongo();
  const recordsCreated = await client
    .db(stack.subgraphs.knowledge!.databaseName)
    .collection('clusterPolicies')
    .countDocuments({ title: { $regex: `^${TITLE} ${runId} ` } });
  const sent = Object.values(byKind).reduce((s, k) => s + k.sent, 0);
  const refusedCount = Object.values(byKind).reduce((s, k) => s + k.refused, 0);
  log(
    `[forged] ${sent} forged requests of ${kinds.length} kinds, ${refusedCount} refused, ` +
      `${recordsCreated} records left; control ${controlSucceeded}/${controlSent} ` +
      `(${round(sent / options.seconds)} forged req/s)`,
  );
  return {
    options,
    kinds: kinds.length,
    sent,
    refused: refusedCount,
    accepted: sent - refusedCount,
    recordsCreated,
    controlSent,
    controlSucceeded,
    byKind,
  };
}
