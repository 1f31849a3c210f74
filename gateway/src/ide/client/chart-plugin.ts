/// <reference lib="dom" />
// The "Chart" panel: a list of the active tab's last result as a bar, stacked bar, line or pie
// chart, drawn by ECharts (bundled: only the charts, components and renderers used here), redrawn
// whenever the result changes, and saved as PNG or SVG. Which columns to draw, and the option that
// draws them, are in ../chart.ts; the choices are kept per tab for as long as the page is open.
import type { GraphiQLPlugin } from '@graphiql/react';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsType } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { createElement as h, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import {
  CHART_KIND_NAMES,
  CHART_KINDS,
  chartData,
  chartOption,
  LIGHT_LOOK,
  MAX_CHART_ROWS,
  numericColumns,
  settleSettings,
  type ChartKind,
  type ChartLook,
  type ChartOption,
  type ChartSettings,
} from '../chart';
import { resultFileName, toTable } from '../table';
import { ChartIcon } from './icons';
import { describeList, errorsNote, saveFile, useActiveResult, useWidePane } from './result-panel';

use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  SVGRenderer,
  CanvasRenderer,
]);

export const CHART_TITLE = 'Chart';
/** Exported PNGs have this many pixels per pixel on screen. */
const PNG_PIXEL_RATIO = 2;

export function chartPlugin(): GraphiQLPlugin {
  return { title: CHART_TITLE, icon: ChartIcon, content: ChartPanel };
}

/** What was chosen in each tab: the list, and the settings for it. Lives as long as the page. */
type Choices = Partial<ChartSettings> & { list?: string };
const choicesByTab = new Map<string, Choices>();

function useChoices(tabId: string): [Choices, (change: Choices) => void] {
  const [, rerender] = useState(0);
  const choices = choicesByTab.get(tabId) ?? {};
  const change = (update: Choices) => {
    choicesByTab.set(tabId, { ...(choicesByTab.get(tabId) ?? {}), ...update });
    rerender((count) => count + 1);
  };
  return [choices, change];
}

