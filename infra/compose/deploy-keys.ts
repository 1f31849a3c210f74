/**
 * `npm run deploy:keys`: the key files the compose file and the Kubernetes dev overlay read, never
 * committed (both folders are gitignored):
 *   infra/compose/secrets/ and infra/k8s/overlays/dev/secrets/ get the development keys of
 *   `npm start` (.data/keys, made if missing): the gateway's identity key and its public JWKS, and
 *   the public JWKS of the development token issuer, so `npm run token` makes tokens they accept.
 * `npm run deploy:keys -- --production <dir>` instead writes a fresh identity key and its JWKS to
 * <dir> for `kubectl create secret` (see "Running in production" in the README); no token issuer:
 * production trusts its identity provider's.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDevSecrets, writeProductionIdentity } from './keys';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { production: { type: 'string' } } });
  if (values.production !== undefined) {
    const files = await writeProductionIdentity(path.resolve(values.production));
    console.log(`Wrote ${files.join(' and ')}. Create the cluster's secrets from them:`);
    console.log(
      `  kubectl -n clusterpolisee create secret generic hub-gateway-keys --from-file=${files[0]}\n` +
        `  kubectl -n clusterpolisee create secret generic hub-gateway-identity-jwks --from-file=${files[1]}\n` +
        'then keep the key in your secret store and delete the file.',
    );
    return;
  }
  const files = await writeDevSecrets();
  console.log(`Wrote the development keys (never deploy them) to:\n  ${files.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
