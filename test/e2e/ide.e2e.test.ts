// The analysts' IDE, end to end: the example operations through the real gateway, the page and its
// assets over HTTP (compression, ETags, the switches), and a headless Chromium that may reach
// nothing but the gateway on loopback: it opens the IDE, runs an example, finds it in the History,
// switches to the table and downloads the CSV; it draws another example as a chart, saves it as SVG
// and PNG, and sees the chart follow the next run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startGateway, type RunningGateway } from '@clusterpolisee/gateway';
import {
  findLists,
  ideBuild,
  loadExampleOperations,
  parseCsv,
  shortLabel,
  type ExampleOperation,
} from '@clusterpolisee/gateway/ide';
import { postGraphQL } from '@clusterpolisee/kit/testing';
import { startTestHub, type TestHub } from '../support/hub';

const CHROMIUM = '/usr/bin/chromium';
/** Flags that let Debian's Chromium run headless in a container on a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The example the browser runs, and what its table must show. */
const BROWSER_EXAMPLE = 'PartnerOrganisations';
const BSMEPA_ORIGINAL = 'Изпълнителна агенция за насърчаване на малките и средните предприятия';
/** Set to a path (e.g. docs/ide-table-view.png) to save a screenshot of the table view there. */
const SCREENSHOT = process.env.IDE_SCREENSHOT;
/** The examples the browser draws as charts: figures by country, then organisations by name. */
const CHART_EXAMPLE = 'AbsorptionByCountry';
const CYRILLIC_EXAMPLE = 'OrganisationsOfACountry';
/** Set to a path (e.g. docs/ide-chart-view.png) to save a screenshot of the chart view there. */
const CHART_SCREENSHOT = process.env.IDE_CHART_SCREENSHOT;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const examples: ExampleOperation[] = loadExampleOperations(undefined, (message) => {
  throw new Error(message);
});

let hub: TestHub;
let origin: string;

beforeAll(async () => {
  hub = await startTestHub();
  origin = `http://127.0.0.1:${hub.gateway.port}`;
}, 60_000);
// The gateway builds the IDE on the first browser request (seconds on a fresh clone, then cached
// under .cache/ide): build it here, so that no test below waits for it.
beforeAll(() => ideBuild(), 180_000);
afterAll(() => hub?.close());

describe('the example operations of schema/operations', () => {
  it('are there', () => {
    expect(examples.map((example) => example.name)).toEqual(
      expect.arrayContaining([BROWSER_EXAMPLE, CHART_EXAMPLE, CYRILLIC_EXAMPLE]),
    );
  });

  it.each(examples.map((example) => [example.file, example] as const))(
    '%s runs through the gateway without errors and returns rows',
    async (_file, example) => {
      // As the analysts who run them in the IDE: some read claims, which are not public.
      const result = await hub.query(example.query, undefined, { role: 'analyst' });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual(expect.any(Object));
      expect(findLists(result.data).some((list) => list.items.length > 0)).toBe(true);
    },
  );
});

