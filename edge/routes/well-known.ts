// Outside /api/v1 by convention (RFC 8615): the public keys that sign certificates.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../http/router.ts";
import { publicSigningKeys } from "../services/signing-keys.ts";

export const wellKnownRoutes = createRouter();

const Jwk = z
  .object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string(), crv: z.string(), x: z.string(), y: z.string() })
  .openapi("Jwk");

wellKnownRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jwks.json",
    summary: "証書の署名を検証する公開鍵（JWKS）",
    responses: {
      200: {
        description: "公開鍵の一覧（RFC 7517）",
        content: { "application/json": { schema: z.object({ keys: z.array(Jwk) }) } },
      },
    },
  }),
  async (c) => {
    c.header("cache-control", "public, max-age=300");
    return c.json({ keys: await publicSigningKeys({ ctx: c.var.ctx }) }, 200);
  },
);
