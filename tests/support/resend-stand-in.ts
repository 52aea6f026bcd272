// A local stand-in for Resend's HTTP API (POST /emails), enough to test the outbox's transport:
// it checks the API key and the payload, honours Idempotency-Key as Resend does (a repeated key
// answers the first result and sends nothing), and can be told to fail:
//   - a recipient whose local part starts with "fail-once" gets a 500 the first time;
//   - one starting with "reject" always gets a 422 (a permanent error).
// GET /_sent lists what was "sent", for assertions. Node only (tests' global setup).
import { createServer, type Server } from "node:http";

export interface SentMail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface ResendStandIn {
  url: string;
  apiKey: string;
  sent: SentMail[];
  close(): Promise<void>;
}

export async function startResendStandIn(apiKey = "re_test_stand_in"): Promise<ResendStandIn> {
  const sent: SentMail[] = [];
  const byKey = new Map<string, string>();
  const failedOnce = new Set<string>();
  let serial = 0;
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/_sent") return reply(200, sent);
    if (req.method !== "POST" || req.url !== "/emails") return reply(404, { name: "not_found", message: "not found", statusCode: 404 });
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return reply(401, { name: "missing_api_key", message: "bad key", statusCode: 401 });
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: { from?: string; to?: string[] | string; subject?: string; text?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(400, { name: "invalid_json", message: "bad json", statusCode: 400 });
      }
      const to = Array.isArray(body.to) ? body.to : body.to === undefined ? [] : [body.to];
      if (!body.from || to.length === 0 || !body.subject || !body.text) {
        return reply(422, { name: "validation_error", message: "from, to, subject and text are required", statusCode: 422 });
      }
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      if (key !== null && byKey.has(key)) return reply(200, { id: byKey.get(key) });
      const local = to[0]?.split("@")[0] ?? "";
      if (local.startsWith("reject")) return reply(422, { name: "validation_error", message: "recipient refused", statusCode: 422 });
      if (local.startsWith("fail-once") && !failedOnce.has(to[0] ?? "")) {
        failedOnce.add(to[0] ?? "");
        return reply(500, { name: "application_error", message: "temporary failure", statusCode: 500 });
      }
      const id = `stand-in-${++serial}`;
      if (key !== null) byKey.set(key, id);
      sent.push({ id, idempotencyKey: key, from: body.from, to, subject: body.subject, text: body.text });
      reply(200, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("resend stand-in: no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    apiKey,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
