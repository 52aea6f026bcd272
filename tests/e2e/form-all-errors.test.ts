// Without JavaScript, 「送信」 of a form with a malformed field (the save refuses it) still shows the
// submit's other errors at once, beside their fields, and keeps what was typed.
import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");
const demo = inject("demoAccounts");

async function loginCookie(): Promise<string> {
  const res = await fetch(`${base}/login/`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "sec-fetch-site": "same-origin" },
    body: new URLSearchParams({ email: demo.contractor.email, password: demo.contractor.password }).toString(),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  expect(cookies.length).toBeGreaterThan(0);
  return cookies.join("; ");
}

describe("the application form without JavaScript", () => {
  it("shows every error of a submit at once, even when the save refuses a malformed field", { timeout: 60_000 }, async () => {
    const cookie = await loginCookie();
    const form = new URLSearchParams({
      "project.name": "全項目確認工事",
      "project.beneficiary": "日置市長",
      "project.location": "鹿児島県日置市",
      "project.workType": "construction",
      "project.contractPrice": "50,000,000",
      "project.periodFrom": "2026-03-20",
      "project.periodTo": "2025-07-01",
      notifyEmail: "これはメールではない",
      "guarantees.contract.apply": "on",
      "guarantees.contract.amount": "1,000,000",
      "guarantees.contract.delivery": "paper",
      branchId: "wjcs-kagoshima",
      "contact.name": "鹿児島太郎",
      createKey: "form-all-errors-create",
      submitKey: "form-all-errors-submit",
      action: "submit",
    });
    const res = await fetch(`${base}/app/applications/new/`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "sec-fetch-site": "same-origin", cookie },
      body: form.toString(),
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("お知らせメールのアドレスの形式が正しくありません");
    expect(html).toContain("工期（至）は工期（自）以降の日付を入力してください");
    expect(html).toContain("連絡先電話番号を入力してください");
    expect(html).toContain("契約保証の保証金額は請負金額の10%");
    expect(html).toContain("全項目確認工事"); // nothing typed is lost
  });
});
