import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The query the README shows, read from the README itself, so the example that people paste
 * is the one the end-to-end test runs.
 */
export function readmeQuery(name: string): string {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const match = new RegExp('```graphql\\n(query ' + name + '\\b[\\s\\S]*?)```').exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no \`\`\`graphql block starting with "query ${name}"`);
  return match[1];
}
