// A throttling TCP proxy: a weak phone link in front of a local server, for the offline benchmark
// (scripts/bench/offline.ts) and the throttled-link browser test. Every connection shares one link
// with a bandwidth per direction and a one-way delay, as a phone's radio does: a chunk leaves when
// the link is free (serialization at the link's rate) and arrives a one-way delay later. A new
// connection pays a round trip for its handshake before its first byte travels.
import { connect, createServer, type Server, type Socket } from "node:net";

export interface Link {
  /** Bits per second from the server to the phone. */
  downBps: number;
  /** Bits per second from the phone to the server. */
  upBps: number;
  /** Milliseconds each way. */
  oneWayMs: number;
}

/** The weak phone link of issue 8: 1.6 Mbps down, 150 ms each way (upload at half the download). */
export const PHONE_LINK: Link = { downBps: 1_600_000, upBps: 800_000, oneWayMs: 150 };

/** Chunks no larger than this share the link fairly between connections. */
const SLICE = 4096;

/** One direction of the link: when it is free again, and when a chunk sent now arrives. */
export class LinkDirection {
  private freeAt = 0;
  bytes = 0;
  private readonly bps: number;
  private readonly delayMs: number;
  constructor(bps: number, delayMs: number) {
    this.bps = bps;
    this.delayMs = delayMs;
  }

  /** When `bytes` handed over at `now` (not before `earliest`) reach the far end. */
  schedule(bytes: number, now: number, earliest = now): number {
    const start = Math.max(now, earliest, this.freeAt);
    this.freeAt = start + (bytes * 8 * 1000) / this.bps;
    this.bytes += bytes;
    return this.freeAt + this.delayMs;
  }
}

export interface Throttle {
  url: string;
  port: number;
  /** Bytes carried so far, per direction. */
  carried(): { down: number; up: number };
  close(): Promise<void>;
}

/** Forwards `from` to `to` over `direction`, in order, each slice at its arrival time. */
function relay(from: Socket, to: Socket, direction: LinkDirection, earliest: () => number): void {
  // One queue and one timer per relay: timers alone may fire two equal deadlines out of order.
  const queue: { arrival: number; action: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const drain = () => {
    timer = undefined;
    while (queue.length > 0 && (queue[0]?.arrival ?? 0) <= Date.now()) queue.shift()?.action();
    if (queue.length > 0) timer = setTimeout(drain, Math.max(1, (queue[0]?.arrival ?? 0) - Date.now()));
  };
  const at = (arrival: number, action: () => void) => {
    const last = queue.at(-1)?.arrival ?? 0;
    queue.push({ arrival: Math.max(arrival, last), action });
    if (timer === undefined) timer = setTimeout(drain, Math.max(0, (queue[0]?.arrival ?? 0) - Date.now()));
  };
  from.on("data", (data: Buffer) => {
    for (let i = 0; i < data.length; i += SLICE) {
      const slice = data.subarray(i, i + SLICE);
      at(direction.schedule(slice.length, Date.now(), earliest()), () => {
        if (!to.destroyed) to.write(slice);
      });
    }
  });
  from.on("end", () => at(Date.now(), () => to.end()));
  from.on("error", () => at(Date.now(), () => to.destroy()));
  from.on("close", () => {
    // An abrupt close travels after the data before it.
    if (!from.readableEnded) at(Date.now(), () => to.destroy());
  });
}

/** Starts the proxy on `port` (0: any free port) in front of `target` (host:port). */
export async function throttle(target: { host: string; port: number }, link: Link = PHONE_LINK, port = 0): Promise<Throttle> {
  const down = new LinkDirection(link.downBps, link.oneWayMs);
  const up = new LinkDirection(link.upBps, link.oneWayMs);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    // The handshake: SYN out, SYN-ACK back; the first request byte leaves after that round trip.
    const handshakeDone = Date.now() + 2 * link.oneWayMs;
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    for (const s of [client, upstream]) s.on("close", () => sockets.delete(s));
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    relay(client, upstream, up, () => handshakeDone);
    relay(upstream, client, down, () => 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("throttle: no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    carried: () => ({ down: down.bytes, up: up.bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
