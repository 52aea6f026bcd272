import { sql } from "drizzle-orm";
import { branches, guarantors } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";

export async function listGuarantors({ ctx }: { ctx: RequestContext }) {
  const { db } = ctx;
  const [gs, bs] = await db.batch([db.select().from(guarantors).orderBy(sql`rowid`), db.select().from(branches).orderBy(sql`rowid`)]);
  return gs.map((g) => ({
    id: g.id,
    name: g.name,
    shortName: g.shortName,
    portal: g.portal,
    url: g.url,
    branches: bs
      .filter((b) => b.guarantorId === g.id)
      .map((b) => ({ id: b.id, name: b.name, tel: b.tel, fax: b.fax, email: b.email, postalCode: b.postalCode, address: b.address })),
  }));
}
