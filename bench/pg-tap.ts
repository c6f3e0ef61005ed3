/**
 * A TCP relay in front of Postgres that counts what crosses it, for the
 * benches: statements (each simple Query and each extended-protocol Execute)
 * and round trips (each time a client sends again after the server has
 * answered it: statements pipelined in one write count as one trip). It
 * reads only the frontend messages' type bytes and lengths, and the text of
 * Parse and Query messages so that a bench can say which statements ran.
 * Nothing is changed on the way through.
 */
import net from "node:net";

export interface TapCounts {
  statements: number;
  roundTrips: number;
  /** Statement texts (whitespace folded), with how many times each ran. */
  texts: Map<string, number>;
}

export interface PgTap {
  port: number;
  counts(): TapCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startPgTap(target: { host: string; port: number }): Promise<PgTap> {
  let counts: TapCounts = { statements: 0, roundTrips: 0, texts: new Map() };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let buffered = Buffer.alloc(0);
    let started = false;
    /** The server has said something since this client last sent: the next send is a new trip. */
    let answered = true;
    // Per connection, the statement each unnamed or named Parse announced, for the Execute that follows.
    const prepared = new Map<string, string>();
    let lastParsed = "";

    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      if (answered) {
        counts.roundTrips += 1;
        answered = false;
      }
      buffered = Buffer.concat([buffered, chunk]);
      // The startup packet has no type byte: a length, then the protocol version.
      if (!started) {
        if (buffered.length < 4) return;
        const len = buffered.readInt32BE(0);
        if (buffered.length < len) return;
        buffered = buffered.subarray(len);
        started = true;
      }
      while (buffered.length >= 5) {
        const type = String.fromCharCode(buffered[0]!);
        const len = buffered.readInt32BE(1);
        if (buffered.length < 1 + len) break;
        const body = buffered.subarray(5, 1 + len);
        if (type === "Q") note(cstring(body, 0).text);
        else if (type === "P") {
          const name = cstring(body, 0);
          lastParsed = cstring(body, name.end).text;
          prepared.set(name.text, lastParsed);
        } else if (type === "B") {
          const portal = cstring(body, 0);
          lastParsed = prepared.get(cstring(body, portal.end).text) ?? lastParsed;
        } else if (type === "E") note(lastParsed);
        buffered = buffered.subarray(1 + len);
      }
    });
    upstream.on("data", (chunk: Buffer) => {
      answered = true;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });

  function note(text: string) {
    counts.statements += 1;
    const folded = text.replace(/\s+/g, " ").trim();
    counts.texts.set(folded, (counts.texts.get(folded) ?? 0) + 1);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    counts: () => counts,
    reset: () => {
      counts = { statements: 0, roundTrips: 0, texts: new Map() };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function cstring(buf: Buffer, from: number): { text: string; end: number } {
  const zero = buf.indexOf(0, from);
  const end = zero < 0 ? buf.length : zero;
  return { text: buf.toString("utf8", from, end), end: end + 1 };
}
