// Reference and demo rows: the three guarantors and their branches from content/.
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import guarantorsJson from "../content/guarantors.json" with { type: "json" };
import type * as schema from "./schema/index.ts";
import { branches, guarantors } from "./schema/index.ts";

interface GuarantorRow {
  id: string;
  name: string;
  shortName: string;
  portal: string;
  url: string | null;
  address: string | null;
  branches: {
    id: string;
    name: string;
    tel: string | null;
    fax: string | null;
    postalCode: string | null;
    address: string | null;
    email: string | null;
  }[];
}

export async function seed(db: LibSQLDatabase<typeof schema>): Promise<void> {
  const rows: GuarantorRow[] = guarantorsJson;
  await db.transaction(async (tx) => {
    for (const g of rows) {
      const values = { id: g.id, name: g.name, shortName: g.shortName, portal: g.portal, url: g.url, address: g.address };
      await tx.insert(guarantors).values(values).onConflictDoUpdate({ target: guarantors.id, set: values });
      for (const b of g.branches) {
        const branch = {
          id: b.id,
          guarantorId: g.id,
          name: b.name,
          tel: b.tel,
          fax: b.fax,
          postalCode: b.postalCode,
          address: b.address,
          email: b.email,
        };
        await tx.insert(branches).values(branch).onConflictDoUpdate({ target: branches.id, set: branch });
      }
    }
  });
}
