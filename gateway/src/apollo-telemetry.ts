/**
 * `@apollo/gateway` reports its own usage to Apollo unless `APOLLO_TELEMETRY_DISABLED` is set: when
 * it is constructed it probes the cloud metadata services (Alibaba 100.100.100.200, AWS and Azure
 * 169.254.169.254, GCP metadata.google.internal) and then sends uptime, CPU and memory figures to
 * Apollo's servers every hour. A hub that public administrations run on closed networks must not
 * call out on its own, so it is off unless the operator sets `APOLLO_TELEMETRY_DISABLED=false`.
 *
 * Options: `env`, the environment the gateway reads the variable from (default `process.env`).
 */
export function keepApolloTelemetryOff(env: NodeJS.ProcessEnv = process.env): void {
  if (env.APOLLO_TELEMETRY_DISABLED === undefined || env.APOLLO_TELEMETRY_DISABLED.trim() === '') {
    env.APOLLO_TELEMETRY_DISABLED = 'true';
  }
}
