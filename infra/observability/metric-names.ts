// The metric names the dashboard and the alert rules read, and those a /metrics scrape offers,
// so that a test can hold the two together: a renamed metric must not leave a panel empty or an
// alert silent without a failing test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const DASHBOARD_FILE = join(__dirname, 'grafana-dashboard.json');
export const RULES_FILE = join(__dirname, 'alert-rules.yaml');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RulesFile {
  groups: { name: string; rules: AlertRule[] }[];
}

export function readRules(): RulesFile {
  return parse(readFileSync(RULES_FILE, 'utf8')) as RulesFile;
}

/** Every PromQL expression of the dashboard's panels. */
export function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as {
    panels: { targets?: { expr?: string }[] }[];
  };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
}

/**
 * The metric names in a PromQL expression: every selector is written with braces (`name{...}`),
 * which tells a metric from a function (`rate(`) or a grouping (`by (service)`).
 */
export function metricNamesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\{/g)].map((match) => match[1]!);
}

/** The series names a Prometheus text exposition offers, histograms with their _bucket, _sum, _count. */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}
