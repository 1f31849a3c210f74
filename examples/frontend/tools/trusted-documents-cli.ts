// `npm run trusted-documents -- --app <name> --out <GATEWAY_TRUSTED_DOCUMENTS_DIR> [--manifest <file>] [--check]`
// Writes a front-end's operations as the gateway's trusted documents (see trusted-documents.ts).
// --manifest defaults to this example's src/__generated__/persisted-documents.json; relative paths
// are taken from where npm was run. --check changes nothing and exits 1 when the folder is not current.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { planTrustedDocuments, writeTrustedDocuments } from './trusted-documents';

function main(): number {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      out: { type: 'string' },
      manifest: {
        type: 'string',
        default: path.join(__dirname, '../src/__generated__/persisted-documents.json'),
      },
      check: { type: 'boolean', default: false },
    },
  });
  if (!values.app || !values.out) {
    console.error(
      'Usage: npm run trusted-documents -- --app <name> --out <folder the gateway reads> [--manifest <persisted-documents.json>] [--check]',
    );
    return 2;
  }
  // `npm run -w` starts scripts in the workspace: paths given on the command line mean where npm ran.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const options = {
    app: values.app,
    dir: path.resolve(cwd, values.out),
    manifest: path.resolve(cwd, values.manifest),
  };
  if (values.check) {
    const plan = planTrustedDocuments(options);
    if (plan.changed.length === 0 && plan.stale.length === 0) {
      console.log(`${options.dir} holds the ${plan.files.size} operations of ${values.app}.`);
      return 0;
    }
    console.error(
      `${options.dir} is not current for ${values.app} (${plan.changed.length} to write, ${plan.stale.length} to remove): ` +
        'run the command without --check.',
    );
    return 1;
  }
  const plan = writeTrustedDocuments(options);
  console.log(
    `${values.app}: ${plan.files.size} operations in ${options.dir} (${plan.changed.length} written, ${plan.stale.length} removed).`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
