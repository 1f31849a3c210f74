// The image's HEALTHCHECK, `node infra/dist/healthcheck.js`: exits 0 when the service answers
// `GET /health` with 200 within 3 s, 1 otherwise. Node itself, as slim images have no curl.
import { healthPorts } from './services';

const TIMEOUT_MS = 3_000;

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const ports = healthPorts(process.env);
  if (ports.length === 0) {
    console.error('[healthcheck] no port to ask: set PORT for a subgraph');
    process.exitCode = 1;
    return;
  }
  const answers = await Promise.all(ports.map(healthy));
  if (!answers.includes(true)) {
    console.error(`[healthcheck] no 200 from /health on port ${ports.join(' or ')}`);
    process.exitCode = 1;
  }
}

void main();