describe('the IDE over HTTP', () => {
  it('answers a browser at /graphql and / with the page, gzip-encoded when asked, with an ETag', async () => {
    for (const pathname of ['/graphql', '/']) {
      const page = await httpGet(`${origin}${pathname}`, { accept: 'text/html', 'accept-encoding': 'gzip' });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-encoding']).toBe('gzip');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers.vary).toBe('Accept, Accept-Encoding');
      expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(page.headers.etag).toMatch(/^"[\w-]+-gzip"$/);
      const html = gunzipSync(page.body).toString('utf8');
      expect(html).toContain('<div id="graphiql">');
      expect(html).toMatch(/<script defer src="ide\/assets\/ide-\w+\.js"><\/script>/);

      const again = await httpGet(`${origin}${pathname}`, {
        accept: 'text/html',
        'accept-encoding': 'gzip',
        'if-none-match': page.headers.etag!,
      });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(page.headers.etag);
    }
  });

  it('serves the assets compressed, immutable, and 304 on If-None-Match', async () => {
    const page = await httpGet(`${origin}/graphql`, { accept: 'text/html' });
    expect(page.headers['content-encoding']).toBeUndefined();
    const html = page.body.toString('utf8');
    const urls = [...html.matchAll(/(?:href|src)="(ide\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(urls).toHaveLength(2);
    const workers = JSON.parse(/type="application\/json">(.*?)<\/script>/.exec(html)![1]!).workers;
    for (const url of [...urls, ...Object.values<string>(workers)]) {
      const asset = await httpGet(`${origin}/${url}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect(asset.status).toBe(200);
      expect(asset.headers['content-encoding']).toBe('br');
      expect(asset.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const text = brotliDecompressSync(asset.body).toString('utf8');
      expect(text.length).toBeGreaterThan(asset.body.length);
      // No script, worker, style or font is loaded from a URL with a host in it.
      expect(text).not.toMatch(
        /(import\(|importScripts\(|new Worker\(|@import |url\()\s*["'`]?(https?:)?\/\//,
      );

      const again = await httpGet(`${origin}/${url}`, { 'if-none-match': asset.headers.etag! });
      expect(again.status).toBe(304);
    }
    expect((await httpGet(`${origin}/ide/assets/ide-nothing.js`, {})).status).toBe(404);
  });

  it('leaves GraphQL over GET and POST to Apollo', async () => {
    const viaGet = await httpGet(`${origin}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      accept: 'application/json',
      'apollo-require-preflight': 'true',
    });
    expect(JSON.parse(viaGet.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
    expect((await hub.query('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

describe('with GATEWAY_IDE=off and GATEWAY_INTROSPECTION=off', () => {
  let closed: RunningGateway;

  beforeAll(async () => {
    closed = await startGateway({ ...hub.gatewaySettings, ide: false, introspection: false });
  });
  afterAll(() => closed?.close());

  it('gives browsers the short note instead of the IDE, and no assets', async () => {
    const base = `http://127.0.0.1:${closed.port}`;
    const page = await httpGet(`${base}/graphql`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    const html = page.body.toString('utf8');
    expect(html).toContain('GATEWAY_IDE=off');
    expect(html).not.toContain('ide/assets');
    const script = /src="(ide\/assets\/[^"]+)"/.exec(
      (await httpGet(`${origin}/graphql`, { accept: 'text/html' })).body.toString('utf8'),
    )![1];
    expect((await httpGet(`${base}/${script}`, {})).status).toBe(404);
  });

  it('refuses introspection, and still answers queries', async () => {
    const introspection = await postGraphQL(closed.url, '{ __schema { queryType { name } } }');
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    const example = examples.find((candidate) => candidate.name === BROWSER_EXAMPLE)!;
    const query = await postGraphQL(closed.url, example.query);
    expect(query.errors).toBeUndefined();
    expect(findLists(query.data)[0]?.items.length).toBeGreaterThan(0);
  });
});

const chromiumMissing = !existsSync(CHROMIUM);
const inCi = !['', 'false', '0'].includes(process.env.CI ?? '');
if (chromiumMissing && !inCi) {
  console.warn(
    `Skipping the IDE's browser test: ${CHROMIUM} is missing. Install Debian's chromium package ` +
      '(apt-get install chromium); under CI=true the test fails instead.',
  );
}
const browserTest = chromiumMissing && !inCi ? describe.skip : describe;

