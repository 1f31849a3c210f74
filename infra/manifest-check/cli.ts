/**
 * `npm run manifests:check`: validates the deployment files offline, as `npm test` does. Builds
 * every Kubernetes overlay (with development keys generated into a temporary copy, so it needs no
 * `npm run deploy:keys`), decodes each resource strictly into its API type, evaluates the network
 * policies against the hub's isolation rules, and loads compose.yaml with the Compose
 * specification's loader. Prints what it checked; exits 1 naming each problem.
 */
import { hubIsolationViolations } from '../k8s/hub-isolation';
import { buildOverlays, COMPOSE_FILE, k8sCopyWithDevSecrets, loadCompose, ManifestCheckError } from '.';

async function main(): Promise<number> {
  const copy = await k8sCopyWithDevSecrets();
  let failed = false;
  try {
    for (const overlay of await buildOverlays(copy.dir)) {
      const violations = hubIsolationViolations(overlay.resources);
      console.log(`infra/k8s/${overlay.dir}: ${overlay.resources.length} resources valid`);
      for (const violation of violations) console.error(`  network policy: ${violation}`);
      failed ||= violations.length > 0;
    }
  } finally {
    copy.remove();
  }
  const project = await loadCompose(COMPOSE_FILE);
  console.log(`infra/compose/compose.yaml: valid, services ${Object.keys(project.services).join(', ')}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ManifestCheckError ? error.message : error);
    process.exit(1);
  },
);
