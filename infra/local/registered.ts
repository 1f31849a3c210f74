// The partners' subgraphs that `npm start` does not start: those published into the schema
// registry, which the gateway calls at their registered URLs. One that does not answer is only
// reported: the gateway gives partial answers for it until it is back.
import { RegistryStore } from '../../schema/registry/store';

export async function reportRegisteredSubgraphs(
  mongoUri: string,
  log: (line: string) => void,
): Promise<void> {
  const store = RegistryStore.open({ mongoUri });
  try {
    const latest = await store.latest();
    if (!latest || latest.subgraphs.length === 0) return;
    log(`supergraph version ${latest.version} from the schema registry (npm run subgraph -- list)`);
    await Promise.all(
      latest.subgraphs.map(async ({ name, url }) => {
        const problem = await unreachable(url);
        log(
          problem
            ? `registered subgraph ${name} at ${url} is down (${problem}): its fields answer with errors until it is up`
            : `registered subgraph ${name} at ${url} answers`,
        );
      }),
    );
  } catch (error) {
    log(
      `the schema registry cannot be read (${(error as Error).message}): serving schema/supergraph.graphql`,
    );
  } finally {
    await store.close();
  }
}

/** Why `url` gives no HTTP answer at all, or undefined. Any status counts as up: it needs a signed identity. */
async function unreachable(url: string): Promise<string | undefined> {
  try {
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
      signal: AbortSignal.timeout(3_000),
    });
    return undefined;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}