function ChartPanel() {
  const { tabId, operationName, result, lists } = useActiveResult();
  const [choices, choose] = useChoices(tabId);
  const list = lists.find((candidate) => candidate.label === choices.list) ?? lists[0];
  const table = useMemo(() => (list ? toTable(list.items) : null), [list]);
  const numeric = useMemo(() => (table ? numericColumns(table) : []), [table]);
  const settings = table ? settleSettings(table, choices) : null;
  const settingsKey = JSON.stringify(settings);
  const data = useMemo(
    () => (table && settings ? chartData(table, settings) : null),
    // settings is rebuilt on each render: its content is what counts
    [table, settingsKey],
  );
  const root = useWidePane<HTMLElement>();
  const look = usePageLook(root);
  const option = useMemo(
    () => (data && settings ? chartOption(data, settings.kind, look) : null),
    [data, look],
  );
  const view = useRef<HTMLDivElement>(null);

  const save = async (format: 'png' | 'svg') => {
    if (!data || !settings || !list || !view.current) return;
    const size = { width: view.current.clientWidth, height: view.current.clientHeight };
    const exported = chartOption(data, settings.kind, LIGHT_LOOK);
    const name = resultFileName(operationName, list.label, format);
    if (format === 'svg') saveFile(name, renderSvg(exported, size), 'image/svg+xml;charset=utf-8');
    else saveFile(name, await renderPng(exported, size), 'image/png');
  };

  const select = (
    label: string,
    value: string,
    options: { value: string; text: string }[],
    onChange: (value: string) => void,
  ) =>
    h(
      'label',
      null,
      `${label} `,
      h(
        'select',
        { value, onChange: (event: { target: { value: string } }) => onChange(event.target.value) },
        options.map((option) => h('option', { key: option.value, value: option.value }, option.text)),
      ),
    );

  return h(
    'section',
    { className: 'cp-panel cp-chart-panel', 'aria-label': CHART_TITLE, ref: root },
    h('div', { className: 'graphiql-doc-explorer-title' }, CHART_TITLE),
    !result &&
      h(
        'p',
        { className: 'cp-hint' },
        'Run an operation: pick a list of its result, the column that names each bar and the ' +
          'figures to draw; the chart follows each new run, and saves as PNG or SVG.',
      ),
    result && !list && h('p', { className: 'cp-hint' }, 'The result has no data to draw.'),
    result &&
      result.errorCount > 0 &&
      h('p', { className: 'cp-note', role: 'note' }, errorsNote(result.errorCount, 'chart')),
    list &&
      table &&
      h(
        'div',
        { className: 'cp-table-toolbar cp-chart-toolbar' },
        lists.length > 1
          ? select(
              'List',
              list.label,
              lists.map((candidate) => ({ value: candidate.label, text: describeList(candidate) })),
              (value) => choose({ list: value, label: undefined, values: undefined }),
            )
          : h('span', { className: 'cp-table-list' }, describeList(list)),
        settings &&
          select(
            'Kind',
            settings.kind,
            CHART_KINDS.map((kind) => ({ value: kind, text: CHART_KIND_NAMES[kind] })),
            (value) => choose({ kind: value as ChartKind }),
          ),
        settings &&
          select(
            'Labels',
            settings.label,
            table.columns.map((column) => ({ value: column, text: column })),
            (value) => choose({ label: value }),
          ),
      ),
    table &&
      !settings &&
      h('p', { className: 'cp-hint' }, 'This list has no column of numbers to draw: pick another list.'),
    settings &&
      h(
        'fieldset',
        { className: 'cp-chart-values' },
        h('legend', null, settings.kind === 'pie' ? 'Figures (a pie draws the first)' : 'Figures'),
        numeric
          .filter((column) => column !== settings.label)
          .map((column) =>
            h(
              'label',
              { key: column },
              h('input', {
                type: 'checkbox',
                checked: settings.values.includes(column),
                onChange: (event: { target: { checked: boolean } }) => {
                  const values = event.target.checked
                    ? numeric.filter((name) => name === column || settings.values.includes(name))
                    : settings.values.filter((name) => name !== column);
                  if (values.length > 0) choose({ values });
                },
              }),
              ` ${column}`,
            ),
          ),
      ),
    data &&
      data.omitted > 0 &&
      h(
        'p',
        { className: 'cp-hint' },
        `Drawing the first ${MAX_CHART_ROWS} of ${MAX_CHART_ROWS + data.omitted} rows; the table and its CSV have them all.`,
      ),
    option &&
      h(
        'div',
        { className: 'cp-chart-actions' },
        h(
          'button',
          { type: 'button', className: 'graphiql-button cp-download', onClick: () => void save('png') },
          'Save PNG',
        ),
        h(
          'button',
          { type: 'button', className: 'graphiql-button cp-download', onClick: () => void save('svg') },
          'Save SVG',
        ),
      ),
    option && h(ChartView, { option, holder: view }),
  );
}

function ChartView({ option, holder }: { option: ChartOption; holder: RefObject<HTMLDivElement | null> }) {
  const chart = useRef<EChartsType | null>(null);
  useEffect(() => {
    if (!holder.current) return;
    // SVG on screen: sharp at any zoom, and its text is the page's text.
    const instance = init(holder.current, null, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(holder.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [holder]);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return h('div', { className: 'cp-chart', ref: holder, role: 'img', 'aria-label': 'Chart of the result' });
}

interface Size {
  width: number;
  height: number;
}

/** The chart as an SVG document, drawn apart from the one on screen (in the export's colours). */
function renderSvg(option: ChartOption, size: Size): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG, drawn on a canvas off the page at PNG_PIXEL_RATIO. */
function renderPng(option: ChartOption, size: Size): Promise<Blob> {
  const chart = init(document.createElement('div'), null, { renderer: 'canvas', ...size });
  try {
    chart.setOption(option);
    const canvas = chart.renderToCanvas({
      pixelRatio: PNG_PIXEL_RATIO,
      backgroundColor: option.backgroundColor as string,
    });
    return new Promise((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('the chart could not be drawn as PNG'))),
        'image/png',
      ),
    );
  } finally {
    chart.dispose();
  }
}

/** The IDE's colours (light or dark theme), read again when GraphiQL switches theme. */
function usePageLook(root: RefObject<HTMLElement | null>): ChartLook {
  const [theme, setTheme] = useState(() => document.body.className);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.body.className));
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  const [look, setLook] = useState<ChartLook>({ ...LIGHT_LOOK, background: 'transparent', animation: true });
  useEffect(() => {
    if (!root.current) return;
    const text = getComputedStyle(root.current).color;
    const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(text);
    setLook({
      text,
      line: rgb ? `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, 0.2)` : LIGHT_LOOK.line,
      background: 'transparent',
      animation: true,
    });
  }, [root, theme]);
  return look;
}
