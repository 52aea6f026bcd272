// POST /api/v1/verify/certificate.pdf: the agency's PDF of the certificate it verified. It is a
// verification like POST /verify (same refusals, same lockout, recorded), answered as a PDF.
import fontDataUrl from "@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf?inline";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { companies, verifications } from "../../db/schema/index.ts";
import { checkSymbol, formatKey } from "../../edge/domain/auth-key.ts";
import { cookieOf } from "../http.ts";
import { contract, hiokiApplication } from "../support/fixtures.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, useTestDatabase } from "./helpers.ts";

const { call, db, env } = useTestDatabase();
const ORIGIN = "http://localhost";
const withFont = () => ({ ...env(), FONT_URL: fontDataUrl });

function send(method: string, path: string, cookie: string, body?: unknown) {
  const headers: Record<string, string> = { cookie, origin: ORIGIN };
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
const pdf = (body: unknown, client = "198.51.100.77") =>
  call(
    "/api/v1/verify/certificate.pdf",
    { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": client }, body: JSON.stringify(body) },
    { env: withFont() },
  );

async function issued() {
  const reg = await send("POST", "/api/v1/auth/register", "", {
    email: `vpdf${Date.now()}@example.jp`,
    password: "contractor password",
    company: { name: "株式会社証書建設", address: "鹿児島県日置市伊集院町1番地", representative: "代表 日置" },
  });
  const { company } = await json<{ company: { id: string } }>(reg);
  await db().update(companies).set({ status: "approved" }).where(eq(companies.id, company.id));
  const contractor = cookieOf(reg);
  const { email, password } = await makeStaff(db(), { guarantorId: "wjcs" });
  const staff = cookieOf(await send("POST", "/api/v1/auth/login", "", { email, password }));
  const { id } = await json<{ id: string }>(
    await send("POST", "/api/v1/applications", contractor, hiokiApplication({ guarantees: [contract()] })),
  );
  await send("POST", `/api/v1/applications/${id}/submit`, contractor);
  const { guarantees } = await json<{ guarantees: { contractNumber: string }[] }>(
    await send("POST", `/api/v1/staff/applications/${id}/issue`, staff),
  );
  const number = guarantees[0]?.contractNumber ?? "";
  const { authKey } = await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${number}/auth-key`, contractor));
  return { number, authKey };
}

describe("POST /api/v1/verify/certificate.pdf", () => {
  it("answers the verified certificate as a PDF and records the viewing", async () => {
    const g = await issued();
    const res = await pdf({ contractNumber: g.number, authKey: g.authKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/pdf/);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(bytes.length).toBeLessThan(120_000);
    const rows = await db().select().from(verifications).where(eq(verifications.via, "page"));
    expect(rows.length).toBeGreaterThan(0);
  });

  it("refuses as POST /verify does: 404 alike for a wrong key and an unknown number, 400 for a typo, 422 for wrong types", async () => {
    const g = await issued();
    const plain = g.authKey.replaceAll("-", "");
    const body = (plain[0] === "A" ? "B" : "A") + plain.slice(1, 15);
    await expectProblem(await pdf({ contractNumber: g.number, authKey: formatKey(body + checkSymbol(body)) }), 404, "not_found");
    await expectProblem(await pdf({ contractNumber: "2079999990", authKey: g.authKey }), 404, "not_found");
    await expectProblem(await pdf({ contractNumber: g.number, authKey: `${g.authKey.slice(0, -1)}!` }), 400, "invalid_format");
    await expectProblem(await pdf({ contractNumber: 1, authKey: null }), 422, "validation_failed");
  });
});
