/// <reference lib="dom" />
// The "Table" panel: the active tab's last result as a table, one row per item of a list of the
// result (the first list by default, another one can be picked), and a "Download CSV" button.
// Flattening and CSV are in ../table.ts.
import type { GraphiQLPlugin } from '@graphiql/react';
import { createElement as h, useMemo, useState } from 'react';
import { csvFileName, toCsv, toTable } from '../table';
import { TableIcon } from './icons';
import { describeList as describe, errorsNote, saveFile, useActiveResult, useWidePane } from './result-panel';

export const TABLE_TITLE = 'Table';

/** More rows than this are in the CSV but not drawn, to keep the page responsive. */
const MAX_ROWS_SHOWN = 1000;

export function tablePlugin(): GraphiQLPlugin {
  return { title: TABLE_TITLE, icon: TableIcon, content: TablePanel };
}

function TablePanel() {
  const { operationName, result, lists } = useActiveResult();
  const [picked, setPicked] = useState('');
  const list = lists.find((candidate) => candidate.label === picked) ?? lists[0];
  const table = useMemo(() => (list ? toTable(list.items) : null), [list]);
  const root = useWidePane<HTMLElement>();

  const download = () => {
    if (!table || !list) return;
    saveFile(csvFileName(operationName, list.label), toCsv(table), 'text/csv;charset=utf-8');
  };

  return h(
    'section',
    { className: 'cp-panel cp-table-panel', 'aria-label': TABLE_TITLE, ref: root },
    h('div', { className: 'graphiql-doc-explorer-title' }, TABLE_TITLE),
    !result &&
      h(
        'p',
        { className: 'cp-hint' },
        'Run an operation: the rows of its result show here, with nested fields as dotted columns, ' +
          'ready to download as CSV.',
      ),
    result && !list && h('p', { className: 'cp-hint' }, 'The result has no data to show as a table.'),
    result &&
      result.errorCount > 0 &&
      h('p', { className: 'cp-note', role: 'note' }, errorsNote(result.errorCount, 'table')),
    list &&
      table &&
      h(
        'div',
        { className: 'cp-table-toolbar' },
        lists.length > 1
          ? h(
              'label',
              null,
              'List ',
              h(
                'select',
                {
                  value: list.label,
                  onChange: (event: { target: { value: string } }) => setPicked(event.target.value),
                },
                lists.map((candidate) =>
                  h('option', { key: candidate.label, value: candidate.label }, describe(candidate)),
                ),
              ),
            )
          : h('span', { className: 'cp-table-list' }, describe(list)),
        h(
          'button',
          { type: 'button', className: 'graphiql-button cp-download', onClick: download },
          'Download CSV',
        ),
      ),
    table &&
      table.rows.length > MAX_ROWS_SHOWN &&
      h(
        'p',
        { className: 'cp-hint' },
        `Showing the first ${MAX_ROWS_SHOWN} of ${table.rows.length} rows; the CSV has them all.`,
      ),
    table && table.columns.length > 0 && h(TableView, { columns: table.columns, rows: table.rows }),
  );
}

function TableView({ columns, rows }: { columns: string[]; rows: string[][] }) {
  return h(
    'div',
    { className: 'cp-table-scroll' },
    h(
      'table',
      { className: 'cp-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { className: 'cp-row-number', scope: 'col' }, '#'),
          columns.map((column) => h('th', { key: column, scope: 'col' }, column)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.slice(0, MAX_ROWS_SHOWN).map((row, index) =>
          h(
            'tr',
            { key: index },
            h('td', { className: 'cp-row-number' }, String(index + 1)),
            row.map((cell, column) =>
              h('td', { key: column, title: cell.length > 40 ? cell : undefined }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}
