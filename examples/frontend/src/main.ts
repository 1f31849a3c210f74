// The example run by hand against a running hub (`npm start` at the repository's root):
//   HUB_TOKEN=$(npm run -s token -- --role finance-officer --org <organisation id>) \
//     npm start -w examples/frontend -- --country IT
// HUB_URL defaults to http://localhost:4000/graphql; without HUB_TOKEN only the public operation runs.
import { parseArgs } from 'node:util';
import { claimsOfProject, organisationsOfCountry } from './app';
import { createHubClient } from './client';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      country: { type: 'string', default: 'IT' },
      project: { type: 'string', default: 'clusterpolisee' },
      'trusted-documents': { type: 'boolean', default: false },
    },
  });
  const token = process.env.HUB_TOKEN || undefined;
  const client = createHubClient({
    url: process.env.HUB_URL || 'http://localhost:4000/graphql',
    token: () => token,
    persistedDocuments: values['trusted-documents'],
  });

  const { totalCount, organisations } = await organisationsOfCountry(client, values.country);
  console.log(`${totalCount} organisations in ${values.country}:`);
  for (const o of organisations) console.log(`  ${o.name}${o.acronym ? ` (${o.acronym})` : ''}: ${o.type}`);

  if (!token) {
    console.log(
      'Set HUB_TOKEN to also list expenditure claims (npm run token -- --role finance-officer --org <id>).',
    );
    return;
  }
  const claims = await claimsOfProject(client, values.project);
  console.log(`${claims.totalCount} claims of ${values.project} you may read:`);
  for (const c of claims.claims) {
    console.log(
      `  ${c.id} ${c.status} ${c.amount.amount} ${c.amount.currency} ${c.organisation?.name ?? ''}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
