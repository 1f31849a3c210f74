// The IDE's HTML page: a shell that loads the built script and stylesheet from /ide/assets and
// hands the page its settings as JSON (no inline script, so the page's CSP allows only 'self').
import { CONFIG_ELEMENT_ID, type IdePageConfig } from './page-config';

/** Where the assets are served, and their URL relative to the page (at `/` or `/graphql`). */
export const ASSETS_PATH = '/ide/assets/';
const ASSETS_URL = 'ide/assets/';

/**
 * The page's Content-Security-Policy: scripts, styles, workers and requests only from the gateway
 * itself (fonts and icons are inlined as data: URLs; GraphiQL sets inline styles). Whatever a
 * dependency might try, the browser does not let the page reach another host.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export interface PageAssets {
  script: string;
  style: string;
  workers: { editor: string; json: string; graphql: string };
}

export function renderIdePage(
  assets: PageAssets,
  settings: Pick<IdePageConfig, 'endpoint' | 'introspection' | 'examples'>,
): string {
  const config: IdePageConfig = {
    ...settings,
    workers: {
      editor: ASSETS_URL + assets.workers.editor,
      json: ASSETS_URL + assets.workers.json,
      graphql: ASSETS_URL + assets.workers.graphql,
    },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>ClusterPoliSEE data hub · GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS_URL}${escapeHtml(assets.style)}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
<script id="${CONFIG_ELEMENT_ID}" type="application/json">${jsonForScript(config)}</script>
<script defer src="${ASSETS_URL}${escapeHtml(assets.script)}"></script>
</head>
<body>
<div id="graphiql"><noscript>The ClusterPoliSEE GraphQL IDE needs JavaScript. Without it, send
queries with <code>POST /graphql</code> and <code>content-type: application/json</code>.</noscript></div>
</body>
</html>
`;
}

/** JSON that cannot end the `<script>` element it sits in, nor open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
