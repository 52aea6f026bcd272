// The Worker's bindings, parsed with zod once per request: a wrong environment is a 500
// BAD_ENVIRONMENT, never a half-working app.
import { z } from "zod";
import type { RequestContext } from "./context.ts";

export const Bindings = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  /** libSQL: http(s):// or libsql:// (Turso in production, the loopback server locally). */
  DATABASE_URL: z.string().regex(/^(https?|libsql):\/\//, "DATABASE_URL must be an http(s):// or libsql:// URL"),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
});
export type Bindings = z.infer<typeof Bindings>;

export interface AppEnv {
  Bindings: Record<string, unknown>;
  Variables: { requestId: string; ctx: RequestContext };
}
