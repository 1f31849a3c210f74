// The scaffold behind `npm run subgraph -- create <name> --out <dir>`: writes a standalone partner
// repository from ../template, depending on the packed kit, which it copies into the new
// repository's vendor/ so that the repository installs anywhere (a container build included).
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packKit } from './pack';

export interface PartnerSubgraphOptions {
  /** The subgraph's name in the supergraph: lower case letters, digits and inner hyphens. */
  name: string;
  /** The folder to write; it must not exist or be empty. */
  out: string;
  /** A kit tarball made by `npm run tarball -w @clusterpolisee/kit`; default: packed now. */
  kitTarball?: string;
}

export const TEMPLATE_DIR = path.resolve(__dirname, '..', 'template');
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const NAME_MAX = 40;
/** What a developer's or a test's run of the template leaves behind; never part of a new repository. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.data', '.cache', 'package-lock.json', 'vendor']);
const NAME_TOKEN = /__SUBGRAPH_NAME__/g;
const KIT_TOKEN = '__KIT_DEPENDENCY__';

export async function createPartnerSubgraph(options: PartnerSubgraphOptions): Promise<void> {
  const { name } = options;
  if (!NAME.test(name) || name.length > NAME_MAX) {
    throw new Error(
      `"${name}" cannot name a subgraph: use lower case letters, digits and inner hyphens, ` +
        `starting with a letter, at most ${NAME_MAX} characters (e.g. "certifications").`,
    );
  }
  const out = path.resolve(options.out);
  if ((await readdir(out).catch(() => [])).length > 0) {
    throw new Error(`${out} is not empty: choose a new folder for the ${name} subgraph.`);
  }
  if (options.kitTarball && !(await stat(options.kitTarball).catch(() => undefined))?.isFile()) {
    throw new Error(`the kit tarball ${options.kitTarball} does not exist.`);
  }
  try {
    const vendor = path.join(out, 'vendor');
    await mkdir(vendor, { recursive: true });
    let tarball: string;
    if (options.kitTarball) {
      tarball = path.join(vendor, path.basename(options.kitTarball));
      await copyFile(options.kitTarball, tarball);
    } else {
      tarball = await packKit(vendor);
    }
    const kitDependency = `file:vendor/${path.basename(tarball)}`;
    await copyTemplate(TEMPLATE_DIR, out, (text) =>
      text.replace(NAME_TOKEN, name).replaceAll(KIT_TOKEN, kitDependency),
    );
  } catch (error) {
    // The folder was empty: a half-written repository would only make the next attempt refuse it.
    for (const entry of await readdir(out).catch(() => [])) {
      await rm(path.join(out, entry), { recursive: true, force: true });
    }
    throw error;
  }
}

async function copyTemplate(from: string, to: string, fill: (text: string) => string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (NOT_COPIED.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTemplate(source, target, fill);
    else if (entry.isFile()) await writeFile(target, fill(await readFile(source, 'utf8')));
  }
}
