// Reads the root Dockerfile, so that the tests run what the image runs (its install, entry and
// health check commands, what it copies from the build stage) instead of a copy that could drift.
// Knows the instructions our Dockerfile uses; no variable expansion beyond ARGs before FROM.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DOCKERFILE = path.resolve(__dirname, '../../Dockerfile');

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY... */
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

/** Instructions of a Dockerfile's text, by stage; continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending && line.trimStart().startsWith('#')) return; // a comment inside a continued instruction
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1) : line;
    pending = pending
      ? { ...pending, text: `${pending.text} ${part.trim()}` }
      : { text: part.trim(), line: index + 1 };
    if (continued) return;
    const [keyword = '', ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = undefined;
  });
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      args.push(instruction);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** A JSON-form (exec form) command: `["node", "file.js"]`. */
function execForm(instruction: Instruction | undefined, what: string): string[] {
  const json = instruction?.args.replace(/^(--\S+\s+)*CMD\s+/, '');
  try {
    const parsed = JSON.parse(json ?? '') as unknown;
    if (Array.isArray(parsed) && parsed.every((part) => typeof part === 'string')) return parsed as string[];
  } catch {
    // reported below
  }
  throw new Error(
    `the Dockerfile's ${what} is not in exec form (a JSON array of strings): ${instruction?.args}`,
  );
}

export interface RuntimeStage {
  stage: Stage;
  /** The stage named `runtime`'s WORKDIR. */
  workdir: string;
  env: Record<string, string>;
  /**
   * What builds its file system, in order: each `COPY --from=<stage> <source> <target>`, and the
   * `npm ci ...` of a RUN as argv (the RUN's other commands, such as cleaning npm's cache, aside).
   */
  steps: ({ copy: { from: string; source: string; target: string } } | { install: string[] })[];
  entrypoint: string[];
  healthcheck: string[];
}

/** The runtime stage of the root Dockerfile (or of `text`), as the tests need it. */
export function readRuntimeStage(text: string = readFileSync(DOCKERFILE, 'utf8')): RuntimeStage {
  const { stages } = parseDockerfile(text);
  const stage = stages.find((candidate) => candidate.name === 'runtime');
  if (!stage) throw new Error('the Dockerfile has no stage named runtime');
  const all = (keyword: string) =>
    stage.instructions.filter((instruction) => instruction.keyword === keyword);
  const env: Record<string, string> = {};
  for (const instruction of all('ENV')) {
    for (const [, key, value] of instruction.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env[key!] = value!.replace(/^"|"$/g, '');
    }
  }
  const steps = stage.instructions.flatMap((instruction): RuntimeStage['steps'] => {
    if (instruction.keyword === 'COPY') {
      const parts = instruction.args.split(/\s+/);
      const from = parts.find((part) => part.startsWith('--from='))?.slice('--from='.length);
      const paths = parts.filter((part) => !part.startsWith('--'));
      if (!from || paths.length !== 2) {
        throw new Error(
          `line ${instruction.line}: the runtime stage copies from another stage only, one path each`,
        );
      }
      return [{ copy: { from, source: paths[0]!, target: paths[1]! } }];
    }
    if (instruction.keyword !== 'RUN') return [];
    const install = instruction.args
      .split('&&')
      .map((command) => command.trim())
      .find((command) => command.startsWith('npm ci'));
    return install ? [{ install: install.split(/\s+/) }] : [];
  });
  if (!steps.some((step) => 'install' in step)) throw new Error('the runtime stage runs no `npm ci`');
  return {
    stage,
    workdir: all('WORKDIR').at(-1)?.args ?? '/',
    env,
    steps,
    entrypoint: execForm(all('ENTRYPOINT').at(-1), 'ENTRYPOINT'),
    healthcheck: execForm(all('HEALTHCHECK').at(-1), 'HEALTHCHECK'),
  };
}

/** The folder the build stage stages the image's files in: the argument of its image.ts step. */
export function buildStageImageDir(text: string = readFileSync(DOCKERFILE, 'utf8')): string {
  for (const stage of parseDockerfile(text).stages) {
    for (const instruction of stage.instructions) {
      const found = /infra\/build\/image\.ts\s+(\S+)/.exec(instruction.args);
      if (instruction.keyword === 'RUN' && found) return found[1]!;
    }
  }
  throw new Error('no stage of the Dockerfile runs infra/build/image.ts');
}
