// The example operations offered in the IDE: `schema/operations/*.graphql`, one named operation a
// file, opened by comment lines that say what question it answers.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import type { ExampleOperation } from './page-config';

/** `<repo>/schema/operations`. */
export const OPERATIONS_DIR = path.resolve(__dirname, '../../../schema/operations');

/**
 * Reads an example file, or explains what is wrong with it: it must parse, hold exactly one named
 * operation (fragments may come along) and start with `#` comment lines saying what it answers.
 */
export function exampleFromFile(file: string, text: string): ExampleOperation {
  let operationNames: (string | undefined)[];
  try {
    operationNames = parse(text)
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((definition) => definition.name?.value);
  } catch (error) {
    throw new Error(`${file} is not a valid GraphQL document: ${(error as Error).message}`, { cause: error });
  }
  const [name] = operationNames;
  if (operationNames.length !== 1 || !name) {
    throw new Error(`${file} must hold exactly one named operation (it has ${operationNames.length}).`);
  }
  const description = leadingComment(text);
  if (!description) {
    throw new Error(`${file} must start with a # comment line saying what question ${name} answers.`);
  }
  return { file, name, description, query: text.endsWith('\n') ? text : `${text}\n` };
}

/**
 * Every example of `dir`, by file name. A file that is not a valid example is left out with a
 * warning, so that one bad file does not take the IDE down (the tests refuse it).
 */
export function loadExampleOperations(
  dir: string = OPERATIONS_DIR,
  warn: (message: string) => void = console.warn,
): ExampleOperation[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((file) => file.endsWith('.graphql'))
      .sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const examples: ExampleOperation[] = [];
  for (const file of files) {
    try {
      examples.push(exampleFromFile(file, readFileSync(path.join(dir, file), 'utf8')));
    } catch (error) {
      warn(`[gateway] IDE example left out: ${(error as Error).message}`);
    }
  }
  return examples;
}

function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) break;
    lines.push(trimmed.replace(/^#+\s*/, ''));
  }
  return lines.join(' ').trim();
}
