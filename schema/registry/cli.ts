/**
 * `npm run subgraph -- <command>`: the schema registry from a terminal (a partner's CI uses the
 * gateway's /registry/check and /registry/publish instead).
 *   check <name> --url <url> [--sdl <file>]     composes it with the current supergraph; exit 1 on any error
 *   publish <name> --url <url> [--sdl <file>]   the check, then stores the new supergraph version
 *   list | history <name> | rollback <version> | remove <name>
 *   usage <coordinate> [--days <n>]             which clients and operations used it (recorded by the gateways)
 *   create <name> --out <dir>                   a standalone partner repository (the kit's scaffold)
 * The database: MONGODB_URI, else the running `npm start` hub's (see database.ts).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { identitySigningKey, type IdentitySigningKey } from '../../subgraphs/kit/src/auth';
import { displayPath } from '../subgraphs';
import { checkCandidateWithUsage, formatProblems } from './check';
import type { RegisteredSource } from './compose';
import { registryMongoUri } from './database';
import { checkDrift, describeDrift } from './drift';
import { currentSubgraphs, describeVersion, subgraphHistory } from './history';
import { removeSubgraph, rollbackTo, type RegistryWriteOutcome } from './operations';
import { fetchServiceSdl } from './service-sdl';
import { RegistryStore, type RegistryActor } from './store';
import { coordinateUsage, DEFAULT_USAGE_WINDOW_DAYS, describeUse } from './usage';
import { publishWithUsageCheck } from './usage-publish';

const USAGE = `Usage: npm run subgraph -- <command>
  check <name> --url <url> [--sdl <file>] [--override-reason <why>]
  publish <name> --url <url> [--sdl <file>] [--author <name>] [--override-reason <why>]
  usage <coordinate> [--days <n>]         e.g. Organisation.acronym, Query.organisations(first:)
  list
  history <name>
  rollback <version> [--author <name>]    (0: the hub alone, before any publish)
  remove <name> [--author <name>]
  create <name> --out <dir>
The registry's database is MONGODB_URI (and GATEWAY_REGISTRY_DATABASE, default clusterpolisee_registry),
or the one of the hub \`npm start\` runs from this checkout. Breaking changes used by clients in the last
GATEWAY_USAGE_WINDOW_DAYS (default 30) days, or by schema/operations/, fail check and publish; an output
field that only became nullable (X! to X, [X!]! to [X!]) is the warning NULLABLE_OUTPUT.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      sdl: { type: 'string' },
      out: { type: 'string' },
      author: { type: 'string' },
      'override-reason': { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, argument, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 1;
    return;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const needArgument = (what: string): string => {
    if (!argument) throw new UsageError(`${command} needs ${what}`);
    return argument;
  };

  if (command === 'create') {
    const name = needArgument('a subgraph name');
    if (!values.out) throw new UsageError('create needs --out <dir>');
    // Lazily: the scaffold is the kit's, and the registry's commands must not depend on it.
    const scaffold = (await import('../../subgraphs/kit/scaffold/create' as string)) as {
      createPartnerSubgraph(options: { name: string; out: string }): Promise<unknown> | unknown;
    };
    const out = path.resolve(values.out);
    await scaffold.createPartnerSubgraph({ name, out });
    console.log(
      `Wrote the partner subgraph "${name}" to ${out}. Next:\n` +
        `  cd ${displayPath(out)} && npm install && npm test\n` +
        '  PORT=4010 npm start\n' +
        `  npm run subgraph -- check ${name} --url http://127.0.0.1:4010/graphql   (here, in the hub)`,
    );
    return;
  }

  const actor: RegistryActor = {
    subject: values.author ?? process.env.HUB_REGISTRY_AUTHOR ?? `cli:${userInfo().username}`,
    role: 'admin',
  };
  // The gateway's variable: a CLI pointed at a replica's registry reads the same setting.
  const database = process.env.GATEWAY_REGISTRY_DATABASE?.trim() || undefined;
  const store = RegistryStore.open({ mongoUri: registryMongoUri(), database });
  const usage = {
    windowDays: Number(process.env.GATEWAY_USAGE_WINDOW_DAYS?.trim() || DEFAULT_USAGE_WINDOW_DAYS),
    overrideReason: values['override-reason'],
  };
  try {
    switch (command) {
      case 'check':
      case 'publish': {
        const candidate = await readCandidate(needArgument('a subgraph name'), values.url, values.sdl);
        if (command === 'check') {
          const latest = await store.latest();
          const outcome = await checkCandidateWithUsage(candidate, latest, {
            ...usage,
            db: store.database(),
          });
          if (!outcome.ok) return refuse(`${candidate.name} fails the check:`, outcome.errors);
          printWarnings(outcome.warnings);
          console.log(
            `${candidate.name} composes with the hub's supergraph (version ${latest?.version ?? 0}): ` +
              `\`npm run subgraph -- publish ${candidate.name} --url ${candidate.url}\` would make it version ${(latest?.version ?? 0) + 1}.`,
          );
          return;
        }
        return report(
          await publishWithUsageCheck(store, candidate, actor, usage),
          `${candidate.name} not published:`,
        );
      }
      case 'usage': {
        const coordinate = needArgument('a schema coordinate, e.g. Organisation.acronym');
        const days = Number(values.days ?? usage.windowDays);
        if (!Number.isInteger(days) || days < 1) throw new UsageError('--days needs a whole number of days');
        const uses =
          (
            await coordinateUsage(store.database(), [coordinate], new Date(Date.now() - days * 86_400_000))
          ).get(coordinate) ?? [];
        if (uses.length === 0) console.log(`No recorded use of ${coordinate} in the last ${days} days.`);
        for (const use of uses) console.log(`  ${describeUse(use)}`);
        return;
      }
      case 'list': {
        const latest = await store.latest();
        const { version, subgraphs } = await currentSubgraphs(store);
        if (!latest) {
          console.log(
            'No version published yet: the gateways serve the committed schema/supergraph.graphql.',
          );
          return;
        }
        console.log(
          `Supergraph version ${version} (${describeVersion(latest)}, by ${latest.author} at ${latest.at.toISOString()})`,
        );
        if (subgraphs.length === 0) console.log("  no registered subgraphs (only the hub's own)");
        // Each one's served SDL against its published one, as the gateways' drift watch compares them.
        const identityKey = await gatewayIdentityKey();
        const states = await Promise.all(
          subgraphs.map((s) => checkDrift({ ...s, publishedSdl: s.sdl }, { identityKey, timeoutMs: 5_000 })),
        );
        for (const state of states) {
          console.log(`  ${state.name.padEnd(24)} ${state.url}  ${describeDrift(state)}`);
        }
        return;
      }
      case 'history': {
        const name = needArgument('a subgraph name');
        const entries = await subgraphHistory(store, name);
        if (entries.length === 0) {
          console.log(`${name} was never published.`);
          return;
        }
        for (const entry of entries) {
          const what =
            entry.action === 'ROLLBACK'
              ? `rollback to version ${entry.restoredVersion}`
              : entry.action.toLowerCase();
          console.log(
            `version ${String(entry.version).padEnd(4)} ${entry.at.toISOString()}  ${what.padEnd(24)} ` +
              `${(entry.url ?? '(not registered)').padEnd(36)} by ${entry.author}`,
          );
        }
        return;
      }
      case 'rollback': {
        const raw = needArgument('a version number (see `list` and `history <name>`)');
        if (!/^\d+$/.test(raw)) throw new UsageError(`rollback needs a version number, got "${raw}"`);
        return report(await rollbackTo(store, Number(raw), actor), `cannot roll back to version ${raw}:`);
      }
      case 'remove': {
        const name = needArgument('a subgraph name');
        return report(await removeSubgraph(store, name, actor), `cannot remove ${name}:`);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await store.close();
  }
}

async function readCandidate(
  name: string,
  url: string | undefined,
  sdlFile: string | undefined,
): Promise<RegisteredSource> {
  if (!url) throw new UsageError('--url <url> is required: the URL the gateway will call the subgraph at');
  if (sdlFile) {
    return {
      name,
      url,
      sdl: readFileSync(sdlFile, 'utf8'),
      origin: displayPath(path.resolve(sdlFile)),
    };
  }
  const sdl = await fetchServiceSdl(name, url, { identityKey: await gatewayIdentityKey() });
  return { name, url, sdl, origin: `${name} at ${url} (_service.sdl)` };
}

/**
 * The key the subgraph trusts: GATEWAY_IDENTITY_KEY_FILE, else the development gateway's key that
 * `npm start` made. Without either the request goes unsigned, which subgraphs built with the kit refuse.
 */
async function gatewayIdentityKey(): Promise<IdentitySigningKey | undefined> {
  const file =
    process.env.GATEWAY_IDENTITY_KEY_FILE?.trim() ||
    path.resolve(__dirname, '../../.data/keys/gateway-identity.key.pem');
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return identitySigningKey(pem);
}

function report(outcome: RegistryWriteOutcome, failure: string): void {
  if (!outcome.ok) return refuse(failure, outcome.errors);
  printWarnings(outcome.warnings);
  const { version } = outcome;
  console.log(
    `Supergraph version ${version.version} stored (${describeVersion(version)}, by ${version.author} at ` +
      `${version.at.toISOString()}): every gateway on this registry serves it within its poll interval.`,
  );
}

function refuse(headline: string, errors: Parameters<typeof formatProblems>[0]): void {
  console.error(`${headline}\n${formatProblems(errors)}`);
  process.exitCode = 1;
}

function printWarnings(warnings: Parameters<typeof formatProblems>[0]): void {
  if (warnings.length > 0) console.warn(`warnings:\n${formatProblems(warnings)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof UsageError ? `${message}\n\n${USAGE}` : message);
  process.exitCode = 1;
});
