export { serveApollo, sendJson, type Route, type ServeOptions, type RunningHttpService } from './serve';
export { healthRoutes, DEFAULT_CHECK_TIMEOUT_MS, type HealthOptions, type ReadinessCheck } from './health';
