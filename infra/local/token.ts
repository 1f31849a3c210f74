/**
 * `npm run token -- --role <role> [--org <organisation id>] [--sub <name>] [--subgraph <name>] [--expires 8h]`: a
 * token from the development issuer (.data/keys), which gateways started by `npm start` or
 * `npm run start:gateway` accept. The token alone goes to stdout, so that
 * `TOKEN=$(npm run -s token -- --role analyst)` works; what to do with it goes to stderr.
 * `--subgraph <name>` adds the scope `publish:schema` bound to that subgraph (a `subgraph` claim):
 * what a partner's CI sends to the gateway's /registry/check and /registry/publish.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkTokenLifetime,
  checkTokenRequest,
  tokenIssuerFromKey,
  TOKEN_ROLES,
} from '@clusterpolisee/gateway/auth';
import { GATEWAY_DEFAULTS, parseGatewayConfig } from '@clusterpolisee/gateway/config';
import { PUBLISH_SCHEMA_SCOPE } from '../../schema/registry/scope';
import { ensureDevKeys } from './dev-keys';

const USAGE =
  'Usage: npm run token -- --role <role> [--org <organisation id>] [--sub <name>] [--subgraph <name>] [--expires 8h]\n' +
  `  roles: ${TOKEN_ROLES.join(', ')}; partner-member and finance-officer need --org\n` +
  `  --subgraph <name>: the token may check and publish that subgraph in the schema registry (${PUBLISH_SCHEMA_SCOPE})`;

async function main(): Promise<void> {
  let values: {
    role?: string;
    org?: string;
    sub?: string;
    subgraph?: string;
    expires?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string' },
        org: { type: 'string' },
        sub: { type: 'string' },
        subgraph: { type: 'string' },
        expires: { type: 'string', default: '8h' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.error(USAGE);
    return;
  }
  const problem = checkTokenRequest(values.role, values.org);
  if (problem) fail(`Cannot make a token: ${problem}\n${USAGE}`);
  const tooLong = checkTokenLifetime(values.expires ?? '', maxTokenLifetimeSeconds());
  if (tooLong) fail(`Cannot make a token: ${tooLong}`);

  const keys = await ensureDevKeys(undefined, (line) => console.error(line));
  const issuer = tokenIssuerFromKey(readFileSync(keys.tokenIssuerKeyFile, 'utf8'), keys);
  const role = values.role!;
  const token = await issuer.mint({
    role,
    ...(values.org ? { org: values.org.trim() } : {}),
    sub: values.sub ?? (values.org ? `${role}@${values.org.trim()}` : `${role}@dev`),
    expiresIn: values.expires!,
    ...(values.subgraph ? { claims: { scope: PUBLISH_SCHEMA_SCOPE, subgraph: values.subgraph.trim() } } : {}),
  });
  const { sub, exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    sub: string;
    exp: number;
  };
  process.stdout.write(`${token}\n`);
  console.error(
    `\nA development token for ${sub} (${role}${values.org ? ` of organisation ${values.org}` : ''}), ` +
      `valid until ${new Date(exp * 1000).toISOString()}` +
      (values.subgraph ? `, allowed to check and publish subgraph "${values.subgraph.trim()}"` : '') +
      '.\n' +
      'Send it as the header  Authorization: Bearer <token>  (in the IDE: Headers, {"Authorization": "Bearer <token>"}).\n' +
      `Only gateways with the development keys accept it (issuer ${keys.issuer}, audience ${keys.audience}).`,
  );
}

/** What the gateway started from this environment accepts: its GATEWAY_MAX_TOKEN_LIFETIME_SECONDS. */
function maxTokenLifetimeSeconds(): number {
  const setting = process.env.GATEWAY_MAX_TOKEN_LIFETIME_SECONDS;
  if (!setting?.trim()) return GATEWAY_DEFAULTS.maxTokenLifetimeSeconds;
  // Only this variable: the rest of the gateway's settings are not this command's business.
  return parseGatewayConfig(
    { GATEWAY_MAX_TOKEN_LIFETIME_SECONDS: setting },
    {
      auth: { jwks: { keys: [] }, issuer: '-', audience: '-' },
      identityKeyPem: '-',
      rateLimit: { enabled: false },
    },
  ).maxTokenLifetimeSeconds;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
