// The analysts' GraphQL IDE, served by the gateway itself so that it works on closed networks:
// `GET /graphql` or `/` with `Accept: text/html` gets the page, `/ide/assets/*` its script,
// stylesheet and editor workers (built on first use, see build.ts), compressed and cacheable.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger, type Logger } from '@clusterpolisee/kit/telemetry';
import { ideBuild, type IdeBuild, type IdeBuildOptions } from './build';
import { represent, sendRepresentation, type Representation } from './http';
import { loadExampleOperations, OPERATIONS_DIR } from './operations';
import { ASSETS_PATH, IDE_CONTENT_SECURITY_POLICY, renderIdePage } from './page';

export { ideBuild, describeSizes, type IdeBuild } from './build';
export { loadExampleOperations, OPERATIONS_DIR } from './operations';
export type { ExampleOperation, IdePageConfig } from './page-config';
export { findLists, flatten, parseCsv, toCsv, toTable, type Table } from './table';
export { chartData, chartOption, numericColumns, settleSettings, shortLabel } from './chart';

export interface IdeOptions {
  /** Whether the gateway answers introspection; without it the IDE says what it cannot do. */
  introspection: boolean;
  /** Where the example operations are. Default `<repo>/schema/operations`. */
  operationsDir?: string;
  /** The GraphQL path the page is served at and sends operations to. Default `/graphql`. */
  graphqlPath?: string;
  build?: IdeBuildOptions;
  /**
   * The gateway's logger: the build's lines, example files left out, a build that failed (also
   * `build.log`'s default). Default a logger of its own.
   */
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * Handles the IDE's requests; returns false, having done nothing, for any other request. Given to
 * the kit's server as its `before` handler, so its answers drain on close like any other.
 */
export type IdeRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const HTML = 'text/html; charset=utf-8';
const ASSET_HEADERS = {
  // Asset names carry a hash of their content: a new build has new names.
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
};
const PAGE_HEADERS = {
  // The page names the current assets: check with the gateway (ETag, 304) before each reuse.
  'cache-control': 'no-cache',
  // The same URL answers GraphQL requests too: caches must tell the two apart.
  vary: 'Accept, Accept-Encoding',
  'content-security-policy': IDE_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function createIdeHandler(options: IdeOptions): IdeRequestHandler {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const endpoint = graphqlPath.replace(/^\//, '');
  const operationsDir = options.operationsDir ?? OPERATIONS_DIR;
  const log = options.log ?? createLogger({ service: 'gateway' });
  const buildOptions: IdeBuildOptions = { log: (line) => log.info(line), ...options.build };
  // The page changes only with the build and the example files: remember the last one rendered.
  let lastPage: { html: string; representation: Promise<Representation> } | undefined;

  const page = async (): Promise<Representation> => {
    const build = await ideBuild(buildOptions);
    // Read on every page request (a handful of small files), so edited examples show on reload.
    const examples = loadExampleOperations(operationsDir, (line) => log.warn(line));
    const html = renderIdePage(build.entries, { endpoint, introspection: options.introspection, examples });
    if (lastPage?.html !== html) lastPage = { html, representation: represent(HTML, html) };
    return lastPage.representation;
  };

  const asset = async (name: string): Promise<Representation | undefined> => {
    const build: IdeBuild = await ideBuild(buildOptions);
    return build.assets.get(name);
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const wantsPage =
      (pathname === graphqlPath || pathname === '/') &&
      (method === 'GET' || method === 'HEAD') &&
      (req.headers.accept ?? '').includes('text/html');
    const assetName = pathname.startsWith(ASSETS_PATH) ? pathname.slice(ASSETS_PATH.length) : undefined;
    if (!wantsPage && assetName === undefined) return false;

    if (assetName !== undefined && method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return true;
    }
    const answer = wantsPage ? page() : asset(assetName!);
    answer.then(
      (representation) => {
        if (representation) {
          sendRepresentation(req, res, representation, wantsPage ? PAGE_HEADERS : ASSET_HEADERS);
        } else {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
          res.end(`No IDE asset ${assetName}: reload the page to get the current ones.\n`);
        }
      },
      (error: unknown) => {
        log.error({ err: error }, 'the IDE could not be built');
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': wantsPage ? HTML : 'text/plain; charset=utf-8' });
        res.end(
          wantsPage
            ? '<!doctype html><title>IDE unavailable</title><p>The GraphQL IDE could not be built; ' +
                "the gateway's log says why. GraphQL itself works: <code>POST /graphql</code>.</p>\n"
            : 'The IDE could not be built.\n',
        );
      },
    );
    return true;
  };
}
