// The doctor's requests when the server closes the connection: a kept-alive
// connection to a Worker that has since stopped is asked again on a new one,
// and a server that keeps closing is reported as "connection reset", whatever
// name undici gives the close (ECONNRESET or UND_ERR_SOCKET).
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { request, Unreachable } from "../../src/cli/doctor/http.ts";

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that reads each request and then `answer`s its socket; it counts the connections. */
async function serve(
  answer: (socket: Socket, connection: number) => void,
): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((socket) => {
    connections++;
    const n = connections;
    socket.once("data", () => answer(socket, n));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/xrpc/_health`, connections: () => connections };
}

const ok = (socket: Socket) =>
  socket.end("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}");

describe("the doctor's requests", () => {
  it("asks again on a new connection when the server closes one mid-request", async () => {
    const { url, connections } = await serve((socket, n) => (n === 1 ? socket.end() : ok(socket)));
    const answer = await request(url);
    expect(answer.status).toBe(200);
    expect(connections()).toBe(2);
  });

  it("reports a server that keeps closing as a connection reset, after one retry", async () => {
    const { url, connections } = await serve((socket) => socket.end());
    const failure = await request(url).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Unreachable);
    expect((failure as Error).message).toBe("connection reset");
    expect(connections()).toBe(2);
  });
});