browserTest('the IDE in headless Chromium, with every request beyond loopback blocked', () => {
  let browser: Browser;
  let downloads: string;

  beforeAll(async () => {
    if (chromiumMissing) {
      throw new Error(
        `${CHROMIUM} is missing: .ci/run installs Debian's chromium package (apt-get install chromium).`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    downloads = mkdtempSync(path.join(tmpdir(), 'ide-downloads-'));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  /** A fresh browser profile on `base` that records (and aborts) every request that is not for `base`. */
  async function openIde(base: string) {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      acceptDownloads: true,
    });
    const allowed = new Set([base, base.replace('127.0.0.1', 'localhost')]);
    const blocked: string[] = [];
    const graphqlRequests: { headers: Record<string, string>; body: string }[] = [];
    await context.route('**/*', async (route) => {
      const request = route.request();
      if (!allowed.has(new URL(request.url()).origin)) {
        blocked.push(`${request.method()} ${request.url()}`);
        return route.abort('blockedbyclient');
      }
      if (request.method() === 'POST') {
        graphqlRequests.push({ headers: request.headers(), body: request.postData() ?? '' });
      }
      return route.continue();
    });
    // Requests that bypass routing (none should exist) are recorded too.
    context.on('request', (request) => {
      const url = request.url();
      if (!/^(data|blob):/.test(url) && !allowed.has(new URL(url).origin)) {
        const entry = `${request.method()} ${url}`;
        if (!blocked.includes(entry)) blocked.push(entry);
      }
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('websocket', (socket) => blocked.push(`WebSocket ${socket.url()}`));
    await page.goto(`${base}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 90_000 });
    return { context, page, blocked, problems, graphqlRequests };
  }

  it('runs an example, shows its rows as a table and downloads them as CSV', async () => {
    const example = examples.find((candidate) => candidate.name === BROWSER_EXAMPLE)!;
    const expected = findLists((await hub.query(example.query)).data)[0]!;
    const { context, page, blocked, problems, graphqlRequests } = await openIde(origin);
    try {
      // A first visit shows the Examples panel; pick the example there.
      await page.locator(`button[data-example="${BROWSER_EXAMPLE}"]`).click();
      await eventually(
        () => editorText(page, '.graphiql-query-editor'),
        (text) => text.includes(`query ${BROWSER_EXAMPLE}`),
      );

      // An Authorization header set in the headers editor goes along with the operation.
      const token = await setAuthorization(page);

      const answered = page.waitForResponse(
        (response) => response.request().method() === 'POST' && response.url() === `${origin}/graphql`,
      );
      await page.locator('.graphiql-execute-button').click();
      expect((await answered).status()).toBe(200);
      await eventually(
        () => editorText(page, '.result-window'),
        (text) => text.includes('"organisations"'),
      );
      const sent = graphqlRequests.find((request) => request.body.includes(BROWSER_EXAMPLE))!;
      expect(sent.headers.authorization).toBe(`Bearer ${token}`);

      // GraphiQL's own panels sit in the sidebar next to ours, and History lists the run just made.
      const sidebarButtons = await page
        .locator('.graphiql-sidebar button')
        .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
      expect(sidebarButtons).toEqual(
        expect.arrayContaining(['Show Documentation Explorer', 'Show GraphiQL Explorer', 'Show History']),
      );
      await page.getByRole('button', { name: 'Show History', exact: true }).click();
      await eventually(
        () => page.locator('.graphiql-history-item-label').allInnerTexts(),
        (labels) => labels.includes(BROWSER_EXAMPLE),
      );
      // The run is kept in the browser's storage, but not the token it was sent with.
      const stored = await page.evaluate(() => Object.entries(localStorage));
      const history = JSON.parse(stored.find(([key]) => key === 'graphiql:queries')?.[1] ?? '{}');
      expect(history.queries).toEqual([expect.objectContaining({ operationName: BROWSER_EXAMPLE })]);
      expect(history.queries[0]).not.toHaveProperty('headers');
      expect(stored.filter(([, value]) => value.includes(token))).toEqual([]);

      await page.getByRole('button', { name: 'Show Table' }).click();
      const table = page.locator('.cp-table');
      await eventually(
        () => table.locator('tbody tr').count(),
        (count) => count === expected.items.length,
      );
      expect(await table.locator('tbody tr', { hasText: 'BSMEPA' }).innerText()).toContain(BSMEPA_ORIGINAL);
      if (SCREENSHOT) {
        mkdirSync(path.dirname(path.resolve(SCREENSHOT)), { recursive: true });
        await page.screenshot({ path: path.resolve(SCREENSHOT) });
      }

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${BROWSER_EXAMPLE}-${expected.label}.csv`);
      const file = path.join(downloads, download.suggestedFilename());
      await download.saveAs(file);
      const bytes = readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte order mark
      const [header, ...rows] = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      expect(header).toEqual(expect.arrayContaining(['name', 'nameOriginal', 'acronym', 'country.code']));
      expect(rows).toHaveLength(expected.items.length);
      const column = (name: string) => header!.indexOf(name);
      const bsmepa = rows.find((row) => row[column('acronym')] === 'BSMEPA');
      expect(bsmepa?.[column('nameOriginal')]).toBe(BSMEPA_ORIGINAL);
      expect(bsmepa?.[column('country.code')]).toBe('BG');
      expect(rows.map((row) => row[column('name')]).sort()).toEqual(
        expected.items.map((item) => (item as { name: string }).name).sort(),
      );

      // After a reload, History still lists the run.
      await page.reload();
      await page.locator('.graphiql-container').waitFor({ timeout: 90_000 });
      await page.getByRole('button', { name: 'Show History', exact: true }).click();
      await eventually(
        () => page.locator('.graphiql-history-item-label').allInnerTexts(),
        (labels) => labels.includes(BROWSER_EXAMPLE),
      );

      expect(blocked).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('draws an example as a chart, saves it as SVG and PNG, and redraws it on the next run', async () => {
    const { context, page, blocked, problems } = await openIde(origin);
    try {
      await page.locator(`button[data-example="${CHART_EXAMPLE}"]`).click();
      await eventually(
        () => editorText(page, '.graphiql-query-editor'),
        (text) => text.includes(`query ${CHART_EXAMPLE}`),
      );
      await setAuthorization(page); // spent figures are claims: analysts see them
      const rows = await runAndRead(page, (body) => body.includes(CHART_EXAMPLE));
      expect(rows.length).toBeGreaterThan(1);
      const keys = rows.map((row) => row.key as string);

      await page.getByRole('button', { name: 'Show Chart' }).click();
      const chart = page.locator('.cp-chart svg');
      // First offered: the keys as labels, the money amounts (budget and spent) as bars.
      await eventually(
        () => chart.locator('text').allTextContents(),
        (texts) => keys.every((key) => texts.includes(shortLabel(key))),
      );
      await expect(checkedFigures(page)).resolves.toEqual(['budget.amount', 'spent.amount']);
      // Pointing at the first country's bars shows its label and its figures whole.
      const label = (await chart.getByText(shortLabel(keys[0]!), { exact: true }).boundingBox())!;
      const area = (await page.locator('.cp-chart').boundingBox())!;
      await page.mouse.move(label.x + label.width / 2, area.y + area.height / 2);
      const budget = Number((rows[0]!.budget as { amount: string }).amount);
      const whole = new Intl.NumberFormat('en', { minimumFractionDigits: 2 }).format(budget);
      await eventually(
        () => page.locator('.cp-chart > div').last().innerText(),
        (text) => text.includes(keys[0]!) && text.includes(whole),
      );
      if (CHART_SCREENSHOT) {
        mkdirSync(path.dirname(path.resolve(CHART_SCREENSHOT)), { recursive: true });
        await page.screenshot({ path: path.resolve(CHART_SCREENSHOT) });
      }

      // SVG: a document the browser's XML parser takes, one bar per row with a figure, the labels.
      const svgFile = await download(page, 'Save SVG', `${CHART_EXAMPLE}-absorption.svg`);
      const svg = await page.evaluate(
        (text) => {
          const document = new DOMParser().parseFromString(text, 'image/svg+xml');
          const bars = (series: number) =>
            [...document.querySelectorAll(`[ecmeta_ssr_type="chart"][ecmeta_series_index="${series}"]`)].map(
              (element) => Number(element.getAttribute('ecmeta_data_index')),
            );
          return {
            root: document.documentElement.nodeName,
            errors: document.getElementsByTagName('parsererror').length,
            texts: [...document.querySelectorAll('text')].map((element) => element.textContent),
            budgetBars: bars(0),
            spentBars: bars(1),
          };
        },
        readFileSync(svgFile, 'utf8'),
      );
      expect(svg.root).toBe('svg');
      expect(svg.errors).toBe(0);
      expect(svg.texts).toEqual(expect.arrayContaining([...keys, 'budget.amount', 'spent.amount']));
      const withFigure = (field: 'budget' | 'spent') =>
        rows.flatMap((row, index) => ((row[field] as { amount?: string } | null)?.amount ? [index] : []));
      expect(svg.budgetBars.sort((a, b) => a - b)).toEqual(withFigure('budget'));
      expect(svg.spentBars.sort((a, b) => a - b)).toEqual(withFigure('spent'));
      expect(svg.budgetBars).toHaveLength(rows.length);

      // PNG: the signature, twice the chart's size on screen, and more than a blank image weighs.
      const pngFile = await download(page, 'Save PNG', `${CHART_EXAMPLE}-absorption.png`);
      const png = readFileSync(pngFile);
      expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(png.length).toBeGreaterThan(10_000);
      const size = await page
        .locator('.cp-chart')
        .evaluate((element) => [element.clientWidth, element.clientHeight]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(size.map((pixels) => 2 * pixels)); // IHDR

      // The same operation by work package: the chart follows the new result, as a stacked bar.
      await page
        .locator('.cp-chart-toolbar select')
        .filter({ hasText: 'Stacked bar' })
        .selectOption('stacked');
      await page.locator('.graphiql-query-editor .view-lines').first().click();
      await page.keyboard.press('ControlOrMeta+A');
      const example = examples.find((candidate) => candidate.name === CHART_EXAMPLE)!;
      await page.keyboard.insertText(example.query.replace('by: COUNTRY', 'by: WORK_PACKAGE'));
      await eventually(
        () => editorText(page, '.graphiql-query-editor'),
        (text) => text.includes('by: WORK_PACKAGE'),
      );
      const again = await runAndRead(page, (body) => body.includes('WORK_PACKAGE'));
      const packages = again.map((row) => row.key as string);
      expect(packages.length).toBeGreaterThan(0);
      expect(packages).not.toEqual(keys);
      await eventually(
        () => chart.locator('text').allTextContents(),
        (texts) =>
          packages.every((key) => texts.includes(shortLabel(key))) &&
          !keys.some((key) => texts.includes(key)),
      );
      await expect(
        page.locator('.cp-chart-toolbar select').filter({ hasText: 'Stacked bar' }).inputValue(),
      ).resolves.toBe('stacked');

      // Another example, its rows named by their original (Cyrillic) names: cut short on the axis,
      // whole in the tooltip.
      await page.getByRole('button', { name: 'Show Examples' }).click();
      await page.locator(`button[data-example="${CYRILLIC_EXAMPLE}"]`).click();
      await eventually(
        () => editorText(page, '.graphiql-query-editor'),
        (text) => text.includes(`query ${CYRILLIC_EXAMPLE}`),
      );
      await setAuthorization(page); // headers are per tab
      const organisations = await runAndRead(page, (body) => body.includes(CYRILLIC_EXAMPLE));
      expect(organisations.map((row) => row.nameOriginal)).toContain(BSMEPA_ORIGINAL);
      await page.getByRole('button', { name: 'Show Chart' }).click();
      await page
        .locator('.cp-chart-toolbar select')
        .filter({ hasText: 'nameOriginal' })
        .selectOption('nameOriginal');
      const bsmepaLabel = chart.locator('text', { hasText: shortLabel(BSMEPA_ORIGINAL) });
      await bsmepaLabel.waitFor();
      expect(shortLabel(BSMEPA_ORIGINAL)).not.toBe(BSMEPA_ORIGINAL);
      const labelBox = (await bsmepaLabel.boundingBox())!;
      const chartBox = (await page.locator('.cp-chart').boundingBox())!;
      await page.mouse.move(labelBox.x + labelBox.width, chartBox.y + chartBox.height / 3);
      await eventually(
        () => page.locator('.cp-chart > div').last().innerText(),
        (text) => text.includes(BSMEPA_ORIGINAL),
      );

      expect(blocked).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  /** Sets an analyst's token in the headers editor; returns it. */
  async function setAuthorization(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'Headers' }).click();
    await page.locator('.graphiql-editor-tool .graphiql-editor').last().click();
    await page.keyboard.press('ControlOrMeta+A');
    const token = await hub.tokens.mint({ role: 'analyst', sub: 'ide-e2e' });
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
    await page.keyboard.press('Home'); // the line's start in view (for the screenshots)
    return token;
  }

  /** Runs the editor's operation and waits for the request `sent` accepts; its result's first list. */
  async function runAndRead(page: Page, sent: (body: string) => boolean): Promise<Record<string, unknown>[]> {
    for (let attempt = 1; ; attempt += 1) {
      const answered = page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' &&
          response.url() === `${origin}/graphql` &&
          sent(response.request().postData() ?? ''),
      );
      await page.locator('.graphiql-execute-button').click();
      const response = await answered;
      const text = await response.text();
      // GraphiQL takes the operation name from the editor after a debounce: on a busy machine a
      // run just after a tab switch may still name the operation of the tab before.
      if (response.status() !== 200 && text.includes('Unknown operation named') && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      expect([response.status(), text.slice(0, 300)]).toEqual([200, expect.any(String)]);
      const result = JSON.parse(text) as { data?: unknown; errors?: unknown };
      expect(result.errors).toBeUndefined();
      return findLists(result.data)[0]!.items as Record<string, unknown>[];
    }
  }

  async function checkedFigures(page: Page): Promise<string[]> {
    return page
      .locator('.cp-chart-values label')
      .filter({ has: page.locator('input:checked') })
      .evaluateAll((labels) => labels.map((label) => label.textContent!.trim()));
  }

  /** Clicks `button`, saves what it downloads under its suggested name (checked), returns the path. */
  async function download(page: Page, button: string, name: string): Promise<string> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    expect(file.suggestedFilename()).toBe(name);
    const saved = path.join(downloads, name);
    await file.saveAs(saved);
    return saved;
  }

  it('says what is missing when the gateway refuses introspection', async () => {
    const gateway = await startGateway({ ...hub.gatewaySettings, introspection: false });
    const { context, page, blocked } = await openIde(`http://127.0.0.1:${gateway.port}`);
    try {
      await eventually(
        () => page.locator('.graphiql-footer').innerText(),
        (text) => text.includes('Introspection is switched off on this gateway'),
      );
      await page.locator(`button[data-example="${BROWSER_EXAMPLE}"]`).click();
      // Run only once the editor holds the example: a click on a busy machine may land before.
      await eventually(
        () => editorText(page, '.graphiql-query-editor'),
        (text) => text.includes(`query ${BROWSER_EXAMPLE}`),
      );
      await page.locator('.graphiql-execute-button').click();
      // GraphiQL takes the operation name from the editor after a debounce: on a busy machine the
      // first run may still name the operation the editor held before, which Apollo refuses.
      await eventually(
        async () => {
          const text = await editorText(page, '.result-window');
          if (text.includes('Unknown operation named'))
            await page.locator('.graphiql-execute-button').click();
          return text;
        },
        (text) => text.includes('"organisations"'),
      );
      expect(blocked).toEqual([]);
    } finally {
      await context.close();
      await gateway.close();
    }
  }, 120_000);
});

/** Calls `read` until `check` accepts its value (or `timeoutMs` passes) and returns that value. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let failure: unknown;
    try {
      value = await read();
      if (check(value)) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`, {
        cause: failure,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The text of a Monaco editor (the lines it shows), with its non-breaking spaces made plain. */
async function editorText(page: Page, selector: string): Promise<string> {
  return (await page.locator(`${selector} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
}

/** GET without fetch's decompression, to see the bytes and headers as sent. */
function httpGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}
