/**
 * The ceiling for `npm run bench`: a plain Node HTTP server answering every request with a fixed
 * JSON body. Nothing on this machine can serve HTTP much faster, so gateways are read against it.
 *
 * Env: CEILING_PORT (required).
 */
import { createServer } from 'node:http';

const port = Number(process.env.CEILING_PORT);
if (!port) throw new Error('set CEILING_PORT');

const body = JSON.stringify({ data: { organisations: { nodes: [{ name: 'fixed', acronym: 'FIX' }] } } });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`ceiling on http://127.0.0.1:${port}/`));
process.once('SIGTERM', () => {
  server.close();
  process.exit(0);
});
