import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  IDENTITY_HEADER,
  IDENTITY_ISSUER,
  IDENTITY_TYPE,
  signForwardedIdentity,
} from '../auth/forwarded-identity';
import { identityFor } from '../auth/roles';
import type { TestQueryOptions, TestSubgraph } from './subgraph';
import { testIdentityKey } from './subgraph';

const intruder = identityFor('intruder', 'admin');
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** What a forger would like the gateway to have said: an admin, for this subgraph, valid now. */
function adminClaims(subgraph: TestSubgraph) {
  const now = Math.floor(Date.now() / 1000);
  const scope = [...intruder.scopes].join(' ');
  return {
    iss: IDENTITY_ISSUER,
    aud: subgraph.name,
    sub: 'intruder',
    role: 'admin',
    scope,
    iat: now,
    exp: now + 60,
  };
}
const header = (value: string): TestQueryOptions => ({
  unsigned: true,
  headers: { [IDENTITY_HEADER]: value },
});

/**
 * Every way to reach a subgraph around the gateway that its tests must see refused with HTTP 401:
 * `test.each(FORGED_IDENTITIES)('%s', async (_case, forge) => ... await forge(subgraph) ...)`.
 * Each claims to be an admin, so that a refusal cannot come from a missing scope.
 */
export const FORGED_IDENTITIES: [string, (subgraph: TestSubgraph) => Promise<TestQueryOptions>][] = [
  ['no identity header', async () => ({ unsigned: true })],
  ['an empty identity header', async () => header('')],
  ['garbage', async () => header('garbage')],
  [
    "signed with a key other than the gateway's",
    async (subgraph) =>
      header(await signForwardedIdentity(intruder, await testIdentityKey(), subgraph.name, randomUUID())),
  ],
  [
    'signed by the gateway for another subgraph',
    async (subgraph) =>
      header(
        await signForwardedIdentity(
          intruder,
          subgraph.identityKey,
          subgraph.name === 'partners' ? 'projects' : 'partners',
          randomUUID(),
        ),
      ),
  ],
  [
    'signed by the gateway, expired',
    async (subgraph) => {
      const then = Math.floor(Date.now() / 1000) - 600;
      return header(
        await new SignJWT({ role: 'admin', scope: [...intruder.scopes].join(' ') })
          .setProtectedHeader({ alg: 'ES256', typ: IDENTITY_TYPE, kid: subgraph.identityKey.kid })
          .setIssuer(IDENTITY_ISSUER)
          .setAudience(subgraph.name)
          .setSubject('intruder')
          .setJti(randomUUID())
          .setIssuedAt(then)
          .setExpirationTime(then + 60)
          .sign(subgraph.identityKey.privateKey),
      );
    },
  ],
  [
    "a partner's signed identity with its claims changed to an admin's",
    async (subgraph) => {
      const partner = identityFor('intruder', 'partner-member', 'it-marche-region');
      const [head, , signature] = (
        await signForwardedIdentity(partner, subgraph.identityKey, subgraph.name, randomUUID())
      ).split('.');
      return header(`${head}.${base64url(adminClaims(subgraph))}.${signature}`);
    },
  ],
  [
    'unsigned (alg "none")',
    async (subgraph) =>
      header(`${base64url({ alg: 'none', typ: IDENTITY_TYPE })}.${base64url(adminClaims(subgraph))}.`),
  ],
];
