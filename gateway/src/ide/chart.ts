// Turns a table of a GraphQL result (see table.ts) into a chart: which columns can be drawn, what
// an analyst is offered first, and the ECharts option that draws them. Pure functions, shared by
// the IDE's Chart panel (bundled for the browser) and the tests; only ECharts' types come in here.
//
// The choices:
// - a column is numeric when every non-empty cell is a plain number: counts, and money amounts,
//   which results carry as decimal strings (`5186352.00`) so that no client rounds them; the table
//   keeps those strings, the chart reads them as numbers. An empty cell (null, or a figure withheld)
//   is a gap, not a zero;
// - first offered: the first non-numeric column as labels, and as values every money amount of the
//   row itself (a numeric column named `amount` or `….amount`, not inside a list of the row), else
//   the first money amount, else the first numeric column;
// - a pie draws one column, the first chosen;
// - long labels are cut to LABEL_MAX_CHARS with an ellipsis and turned when crowded; the tooltip
//   shows them whole. Text uses fonts installed on the machine that have Cyrillic (the IDE loads
//   nothing from outside, and exported SVG names the same fonts).
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { isPlainNumber, type Table } from './table';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

export const CHART_KINDS = ['bar', 'stacked', 'line', 'pie'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
export const CHART_KIND_NAMES: Record<ChartKind, string> = {
  bar: 'Bar',
  stacked: 'Stacked bar',
  line: 'Line',
  pie: 'Pie',
};

/** What an analyst chose for one list of a result. */
export interface ChartSettings {
  /** The column whose cells name the bars, points or slices. */
  label: string;
  /** The numeric columns drawn, in the table's order. */
  values: string[];
  kind: ChartKind;
}

/** The rows drawn, as ECharts takes them. */
export interface ChartData {
  labels: string[];
  series: { name: string; values: (number | null)[]; decimals: number }[];
  /** Rows of the table left out beyond the limit. */
  omitted: number;
}

/** How the chart looks where it is drawn: the IDE's colours on screen, LIGHT_LOOK in exports. */
export interface ChartLook {
  text: string;
  /** Axis lines and grid lines. */
  line: string;
  /** `transparent` on screen, a colour in exports. */
  background: string;
  animation: boolean;
}

export const LIGHT_LOOK: ChartLook = {
  text: '#333333',
  line: '#d9d9d9',
  background: '#ffffff',
  animation: false,
};

/**
 * Installed fonts with Cyrillic: Windows', macOS', then Debian's (its chromium brings DejaVu and
 * Liberation). Quoted with single quotes: exported SVG carries this in a double-quoted attribute.
 */
export const CHART_FONT =
  "'Segoe UI', 'Helvetica Neue', 'DejaVu Sans', 'Liberation Sans', 'Noto Sans', Arial, sans-serif";

/** Labels longer than this are cut, with an ellipsis; the tooltip shows them whole. */
export const LABEL_MAX_CHARS = 18;
/** More rows than this are not drawn (a chart of thousands of bars says nothing); the CSV has them. */
export const MAX_CHART_ROWS = 100;
/** Shown for a label cell that is empty. */
export const EMPTY_LABEL = '(empty)';

const MONEY_COLUMN = /(^|\.)amount$/;
const INDEXED_COLUMN = /(^|\.)\d+(\.|$)/;

/** The cell as a number; null for an empty cell, undefined for one that is not a number. */
export function cellNumber(cell: string): number | null | undefined {
  if (cell === '') return null;
  return isPlainNumber(cell) ? Number(cell) : undefined;
}

/** Columns whose every non-empty cell is a plain number, with at least one such cell. */
export function numericColumns(table: Table): string[] {
  return table.columns.filter((_column, index) => {
    let seen = false;
    for (const row of table.rows) {
      const value = cellNumber(row[index] ?? '');
      if (value === undefined) return false;
      if (value !== null) seen = true;
    }
    return seen;
  });
}

/**
 * The settings to draw `table` with: what the analyst chose, where it still fits this table (after
 * the query ran again or changed), else what is offered first. Null when nothing can be drawn.
 */
export function settleSettings(table: Table, chosen: Partial<ChartSettings> = {}): ChartSettings | null {
  const numeric = numericColumns(table);
  const label =
    chosen.label !== undefined && table.columns.includes(chosen.label)
      ? chosen.label
      : (table.columns.find((column) => !numeric.includes(column)) ?? table.columns[0]);
  if (label === undefined) return null;
  const candidates = numeric.filter((column) => column !== label);
  if (candidates.length === 0) return null;
  const kept = candidates.filter((column) => chosen.values?.includes(column));
  const money = candidates.filter((column) => MONEY_COLUMN.test(column));
  // Amounts in lists of the row (`claims.3.amount.amount`) would make one bar per item: the first only.
  const rowMoney = money.filter((column) => !INDEXED_COLUMN.test(column));
  const offered =
    rowMoney.length > 0 ? rowMoney : money.length > 0 ? money.slice(0, 1) : candidates.slice(0, 1);
  const values = kept.length > 0 ? kept : offered;
  const kind = chosen.kind && CHART_KINDS.includes(chosen.kind) ? chosen.kind : 'bar';
  return { label, values, kind };
}

/** The labels and series of `settings` from the first `maxRows` rows of `table`. */
export function chartData(table: Table, settings: ChartSettings, maxRows = MAX_CHART_ROWS): ChartData {
  const rows = table.rows.slice(0, maxRows);
  const at = (column: string) => {
    const index = table.columns.indexOf(column);
    if (index < 0) throw new Error(`the table has no column ${column}`);
    return index;
  };
  const labelAt = at(settings.label);
  const values = settings.kind === 'pie' ? settings.values.slice(0, 1) : settings.values;
  return {
    labels: rows.map((row) => row[labelAt] || EMPTY_LABEL),
    series: values.map((name) => {
      const index = at(name);
      const cells = rows.map((row) => row[index] ?? '');
      return {
        name,
        values: cells.map((cell) => cellNumber(cell) ?? null),
        decimals: Math.max(0, ...cells.map((cell) => /\.(\d+)$/.exec(cell)?.[1]?.length ?? 0)),
      };
    }),
    omitted: Math.max(0, table.rows.length - maxRows),
  };
}

/** `text` cut to `max` characters, the last one an ellipsis (by code points: Cyrillic is not cut in two). */
export function shortLabel(text: string, max = LABEL_MAX_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Degrees to turn category labels by: none when few and short, more when many. */
export function labelRotation(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((label) => [...shortLabel(label)].length));
  if (labels.length * Math.max(longest, 4) <= 60) return 0;
  return labels.length > 30 ? 90 : 40;
}

/** Axis figures: 5.2M, 300K, 0.8. */
export function compactNumber(value: number): string {
  return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** Tooltip figures, whole, with the decimals of the column: 5,186,352.00. */
export function fullNumber(value: unknown, decimals: number): string {
  if (typeof value !== 'number') return '–';
  return new Intl.NumberFormat('en', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}

/** The ECharts option drawing `data` as a chart of `kind`. */
export function chartOption(data: ChartData, kind: ChartKind, look: ChartLook): ChartOption {
  const common: ChartOption = {
    animation: look.animation,
    backgroundColor: look.background,
    textStyle: { fontFamily: CHART_FONT, color: look.text },
  };
  const legend: LegendComponentOption = {
    top: 0,
    textStyle: { color: look.text },
    formatter: (name: string) => shortLabel(name, 32),
    tooltip: { show: true },
  };
  if (kind === 'pie') {
    const [series] = data.series;
    return {
      ...common,
      tooltip: { trigger: 'item', confine: true },
      series: series
        ? [
            {
              type: 'pie',
              name: series.name,
              radius: '62%',
              center: ['50%', '54%'],
              data: data.labels.flatMap((name, index) => {
                const value = series.values[index];
                return value === null || value === undefined ? [] : [{ name, value }];
              }),
              label: {
                color: look.text,
                formatter: (item: { name: string; percent?: number }) =>
                  `${shortLabel(item.name)} ${item.percent ?? 0}%`,
              },
              tooltip: { valueFormatter: (value: unknown) => fullNumber(value, series.decimals) },
            },
          ]
        : [],
    };
  }
  const rotate = labelRotation(data.labels);
  const withLegend = data.series.length > 1;
  return {
    ...common,
    ...(withLegend ? { legend } : {}),
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: kind === 'line' ? 'line' : 'shadow' } },
    grid: { left: 8, right: 24, top: withLegend ? 40 : 16, bottom: 8 },
    xAxis: {
      type: 'category',
      data: data.labels,
      axisLine: { lineStyle: { color: look.line } },
      axisTick: { alignWithLabel: true },
      axisLabel: {
        color: look.text,
        rotate,
        interval: data.labels.length <= 50 ? 0 : 'auto',
        hideOverlap: true,
        formatter: (label: string) => shortLabel(label),
      },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: look.text, formatter: compactNumber },
      splitLine: { lineStyle: { color: look.line } },
    },
    series: data.series.map((series) => ({
      type: kind === 'line' ? 'line' : 'bar',
      name: series.name,
      data: series.values,
      ...(kind === 'stacked' ? { stack: 'total' } : {}),
      ...(kind === 'line' ? { connectNulls: false, showSymbol: true } : {}),
      emphasis: { focus: 'series' },
      tooltip: { valueFormatter: (value: unknown) => fullNumber(value, series.decimals) },
    })) as (BarSeriesOption | LineSeriesOption)[],
  };
}
