// The strict second engine: FerretDB on SQLite, through our small Go program around it (main.go),
// built with Go on first use. CI runs the integration and end-to-end suites on it as well, so that
// nothing the hub does relies on what only mongo-java-server accepts.
import { ensureBuilt, findOnPath, runTool, type BuildRecipe } from '../database/build-cache';
import { INSTEAD, type Engine } from '../database/engine';

export const FERRETDB_VERSION = '1.24.2';

const BINARY_NAME = process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb';

const recipe: BuildRecipe = {
  engine: 'ferretdb',
  description: `FerretDB ${FERRETDB_VERSION}, a few minutes`,
  sourceDir: __dirname,
  sourceFiles: async () => ['main.go', 'go.mod', 'go.sum'],
  output: BINARY_NAME,
  async build(target) {
    const go = await findOnPath('go');
    if (!go) throw new Error(missingGo());
    await runTool(go, ['build', '-trimpath', '-o', target, '.'], __dirname, 'go build');
  },
};

function missingGo(): string {
  return (
    `The embedded database FerretDB needs Go 1.24 or newer to build it once (FerretDB ${FERRETDB_VERSION}), ` +
    `and "go" is not on PATH. Install Go (for example the Debian package "golang"), ${INSTEAD}.`
  );
}

export const ferretdb: Engine = {
  name: 'ferretdb',
  missingTools: async () => ((await findOnPath('go')) ? undefined : missingGo()),
  async command({ dataDir, port, log, logLevel }) {
    return {
      file: await ensureBuilt(recipe, log),
      // 'error' by default: at 'warn' FerretDB 1.24 logs every client's close (it lacks the
      // endSessions command the driver sends) and every dropped connection, which drowns test output.
      args: ['--data-dir', dataDir, '--listen-addr', `127.0.0.1:${port}`, '--log-level', logLevel ?? 'error'],
    };
  },
};
