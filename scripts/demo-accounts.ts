// Demo logins for `npm start`, so a newcomer can walk both journeys at once: a contractor whose
// company is already approved, and a guarantor's staff member (西日本建設業保証, 鹿児島支店) who logs in
// with the password alone. Never on a production path: only scripts/start.ts (APP_ENV development)
// and the browser tests' setup call this, and it refuses any database that is not on this machine.
//
// The ids are fixed, so applications made in earlier runs stay the demo users'; the password is new
// at every call (printed once, thrown away), and with it the demo users' sessions end and the staff
// member's TOTP enrolment is cleared, so the printed login always works as printed.
import { and, inArray, notInArray, sql } from "drizzle-orm";
import guarantorsJson from "../content/guarantors.json" with { type: "json" };
import { connectNode } from "../db/node.ts";
import { companies, sessions, users } from "../db/schema/index.ts";
import { hashPassword } from "../edge/security/password.ts";
import { appendAudit, sealAudit } from "../edge/services/audit.ts";

export const DEMO_CONTRACTOR_EMAIL = "demo-contractor@example.jp";
export const DEMO_STAFF_EMAIL = "demo-staff@example.jp";

/** Stable ids (valid v4-shaped UUIDs, like every other id). */
export const DEMO_IDS = {
  company: "0de30000-0000-4000-8000-000000000001",
  contractor: "0de30000-0000-4000-8000-000000000002",
  staff: "0de30000-0000-4000-8000-000000000003",
} as const;

const DEMO_COMPANY = { name: "デモ建設株式会社", address: "鹿児島県鹿児島市デモ町1番1号", representative: "電子 太郎" };
const DEMO_GUARANTOR = "wjcs";
/** The staff member's branch, when content/ lists one of this name for the guarantor. */
const DEMO_BRANCH_NAME = "鹿児島";

export interface DemoLogin {
  id: string;
  email: string;
  password: string;
}

export interface DemoAccounts {
  contractor: DemoLogin & { companyId: string; companyName: string };
  staff: DemoLogin & { guarantorId: string; guarantorName: string; branchId: string | null; branchName: string | null };
}

/**
 * Create the two demo accounts if missing, and give both a fresh random password. Idempotent but
 * for the passwords. The database must be migrated and seeded (prepareDatabase) first.
 */
