// The hash-chained audit log (db/schema/audit-log.ts). append() gives a statement to put in the
// same db.batch() as the change it records; seal() chains the new entries right after; verify()
// recomputes the chain. Used from requests (workerd) and from the operator CLI (Node).
import { asc, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "../../db/schema/index.ts";
import { auditLog } from "../../db/schema/index.ts";
import { sha256Hex } from "../security/tokens.ts";

type Database = LibSQLDatabase<typeof schema>;
export type AuditAction =
  | "contractor.registered"
  | "company.approved"
  | "login.succeeded"
  | "login.failed"
  | "login.throttled"
  | "logout"
  | "staff.created"
  | "application.created"
  | "application.submitted"
  | "application.issued"
  | "application.rejected"
  | "totp.enrolment_started"
  | "totp.enrolled"
  | "totp.verified"
  | "totp.failed"
  | "totp.throttled";

export interface AuditEntry {
  at: Date;
  actor: string;
  action: AuditAction;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

const GENESIS = "0".repeat(64);

export function appendAudit(db: Database, entry: AuditEntry) {
  return db.insert(auditLog).values({
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject ?? null,
    detail: entry.detail ?? {},
  });
}

/**
 * The same entry, written only if the statement just before it in the batch changed a row
 * (SQLite's changes()): a no-op approval or a lost race leaves no false history.
 */
export function appendAuditIfChanged(db: Database, entry: AuditEntry) {
  return db.run(sql`insert into ${auditLog} (at, actor, action, subject, detail)
    select ${entry.at.toISOString()}, ${entry.actor}, ${entry.action}, ${entry.subject ?? null}, ${JSON.stringify(entry.detail ?? {})}
    where changes() > 0`);
}

type Row = typeof auditLog.$inferSelect;
const link = (previous: string, row: Row) =>
  sha256Hex(`${previous}\n${JSON.stringify([row.seq, row.at, row.actor, row.action, row.subject, row.detail])}`);

/**
 * Chain every unsealed entry to the one before it. Safe to run concurrently: the hashes are
 * deterministic and each update only fills a hash that is still empty.
 */
export async function sealAudit(db: Database, batchSize = 200): Promise<number> {
  let sealed = 0;
  for (;;) {
    const [last] = await db.select().from(auditLog).where(isNotNull(auditLog.hash)).orderBy(sql`${auditLog.seq} desc`).limit(1);
    const pending = await db
      .select()
      .from(auditLog)
      .where(last === undefined ? isNull(auditLog.hash) : gt(auditLog.seq, last.seq))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    if (pending.length === 0) return sealed;
    let previous = last?.hash ?? GENESIS;
    const updates = [];
    for (const row of pending) {
      if (row.hash !== null) break; // another sealer got here first; start over from its work
      previous = await link(previous, row);
      updates.push(db.update(auditLog).set({ hash: previous }).where(sql`${auditLog.seq} = ${row.seq} and ${auditLog.hash} is null`));
    }
    const [first, ...rest] = updates;
    if (first === undefined) continue;
    await db.batch([first, ...rest]);
    sealed += updates.length;
    if (pending.length < batchSize) return sealed;
  }
}

/** Recompute the chain from the start: the first entry whose hash does not follow, if any. */
export async function verifyAudit(db: Database): Promise<{ entries: number; unsealed: number; firstBroken: Row | null }> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
  let previous = GENESIS;
  let unsealed = 0;
  for (const [i, row] of rows.entries()) {
    if (row.hash === null) {
      unsealed++;
      continue;
    }
    // An unsealed entry followed by a sealed one cannot happen through seal(): the chain is broken.
    if (unsealed > 0) return { entries: i, unsealed, firstBroken: row };
    const expected = await link(previous, row);
    if (expected !== row.hash) return { entries: i, unsealed, firstBroken: row };
    previous = row.hash;
  }
  return { entries: rows.length, unsealed, firstBroken: null };
}
