import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(__dirname, '../..');
export const DATA_DIR = join(ROOT, '.data');

export interface LocalService {
  name: string;
  port: number;
  entry: string;
}

/**
 * The subgraphs and their ports come from schema/supergraph.yaml, the one place that says
 * which subgraphs exist and where the gateway finds them.
 */
export function localSubgraphs(): LocalService[] {
  const config = parse(readFileSync(join(ROOT, 'schema/supergraph.yaml'), 'utf8')) as {
    subgraphs: Record<string, { routing_url: string }>;
  };
  return Object.entries(config.subgraphs).map(([name, { routing_url }]) => ({
    name,
    port: Number(new URL(routing_url).port),
    entry: join(ROOT, 'subgraphs', name, 'src/index.ts'),
  }));
}

export const gatewayService: LocalService = {
  name: 'gateway',
  port: Number(process.env.GATEWAY_PORT ?? 4000),
  entry: join(ROOT, 'gateway/src/main.ts'),
};
