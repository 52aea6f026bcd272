import { sql } from "drizzle-orm";
import type { RequestContext } from "../context.ts";
import { Unavailable } from "../domain/errors.ts";

/** The database answers a trivial query, or the platform is unavailable. */
export async function checkHealth({ ctx }: { ctx: RequestContext }): Promise<{ status: "ok" }> {
  try {
    await ctx.db.run(sql`select 1`);
  } catch (error) {
    console.error(`health: database unavailable (request ${ctx.requestId})`, error);
    throw new Unavailable("データベースに接続できません", "database_unavailable");
  }
  return { status: "ok" };
}
