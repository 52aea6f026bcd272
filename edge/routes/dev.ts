// Outside production only: what a developer needs to walk the journeys without real mail.
import { createRoute, z } from "@hono/zod-openapi";
import { NotFound } from "../domain/errors.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { listOutbox } from "../mail/outbox.ts";

export const devRoutes = createRouter();
devRoutes.use("/dev/*", async (c, next) => {
  if (c.var.ctx.env.APP_ENV === "production") throw new NotFound("該当する API がありません");
  c.header("cache-control", "no-store");
  await next();
});

const Mail = z
  .object({
    id: z.string(),
    template: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    links: z.array(z.string()),
    status: z.enum(["queued", "sent", "failed"]),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi("OutboxMail");

devRoutes.openapi(
  createRoute({
    method: "get",
    path: "/dev/outbox",
    summary: "（開発用・本番では 404）送信待ち・送信済みのメール（新しい順）",
    responses: {
      200: { description: "メール", content: { "application/json": { schema: z.object({ items: z.array(Mail) }) } } },
      404: problemResponse("本番環境"),
    },
  }),
  async (c) => c.json({ items: await listOutbox(c.var.ctx) }, 200),
);
