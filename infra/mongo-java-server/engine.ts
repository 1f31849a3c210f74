// The default embedded engine: mongo-java-server with its H2 backend, through our small Java
// program around it (src/main/java), which commits every write to the store's file before
// acknowledging it. Built on first use: Maven fetches the jars pom.xml pins and javac compiles
// our sources, into the shared build cache.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, filesUnder, findOnPath, runTool, type BuildRecipe } from '../database/build-cache';
import { INSTEAD, type Engine } from '../database/engine';

export const MONGO_JAVA_SERVER_VERSION = '1.47.0';

const MIN_JAVA = 17;
const MAIN_CLASS = 'hub.database.Main';

/**
 * The JVM's settings. The heap is capped: what it holds is the store's page cache (16 MB) and the
 * documents of the answers being built, and a read-heavy load over 5,000 documents keeps the whole
 * process at ~155 MB RSS with this cap (~70 MB idle). The serial collector, on two cores, used less
 * memory than the default G1 (232 MB RSS under the same load) and no more CPU per query. The JIT
 * stays as it is: limiting it to its first tier saved ~30 MB but doubled the CPU per query.
 */
const JVM_OPTIONS = ['-Xmx192m', '-XX:+UseSerialGC'];

const install =
  `Install a Java ${MIN_JAVA} or newer JDK and Maven (for example the Debian packages ` +
  `"openjdk-17-jdk-headless" and "maven")`;

// Asked once per process: each start would otherwise spawn a JVM just to read its version.
let javaVersionOnce: Promise<{ major: number; text: string } | undefined> | undefined;

function javaVersion(): Promise<{ major: number; text: string } | undefined> {
  javaVersionOnce ??= (async () => {
    const java = await findOnPath('java');
    if (!java) return undefined;
    // `java -version` prints to stderr, e.g. `openjdk version "17.0.15" 2025-04-15` or `"1.8.0_402"`.
    const { stderr } = await promisify(execFile)(java, ['-version']);
    const text = stderr.split('\n')[0]?.trim() ?? '';
    const quoted = /"(\d+)(?:\.(\d+))?/.exec(text);
    const first = Number(quoted?.[1] ?? 0);
    return { major: first === 1 ? Number(quoted?.[2] ?? 0) : first, text };
  })();
  return javaVersionOnce;
}

/** What running the built server needs. */
async function missingRuntime(): Promise<string | undefined> {
  const version = await javaVersion();
  if (!version) {
    return `The embedded database mongo-java-server needs Java ${MIN_JAVA} or newer, and "java" is not on PATH. ${install}, ${INSTEAD}.`;
  }
  if (version.major < MIN_JAVA) {
    return `The embedded database mongo-java-server needs Java ${MIN_JAVA} or newer, and "java" on PATH is ${version.text || 'of unknown version'}. ${install}, ${INSTEAD}.`;
  }
  return undefined;
}

/** What building it once needs besides. */
async function missingBuildTools(): Promise<string | undefined> {
  const missing = [];
  if (!(await findOnPath('javac'))) missing.push('"javac" (a JDK, not only a Java runtime)');
  if (!(await findOnPath('mvn'))) missing.push('"mvn" (Maven)');
  if (!missing.length) return undefined;
  const verb = missing.length > 1 ? 'are' : 'is';
  return `The embedded database mongo-java-server is built once with ${missing.join(' and ')}, which ${verb} not on PATH. ${install}, ${INSTEAD}.`;
}

const recipe: BuildRecipe = {
  engine: 'mongo-java-server',
  description: `mongo-java-server ${MONGO_JAVA_SERVER_VERSION} with Maven and javac, under half a minute`,
  sourceDir: __dirname,
  sourceFiles: async () => ['pom.xml', ...(await filesUnder(__dirname, 'src'))],
  // Classes compiled for Java 17 run on any later JVM, but a JDK change is rare and a rebuild cheap.
  keyExtras: async () => (await javaVersion())?.text ?? '',
  output: 'app',
  async build(target) {
    const problem = await missingBuildTools();
    if (problem) throw new Error(problem);
    const lib = path.join(target, 'lib');
    await runTool(
      'mvn',
      [
        ...['-B', '-q', '-Dstyle.color=never', '-f', path.join(__dirname, 'pom.xml')],
        ...['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${lib}`],
      ],
      __dirname,
      'mvn dependency:copy-dependencies',
    );
    const sources = (await filesUnder(__dirname, 'src')).filter((file) => file.endsWith('.java'));
    await runTool(
      'javac',
      [
        ...['--release', String(MIN_JAVA), '-encoding', 'UTF-8'],
        ...['-cp', path.join(lib, '*'), '-d', path.join(target, 'classes'), ...sources],
      ],
      __dirname,
      'javac',
    );
  },
};

export const mongoJavaServer: Engine = {
  name: 'mongo-java-server',
  missingTools: async () => (await missingRuntime()) ?? (await missingBuildTools()),
  async command({ dataDir, port, log, logLevel }) {
    const problem = await missingRuntime();
    if (problem) throw new Error(problem);
    const app = await ensureBuilt(recipe, log);
    const classPath = [path.join(app, 'classes'), path.join(app, 'lib', '*')].join(path.delimiter);
    return {
      file: 'java',
      args: [
        ...JVM_OPTIONS,
        ...['-cp', classPath, MAIN_CLASS],
        ...['--data-dir', dataDir, '--port', String(port), '--log-level', logLevel ?? 'off'],
      ],
    };
  },
};
