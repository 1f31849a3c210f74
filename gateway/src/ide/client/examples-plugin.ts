/// <reference lib="dom" />
// The "Examples" panel: the example operations kept in the repository (schema/operations), each
// with the question it answers. A click opens one in a tab (or switches to the tab that has it).
import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from '@graphiql/react';
import { createElement as h } from 'react';
import type { ExampleOperation } from '../page-config';
import { ExamplesIcon } from './icons';

export const EXAMPLES_TITLE = 'Examples';

export function examplesPlugin(examples: ExampleOperation[], introspection: boolean): GraphiQLPlugin {
  return {
    title: EXAMPLES_TITLE,
    icon: ExamplesIcon,
    content: () => h(ExamplesPanel, { examples, introspection }),
  };
}

function ExamplesPanel({
  examples,
  introspection,
}: {
  examples: ExampleOperation[];
  introspection: boolean;
}) {
  const { addTab, changeTab } = useGraphiQLActions();
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const tabs = useGraphiQL((state) => state.tabs);
  const activeTabIndex = useGraphiQL((state) => state.activeTabIndex);

  const open = (example: ExampleOperation) => {
    const wanted = example.query.trim();
    const index = tabs.findIndex((tab, i) =>
      i === activeTabIndex ? queryEditor?.getValue().trim() === wanted : tab.query?.trim() === wanted,
    );
    if (index >= 0) {
      if (index !== activeTabIndex) changeTab(index);
      return;
    }
    // An empty or untouched tab is reused; anything else stays as it is and a new tab opens.
    const current = queryEditor?.getValue().trim() ?? '';
    if (current !== '' && !current.startsWith(WELCOME_MARK)) addTab();
    queryEditor?.setValue(example.query);
  };

  return h(
    'section',
    { className: 'cp-panel', 'aria-label': EXAMPLES_TITLE },
    h('div', { className: 'graphiql-doc-explorer-title' }, EXAMPLES_TITLE),
    h(
      'p',
      { className: 'cp-hint' },
      'Questions analysts ask, kept in the repository under ',
      h('code', null, 'schema/operations'),
      '. Open one, then run it with ▶ (Ctrl-Enter) and see its rows in the Table panel.',
    ),
    !introspection && h('p', { className: 'cp-note', role: 'note' }, INTROSPECTION_OFF_NOTE),
    examples.length === 0 && h('p', { className: 'cp-hint' }, 'This gateway has no example operations.'),
    h(
      'ul',
      { className: 'cp-examples' },
      examples.map((example) =>
        h(
          'li',
          { key: example.file },
          h(
            'button',
            {
              type: 'button',
              className: 'cp-example',
              'data-example': example.name,
              title: `Open ${example.file} in a tab`,
              onClick: () => open(example),
            },
            h('span', { className: 'cp-example-name' }, example.name),
            example.description && h('span', { className: 'cp-example-question' }, example.description),
          ),
        ),
      ),
    ),
  );
}

/** The first line of the text a new tab starts with. */
export const WELCOME_MARK = '# ClusterPoliSEE data hub';

export const WELCOME_QUERY = `${WELCOME_MARK}
# Write an operation here, or open one from the Examples panel.
# Run it with Ctrl-Enter; the Table panel shows its rows and
# downloads them as CSV. Headers such as Authorization go in
# the Headers tab below.

{
  __typename
}
`;

export const INTROSPECTION_OFF_NOTE =
  'Introspection is switched off on this gateway (GATEWAY_INTROSPECTION=off): the documentation, ' +
  'the explorer and autocompletion need it. Operations still run.';
