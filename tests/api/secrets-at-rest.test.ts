// After a whole journey (register, approval, TOTP enrolment and login, application, submit, issue,
// key display, the e-mailed link), a dump of every table holds no password, session token, TOTP
// secret, authentication key, link token or the data key: only hashes and sealed boxes.
import { decodeBase32IgnorePadding, encodeBase64, encodeHexLowerCase } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { readKey } from "../../edge/domain/auth-key.ts";
import { cookieOf } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";
import { makeStaff } from "./factories.ts";
import { json, useTestDatabase } from "./helpers.ts";

const { call, db, env } = useTestDatabase();
const ORIGIN = "http://localhost";

function send(method: string, path: string, cookie: string, body?: unknown) {
  const headers: Record<string, string> = { cookie, origin: ORIGIN };
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
const tokenOf = (cookie: string) => cookie.split("=")[1] ?? "";

describe("secrets at rest", () => {
  it("a database dump after a full journey contains none of the secrets it saw", { timeout: 60_000 }, async () => {
    const secrets: Record<string, string> = {};
    const contractorPassword = "秘密のパスワード correct horse 42";
    secrets["contractor password"] = contractorPassword;
    const registered = await send("POST", "/api/v1/auth/register", "", {
      email: "dump@example.jp",
      password: contractorPassword,
      company: { name: "株式会社ダンプ建設", address: "鹿児島県日置市伊集院町1番地", representative: "代表 日置" },
    });
    expect(registered.status).toBe(201);
    const { company } = await json<{ company: { id: string } }>(registered);
    secrets["registration session"] = tokenOf(cookieOf(registered));

    const staffAccount = await makeStaff(db(), { guarantorId: "wjcs", password: "staff の秘密 password 99" });
    secrets["staff password"] = staffAccount.password;
    const first = cookieOf(await send("POST", "/api/v1/auth/login", "", { email: staffAccount.email, password: staffAccount.password }));
    secrets["staff first session"] = tokenOf(first);
    const { secret } = await json<{ secret: string }>(await send("POST", "/api/v1/auth/totp/enrol", first, {}));
    secrets["totp secret (base32)"] = secret;
    const raw = decodeBase32IgnorePadding(secret);
    secrets["totp secret (hex)"] = encodeHexLowerCase(raw);
    secrets["totp secret (base64)"] = encodeBase64(raw);
    expect((await send("POST", "/api/v1/auth/totp/confirm", first, { code: generateTOTP(raw, 30, 6) })).status).toBe(200);
    expect((await send("POST", `/api/v1/staff/companies/${company.id}/approve`, first)).status).toBe(200);

    const login = await send("POST", "/api/v1/auth/login", "", { email: "dump@example.jp", password: contractorPassword });
    const contractor = cookieOf(login);
    secrets["contractor session"] = tokenOf(contractor);
    const created = await send("POST", "/api/v1/applications", contractor, {
      project: hiokiProject("秘密保持確認工事"),
      guarantees: [
        { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: "鹿児島銀行　本店" },
        { kind: "contract", amount: 5_000_000, delivery: "electronic" },
      ],
      branchId: "wjcs-kagoshima",
      contact: { name: "鹿児島太郎", phone: "099-000-0000" },
    });
    const { id } = await json<{ id: string }>(created);
    expect((await send("POST", `/api/v1/applications/${id}/submit`, contractor)).status).toBe(200);
    const issued = await json<{ guarantees: { contractNumber: string }[] }>(
      await send("POST", `/api/v1/staff/applications/${id}/issue`, first),
    );
    for (const g of issued.guarantees) {
      const { authKey } = await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${g.contractNumber}/auth-key`, contractor));
      const reading = readKey(authKey);
      if (!reading.ok) throw new Error("bad key");
      secrets[`auth key ${g.contractNumber}`] = reading.key;
      secrets[`auth key ${g.contractNumber} (shown)`] = authKey;
    }
    const outbox = await json<{ items: { links: string[] }[] }>(await send("GET", "/api/v1/dev/outbox", ""));
    const token = new URL(outbox.items[0]?.links[0] ?? "").pathname.split("/")[2] ?? "";
    expect(token.split(".")).toHaveLength(3);
    secrets["link token"] = token;
    secrets["link signature"] = token.split(".")[2] ?? "";
    expect((await send("GET", `/api/v1/links/${token}`, "")).status).toBe(200);
    secrets["data encryption key"] = String(env()["DATA_ENCRYPTION_KEY"]);
    await send("POST", "/api/v1/auth/logout", contractor);

    // Dump every table, as a backup or a leaked copy would hold it.
    const tables = await db().all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`);
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["users", "sessions", "guarantees", "certificate_versions", "outbox", "audit_log"]),
    );
    let dump = "";
    for (const { name } of tables) {
      const rows = await db().all(sql.raw(`select * from "${name}"`));
      dump += `${name}\n${JSON.stringify(rows)}\n`;
    }
    const leaks = Object.entries(secrets)
      .filter(([, value]) => value.length >= 6 && (dump.includes(value) || dump.toLowerCase().includes(value.toLowerCase())))
      .map(([what]) => what);
    expect(leaks).toEqual([]);
    // What is there instead: PHC argon2id strings, SHA-256 digests and sealed boxes.
    expect(dump).toMatch(/\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(dump).toMatch(/"auth_key_box":"v1\./);
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(14);
  });
});
