/// <reference lib="dom" />
// The analysts' IDE: GraphiQL with the explorer, docs, history, headers and variables, plus the
// Examples, Table and Chart panels. Bundled by ../build.ts; everything it loads comes from the
// gateway.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './ide.css';
import { CONFIG_ELEMENT_ID, type IdePageConfig } from '../page-config';
import { EXAMPLES_TITLE, INTROSPECTION_OFF_NOTE, WELCOME_QUERY, examplesPlugin } from './examples-plugin';
import { chartPlugin } from './chart-plugin';
import { createFetcher } from './fetcher';
import { ideStorage } from './history-storage';
import { tablePlugin } from './table-plugin';

const config = JSON.parse(document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '{}') as IdePageConfig;

// The editor (Monaco) runs its language services in web workers, served by the gateway too.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const url =
      label === 'json'
        ? config.workers.json
        : label === 'graphql'
          ? config.workers.graphql
          : config.workers.editor;
    return new Worker(url);
  },
};

// A first visit (nothing stored yet) opens every example in a tab and shows the Examples panel.
const firstVisit = window.localStorage.getItem('graphiql:tabState') === null;

const root = document.getElementById('graphiql');
if (!root) throw new Error('The IDE page has no #graphiql element');

createRoot(root).render(
  h(
    GraphiQL,
    {
      fetcher: createFetcher(config.endpoint),
      storage: ideStorage(),
      // GraphiQL adds its History panel only when given no plugins of its caller, so it is listed
      // here (without it the history is not even recorded); its runs are kept in the browser's
      // storage, without their headers (see history-storage.ts).
      plugins: [
        explorerPlugin(),
        HISTORY_PLUGIN,
        examplesPlugin(config.examples, config.introspection),
        tablePlugin(),
        chartPlugin(),
      ],
      ...(config.introspection ? {} : { schema: null }),
      ...(firstVisit && config.examples.length > 0
        ? {
            defaultTabs: config.examples.map((example) => ({ query: example.query })),
            visiblePlugin: EXAMPLES_TITLE,
          }
        : {}),
      defaultQuery: WELCOME_QUERY,
      isHeadersEditorEnabled: true,
    },
    h(GraphiQL.Logo, null, 'ClusterPoliSEE'),
    config.introspection
      ? null
      : h(GraphiQL.Footer, null, h('p', { className: 'cp-note' }, INTROSPECTION_OFF_NOTE)),
  ),
);
