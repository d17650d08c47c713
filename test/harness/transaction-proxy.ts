// Stands between the homeserver and Parley's appservice listener and passes everything on,
// except transactions a test chooses to lose: the homeserver gets its 200 and Parley never
// hears of them, as when Synapse leaves a transaction unsent after a recovery.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface PushedEvent {
  event_id: string;
  type: string;
  content?: Record<string, unknown>;
}

export class TransactionProxy {
  private server?: Server;
  private target = "";
  /** Decides, per transaction, whether Parley loses it. */
  lose: (events: PushedEvent[]) => boolean = () => false;
  /** Transactions lost so far, by their events' ids. */
  readonly lost: string[][] = [];

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const pushed = request.method === "PUT" && /\/_matrix\/app\/v1\/transactions\//.test(request.url ?? "");
        const events = pushed ? ((JSON.parse(body.toString("utf8")) as { events?: PushedEvent[] }).events ?? []) : [];
        if (pushed && events.length > 0 && this.lose(events)) {
          this.lost.push(events.map((event) => event.event_id));
          response.writeHead(200, { "content-type": "application/json" }).end("{}");
          return;
        }
        const forward = httpRequest(`${this.target}${request.url ?? "/"}`, { method: request.method, headers: request.headers }, (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        forward.on("error", () => response.writeHead(502).end());
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Where Parley listens, once it is known. */
  forwardTo(url: string): void {
    this.target = url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