export async function ensureDemoAccounts(url: string, authToken?: string): Promise<DemoAccounts> {
  if (!isLocal(url)) throw new Error(`demo accounts are for a database on this machine only, not ${url.replace(/[?#].*$/, "")}`);
  const guarantor = guarantorsJson.find((g) => g.id === DEMO_GUARANTOR);
  if (guarantor === undefined) throw new Error(`content/guarantors.json has no guarantor ${DEMO_GUARANTOR}`);
  const branch = guarantor.branches.find((b) => b.name.includes(DEMO_BRANCH_NAME)) ?? null;
  const passwords = { contractor: demoPassword(), staff: demoPassword() };
  const [contractorHash, staffHash] = [await hashPassword(passwords.contractor), await hashPassword(passwords.staff)];

  const { client, db } = connectNode(url, authToken);
  try {
    const emails = [DEMO_CONTRACTOR_EMAIL, DEMO_STAFF_EMAIL];
    const ids = [DEMO_IDS.contractor, DEMO_IDS.staff];
    const squatters = await db
      .select({ email: users.email })
      .from(users)
      .where(and(inArray(users.email, emails), notInArray(users.id, ids)));
    if (squatters.length > 0) {
      throw new Error(`another account already uses ${squatters.map((s) => s.email).join(", ")}: the demo accounts cannot take it`);
    }
    const existing = new Set((await db.select({ id: users.id }).from(users).where(inArray(users.id, ids))).map((u) => u.id));
    const now = new Date();
    const at = now.toISOString();
    const created = [];
    if (!existing.has(DEMO_IDS.contractor)) {
      created.push(
        appendAudit(db, {
          at: now,
          actor: "system",
          action: "contractor.registered",
          subject: DEMO_IDS.company,
          detail: { via: "demo", company: DEMO_COMPANY.name },
        }),
        appendAudit(db, { at: now, actor: "system", action: "company.approved", subject: DEMO_IDS.company, detail: { via: "demo" } }),
      );
    }
    if (!existing.has(DEMO_IDS.staff)) {
      created.push(
        appendAudit(db, {
          at: now,
          actor: "system",
          action: "staff.created",
          subject: DEMO_IDS.staff,
          detail: { via: "demo", email: DEMO_STAFF_EMAIL, guarantor: guarantor.id, branch: branch?.id ?? null, totpRequired: false },
        }),
      );
    }
    const contractor = {
      email: DEMO_CONTRACTOR_EMAIL,
      passwordHash: contractorHash,
      role: "contractor" as const,
      companyId: DEMO_IDS.company,
      guarantorId: null,
      branchId: null,
      totpSecret: null,
      totpRequired: false,
      totpLastStep: null,
    };
    const staff = {
      email: DEMO_STAFF_EMAIL,
      passwordHash: staffHash,
      role: "staff" as const,
      companyId: null,
      guarantorId: guarantor.id,
      branchId: branch?.id ?? null,
      totpSecret: null,
      totpRequired: false,
      totpLastStep: null,
    };
    await db.batch([
      db
        .insert(companies)
        .values({ id: DEMO_IDS.company, ...DEMO_COMPANY, status: "approved", createdAt: at, approvedAt: at, approvedBy: "system" })
        .onConflictDoUpdate({
          target: companies.id,
          set: {
            status: "approved",
            approvedAt: sql`coalesce(${companies.approvedAt}, excluded.approved_at)`,
            approvedBy: sql`coalesce(${companies.approvedBy}, excluded.approved_by)`,
          },
        }),
      db
        .insert(users)
        .values({ id: DEMO_IDS.contractor, ...contractor, createdAt: at })
        .onConflictDoUpdate({ target: users.id, set: contractor }),
      db
        .insert(users)
        .values({ id: DEMO_IDS.staff, ...staff, createdAt: at })
        .onConflictDoUpdate({ target: users.id, set: staff }),
      // The old password no longer works: neither do the sessions it opened.
      db.delete(sessions).where(inArray(sessions.userId, ids)),
      ...created,
    ]);
    if (created.length > 0) await sealAudit(db);
  } finally {
    client.close();
  }
  return {
    contractor: {
      id: DEMO_IDS.contractor,
      email: DEMO_CONTRACTOR_EMAIL,
      password: passwords.contractor,
      companyId: DEMO_IDS.company,
      companyName: DEMO_COMPANY.name,
    },
    staff: {
      id: DEMO_IDS.staff,
      email: DEMO_STAFF_EMAIL,
      password: passwords.staff,
      guarantorId: guarantor.id,
      guarantorName: guarantor.name,
      branchId: branch?.id ?? null,
      branchName: branch?.name ?? null,
    },
  };
}

/** The lines `npm start` prints after the URL. */
export function describeDemoAccounts(demo: DemoAccounts): string {
  const { contractor, staff } = demo;
  const where = [staff.guarantorName, staff.branchName].filter((n) => n !== null).join(" ");
  return [
    "デモ用のログイン（開発環境のみ。パスワードは起動のたびに新しくなります）:",
    `  受注者（${contractor.companyName}、承認済み）`,
    `    メールアドレス: ${contractor.email}`,
    `    パスワード:     ${contractor.password}`,
    `  保証会社の担当者（${where}、二要素認証なし）`,
    `    メールアドレス: ${staff.email}`,
    `    パスワード:     ${staff.password}`,
  ].join("\n");
}

/** A file, or a server on loopback (the `npm start` and test setups): never a remote database. */
function isLocal(url: string): boolean {
  if (/^file:/i.test(url)) return true;
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === "http:" || protocol === "ws:") && ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
  } catch {
    return false;
  }
}

/**
 * 16 characters (about 79 bits) from an alphabet without look-alikes (no 0/o, 1/l/i), in groups of
 * four so it is easy to type: e.g. "k7pq-3mzx-9tfa-wc2e".
 */
function demoPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const chars: string[] = [];
  // Rejection sampling: only bytes below the largest multiple of the alphabet's size, so no bias.
  const limit = 256 - (256 % alphabet.length);
  while (chars.length < 16) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && chars.length < 16) chars.push(alphabet[byte % alphabet.length] ?? "");
    }
  }
  return chars.join("").replace(/(.{4})(?=.)/g, "$1-");
}
