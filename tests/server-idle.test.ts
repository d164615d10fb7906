// The forwarder closes a kept-alive connection to the downstream once it has been idle for
// IDLE_CONNECTION_MS, before receivers' own idle timeouts end it with an error (Fluent Bit's http
// input: 10 s, logged as "[error] ... timed out after 10 seconds (IO timeout)"); a busy connection is reused.
import { describe, it, expect } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpForwarder, IDLE_CONNECTION_MS } from '../src/server/forwarder.js';

describe('forwarding connections', () => {
  it('are reused while busy and closed by kql-edge after being idle', async () => {
    const connections: { opened: number; closedAt?: number }[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      const c = { opened: Date.now() } as { opened: number; closedAt?: number };
      connections.push(c);
      socket.on('close', () => (c.closedAt = Date.now()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const forwarder = new HttpForwarder(url, 5_000);
    try {
      const batch = { framing: 'ndjson' as const, received: 1, forwarded: 1, tagged: 0, bytes: 0 };
      for (let i = 0; i < 3; i++) expect(await forwarder.send(batch, Buffer.from('{"a":1}\n'))).toEqual({ ok: true });
      expect(connections.length).toBe(1);
      const lastSent = Date.now();
      await new Promise((resolve) => setTimeout(resolve, IDLE_CONNECTION_MS + 1_500));
      expect(connections[0].closedAt).toBeDefined();
      expect(connections[0].closedAt! - lastSent).toBeLessThan(IDLE_CONNECTION_MS + 1_000);
      // A new batch opens a new connection.
      expect(await forwarder.send(batch, Buffer.from('{"a":2}\n'))).toEqual({ ok: true });
      expect(connections.length).toBe(2);
    } finally {
      forwarder.close();
      server.close();
    }
  }, 20_000);
});
