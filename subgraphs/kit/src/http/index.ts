export { serveApollo, sendJson, type Route, type ServeOptions, type RunningHttpService } from './serve';
export { healthRoutes, type ReadinessCheck } from './health';
