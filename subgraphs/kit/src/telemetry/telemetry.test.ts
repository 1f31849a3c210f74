import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError } from '../env/config-error';
import { readEnv } from '../env';
import { readTelemetryConfig } from './config';
import { createLogger } from './logger';
import { startTelemetry } from './service';

function configOf(env: Record<string, string>) {
  const reader = readEnv(env);
  const config = readTelemetryConfig(reader);
  reader.check('Invalid test configuration');
  return config;
}

describe('the telemetry settings', () => {
  it('default to info logs, /metrics on the service port, no traces sent, command metrics on', () => {
    expect(configOf({})).toEqual({ logLevel: 'info', dbCommands: true });
  });

  it('read LOG_LEVEL, METRICS_PORT, OTEL_EXPORTER_OTLP_ENDPOINT and MONGODB_COMMAND_METRICS', () => {
    expect(
      configOf({
        LOG_LEVEL: ' Debug ',
        METRICS_PORT: '9464',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        MONGODB_COMMAND_METRICS: 'off',
      }),
    ).toEqual({
      logLevel: 'debug',
      metricsPort: 9464,
      otlpEndpoint: 'http://collector:4318',
      dbCommands: false,
    });
  });

  it('refuses bad values all at once, each saying what to set', () => {
    let thrown: unknown;
    try {
      configOf({ LOG_LEVEL: 'verbose', METRICS_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^LOG_LEVEL="verbose" is not valid: set it to one of fatal, error, warn, info/,
    );
    expect(problems[1]).toMatch(/^METRICS_PORT="0" is not valid: set it to a port number from 1 to 65535/);
    expect(problems[2]).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not an http\(s\) URL/);
  });
});

function lines(): { stream: Writable; written: string[] } {
  const written: string[] = [];
  return {
    written,
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    }),
  };
}

describe('the logger', () => {
  it('writes an error with its stack as one JSON line', () => {
    const out = lines();
    const log = createLogger({ service: 'probe', destination: out.stream });
    log.error({ err: new Error('the cause') }, 'internal error');
    expect(out.written).toHaveLength(1);
    const text = out.written[0]!;
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    const line = JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(line).toMatchObject({ level: 'error', service: 'probe', msg: 'internal error' });
    expect(line.err.message).toBe('the cause');
    expect(line.err.stack).toMatch(/^Error: the cause\n\s+at /);
    expect(typeof line.time).toBe('string');
  });

  it('writes nothing below LOG_LEVEL', () => {
    const out = lines();
    const log = createLogger({ service: 'probe', level: 'warn', destination: out.stream });
    log.info('hidden');
    log.warn('shown');
    expect(out.written.map((text) => JSON.parse(text).msg)).toEqual(['shown']);
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on that port only, and not among the service routes', async () => {
    const telemetry = await startTelemetry('probe', {
      metricsPort: 0,
      metricsHost: '127.0.0.1',
      logDestination: lines().stream,
    });
    try {
      expect(telemetry.routes).toEqual({});
      const base = `http://127.0.0.1:${telemetry.metricsPort}`;
      const scraped = await fetch(`${base}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/^process_cpu_seconds_total\{service="probe"\} /m);
      expect((await fetch(`${base}/graphql`)).status).toBe(404);
    } finally {
      await telemetry.close();
    }
  });

  it('unset, /metrics is a route of the service port', async () => {
    const telemetry = await startTelemetry('probe', { logDestination: lines().stream });
    try {
      expect(Object.keys(telemetry.routes)).toEqual(['/metrics']);
      expect(telemetry.metricsPort).toBeUndefined();
    } finally {
      await telemetry.close();
    }
  });
});

describe('OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('sends the spans to <endpoint>/v1/traces over HTTP', async () => {
    const received: { path: string; type: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          type: String(req.headers['content-type']),
          body: Buffer.concat(chunks).toString('latin1'),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
      // In a process of its own: the exporter loads node:http with a dynamic import, which jest's
      // module sandbox refuses; the services run as plain Node processes, and so does this.
      const script =
        `const { startTelemetry } = require(${JSON.stringify(path.join(__dirname, 'index.ts'))});` +
        `startTelemetry('probe', { otlpEndpoint: ${JSON.stringify(endpoint)}, logLevel: 'warn' }).then(async (t) => {` +
        `t.tracing.tracer.startSpan('probe span').end(); await t.close(); });`;
      const outcome = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(path.join(__dirname, '../../../../node_modules/.bin/tsx'), ['-e', script], {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.on('close', (code) => resolve({ code, output }));
      });
      expect(outcome).toEqual({ code: 0, output: '' });
      expect(received.map((request) => request.path)).toEqual(['/v1/traces']);
      expect(received[0]!.body).toContain('probe span');
      expect(received[0]!.body).toContain('probe');
    } finally {
      collector.close();
    }
  });

  it('unset, records nothing, yet gives every span a trace id for the logs', async () => {
    const telemetry = await startTelemetry('probe', { logDestination: lines().stream });
    try {
      expect(telemetry.tracing.recording).toBe(false);
      const span = telemetry.tracing.tracer.startSpan('unrecorded');
      expect(span.isRecording()).toBe(false);
      expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanContext().traceId).not.toBe('0'.repeat(32));
    } finally {
      await telemetry.close();
    }
  });
});
