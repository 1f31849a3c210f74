import net from 'node:net';

/**
 * A TCP proxy in front of a real service that can play a hung one: `hang()` cuts the connections
 * under way and from then on accepts connections but never forwards or answers a byte (what a
 * frozen process or a dead database behind a live server looks like to its callers: every call
 * waits for its timeout); `restore()` forwards again. Unlike stopping the service, which callers
 * see at once as ECONNREFUSED, this costs each call its whole timeout.
 */
export interface FaultProxy {
  /** The service's URL with the proxy's port in place of its own. */
  url: string;
  hang(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let hanging = false;
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const cutAll = () => {
    for (const socket of open) socket.destroy();
  };
  const server = net.createServer((client) => {
    track(client);
    if (hanging) return;
    const service = net.connect(Number(upstream.port), upstream.hostname);
    track(service);
    client.pipe(service).pipe(client);
    client.on('close', () => service.destroy());
    service.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    hang() {
      hanging = true;
      cutAll();
    },
    restore() {
      hanging = false;
      cutAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
