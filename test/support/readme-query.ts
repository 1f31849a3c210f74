import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type DocumentNode } from 'graphql';

/** A fenced code block of the README: its language (the word after the opening fence) and text. */
export interface ReadmeBlock {
  lang: string;
  text: string;
  /** 1-based line of the opening fence, for messages that point into the README. */
  line: number;
}

/** A query the README shows, with the output it prints for it, if any. */
export interface ReadmeExample {
  /** The name of the block's only operation, e.g. `PartnerOverview`. */
  name: string;
  /** The block as people paste it. */
  query: string;
  line: number;
  /**
   * The first ```json block after the query and before the next ```graphql block (other blocks,
   * such as a curl command, may come between), parsed. Outputs are shown whole: JSON has no
   * ellipsis or comment, so a shortened output fails to parse and the README must be fixed.
   */
  output?: { value: unknown; line: number };
}

export const README_PATH = join(__dirname, '../../README.md');

/** Every fenced block of the README, in order. */
export function readmeBlocks(readme = readFileSync(README_PATH, 'utf8')): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let open: { lang: string; line: number; lines: string[] } | undefined;
  readme.split('\n').forEach((line, index) => {
    if (!open) {
      const fence = /^```(\S*)\s*$/.exec(line);
      if (fence) open = { lang: fence[1]!, line: index + 1, lines: [] };
    } else if (/^```\s*$/.test(line)) {
      blocks.push({ lang: open.lang, text: open.lines.join('\n') + '\n', line: open.line });
      open = undefined;
    } else {
      open.lines.push(line);
    }
  });
  if (open) throw new Error(`README.md line ${open.line}: the code block is never closed`);
  return blocks;
}

/** Every ```graphql block of the README, each with the ```json output that follows it. */
export function readmeExamples(readme?: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  for (const block of readmeBlocks(readme)) {
    if (block.lang === 'graphql') {
      examples.push({ name: operationName(block), query: block.text, line: block.line });
    } else if (block.lang === 'json') {
      const example = examples.at(-1);
      if (!example || example.output) continue;
      try {
        example.output = { value: JSON.parse(block.text), line: block.line };
      } catch (err) {
        throw new Error(
          `README.md line ${block.line}: the output of ${example.name} is not JSON (${(err as Error).message}); ` +
            'show it whole, as the hub prints it',
        );
      }
    }
  }
  return examples;
}

/**
 * The query the README shows, read from the README itself, so the example that people paste
 * is the one the end-to-end test runs.
 */
export function readmeQuery(name: string): string {
  const example = readmeExamples().find((e) => e.name === name);
  if (!example) throw new Error(`README.md has no \`\`\`graphql block with an operation named ${name}`);
  return example.query;
}

function operationName(block: ReadmeBlock): string {
  let document: DocumentNode;
  try {
    document = parse(block.text);
  } catch (err) {
    throw new Error(
      `README.md line ${block.line}: the \`\`\`graphql block does not parse: ${(err as Error).message}`,
    );
  }
  const names = document.definitions
    .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
    .map((definition) => definition.name?.value);
  const [name] = names;
  if (names.length !== 1 || !name) {
    throw new Error(
      `README.md line ${block.line}: a \`\`\`graphql block must hold exactly one named operation`,
    );
  }
  return name;
}
