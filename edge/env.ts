// The Worker's bindings, parsed with zod once per request: a wrong environment is a 500
// BAD_ENVIRONMENT, never a half-working app.
import { z } from "zod";
import type { RequestContext } from "./context.ts";

export const Bindings = z
  .object({
    APP_ENV: z.enum(["development", "test", "production"]).default("production"),
    /** libSQL: http(s):// or libsql:// (Turso in production, the loopback server locally). */
    DATABASE_URL: z.string().regex(/^(https?|libsql):\/\//, "DATABASE_URL must be an http(s):// or libsql:// URL"),
    DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
    /**
     * AES-256-GCM key sealing TOTP secrets at rest (edge/security/secret-box.ts): base64 of 32 random
     * bytes, a Worker secret in production, where it is required; `npm start` and the tests supply
     * local ones. Malformed is a bad environment; absent outside production, everything but the TOTP
     * calls works (they answer 500 and log why).
     */
    DATA_ENCRYPTION_KEY: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "DATA_ENCRYPTION_KEY must be base64 of 32 bytes (openssl rand -base64 32)")
      .optional(),
    /** Resend's API key: mail is sent when set; without it mail stays in the outbox (GET /api/v1/dev/outbox). */
    RESEND_API_KEY: z.string().trim().min(1).optional(),
    /** Resend's API address (tests point it at a local stand-in); Resend's own by default. */
    RESEND_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The sender, a verified Resend domain in production. */
    MAIL_FROM: z.string().trim().min(3).default("電子保証プラットフォーム <no-reply@denshi-hosho.example>"),
  })
  .refine((env) => env.APP_ENV !== "production" || env.DATA_ENCRYPTION_KEY !== undefined, {
    path: ["DATA_ENCRYPTION_KEY"],
    message: "DATA_ENCRYPTION_KEY is required in production (wrangler secret put DATA_ENCRYPTION_KEY)",
  });
export type Bindings = z.infer<typeof Bindings>;

export interface AppEnv {
  Bindings: Record<string, unknown>;
  Variables: { requestId: string; ctx: RequestContext };
}
