import type { ApolloServerPlugin } from '@apollo/server';

const note = (ide: boolean) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ClusterPoliSEE data hub</title></head>
<body>
<h1>ClusterPoliSEE data hub</h1>
<p>This is the GraphQL endpoint of the hub. Send queries with <code>POST /graphql</code> and
<code>content-type: application/json</code>, for example with
<code>{"query": "{ __typename }"}</code> as the body.</p>
<p>${
  ide
    ? 'The GraphQL IDE for browsers is not ready yet: reload this page in a moment.'
    : 'The GraphQL IDE for browsers is switched off on this gateway (<code>GATEWAY_IDE=off</code>).'
}</p>
</body>
</html>
`;

/**
 * Answers a browser (GET with `Accept: text/html` on `/` or `/graphql`) with a short note instead
 * of Apollo's default landing page, whose Sandbox loads from a CDN. With the IDE on (`ide`), the
 * IDE answers those requests before Apollo sees them (see ../ide); the note is what is left when
 * GATEWAY_IDE=off.
 */
export function landingNotePlugin({ ide }: { ide: boolean }): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: note(ide) };
        },
      };
    },
  };
}
