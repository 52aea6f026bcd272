// Rows for tests, with defaults that satisfy every constraint; override what the test is about.
import type { Db } from "../../db/client.ts";
import { branches, guarantors, scheduledRuns, users } from "../../db/schema/index.ts";
import { hashPassword } from "../../edge/security/password.ts";

let seq = 0;
const next = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

export async function makeGuarantor(db: Db, overrides: Partial<typeof guarantors.$inferInsert> = {}) {
  const row = { id: next("g"), name: "テスト建設業保証株式会社", shortName: "テスト保証", portal: "テストポータル", ...overrides };
  await db.insert(guarantors).values(row);
  return row;
}

export async function makeBranch(db: Db, overrides: Partial<typeof branches.$inferInsert> = {}) {
  const guarantorId = overrides.guarantorId ?? (await makeGuarantor(db)).id;
  const row = { id: next("b"), name: "テスト支店", tel: "03-0000-0000", fax: null, ...overrides, guarantorId };
  await db.insert(branches).values(row);
  return row;
}

export async function makeScheduledRun(db: Db, overrides: Partial<typeof scheduledRuns.$inferInsert> = {}) {
  const at = overrides.startedAt ?? new Date().toISOString();
  const row = {
    id: next("run"),
    cron: "17 * * * *",
    scheduledAt: at,
    startedAt: at,
    finishedAt: at,
    outcome: "ok" as const,
    detail: {},
    durationMs: 1,
    ...overrides,
  };
  await db.insert(scheduledRuns).values(row);
  return row;
}

/**
 * A guarantor's staff member, as `npm run cli -- staff create` makes one (no TOTP unless the
 * overrides say so). Returns the row and the password in clear, for logging in.
 */
export async function makeStaff(db: Db, overrides: Partial<typeof users.$inferInsert> & { password?: string } = {}) {
  const { password = "staff password 42", ...rest } = overrides;
  const guarantorId = rest.guarantorId ?? (await makeGuarantor(db)).id;
  const row = {
    id: crypto.randomUUID(),
    email: `${next("staff")}@example.jp`,
    passwordHash: await hashPassword(password),
    role: "staff" as const,
    createdAt: new Date().toISOString(),
    ...rest,
    guarantorId,
  };
  await db.insert(users).values(row);
  return { ...row, password };
}
