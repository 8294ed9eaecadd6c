import { connect, createServer, type Server, type Socket } from 'node:net';

export type TcpProxy = {
  /** 127.0.0.1:<port> of the proxy. */
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via: (url: string) => string;
  /** The outage: cuts every open connection and refuses new ones until `restore`. */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
};

/**
 * A TCP proxy in the test process in front of a shared server (PostgreSQL, RabbitMQ): the test
 * simulates an outage of that server for the app under test only, never stopping the server.
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(targetPort), hostname === 'localhost' ? '127.0.0.1' : hostname);
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    via: (url) => {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    cut: () => {
      down = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore: () => {
      down = false;
    },
    close: async () => {
      down = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
