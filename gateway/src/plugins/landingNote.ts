import type { ApolloServerPlugin } from '@apollo/server';

const NOTE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ClusterPoliSEE data hub</title></head>
<body>
<h1>ClusterPoliSEE data hub</h1>
<p>This is the GraphQL endpoint of the hub. Send queries with <code>POST /graphql</code> and
<code>content-type: application/json</code>, for example with
<code>{"query": "{ __typename }"}</code> as the body.</p>
<p>The in-browser query editor is not available yet.</p>
</body>
</html>
`;

/**
 * Answers a browser (GET with `Accept: text/html` on `/` or `/graphql`) with a short note instead
 * of Apollo's default landing page, whose Sandbox loads from a CDN. Our own offline IDE replaces it.
 */
export function landingNotePlugin(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: NOTE };
        },
      };
    },
  };
}
