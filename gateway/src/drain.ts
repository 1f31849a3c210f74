// Graceful close for a node:http server with keep-alive clients.
import type { Server, ServerResponse } from 'node:http';

/**
 * `server.close()` waits for every connection to end, but a keep-alive connection whose request
 * was still running at close time stays open after its response until the client hangs up or the
 * server's keep-alive timeout (65 s in the kit) passes. This tracks running responses so that, once
 * draining begins, each of them (and any request still arriving) answers with `Connection: close`.
 * Returns the function that begins draining; call it just before closing the server.
 * (Belongs in the kit's `serveApollo().close()`; harmless once it is there.)
 */
export function drainOnClose(server: Server): () => void {
  const running = new Set<ServerResponse>();
  let draining = false;
  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) return closeAfter(res);
    running.add(res);
    res.once('close', () => running.delete(res));
  });
  return () => {
    draining = true;
    for (const res of running) closeAfter(res);
    running.clear();
  };
}
