// The report rules every door shares (edge/domain/report.ts): cleaning, field checks, and how the
// form reads an agency typed by name.
import { describe, expect, it } from "vitest";
import { agencyLabel, cleanReport, cleanText, isContact, isWebUrl, pickAgency } from "../../edge/domain/report.ts";

const agencies = [
  { id: "462161", name: "日置市", prefecture: "鹿児島県" },
  { id: "460001", name: "鹿児島県", prefecture: "鹿児島県" },
  { id: "132063", name: "府中市", prefecture: "東京都" },
  { id: "342084", name: "府中市", prefecture: "広島県" },
  { id: "mlit", name: "国土交通省", prefecture: null },
];

describe("cleanText", () => {
  it("takes out controls, zero-width, bidi, tag and variation characters; keeps line breaks only in the message", () => {
    expect(cleanText("a\u0000b\u0007c\u001b[31md\u007f\u0085e")).toBe("abc[31mde");
    expect(cleanText("\u200bＡ\u200d\u202e\u2066x\u2069\ufeff\u{E0041}\ufe0f")).toBe("Ａx");
    expect(cleanText("一行目\r\n二行目\r三行目", true)).toBe("一行目\n二行目\n三行目");
    expect(cleanText("一行目\n二行目\t")).toBe("一行目 二行目");
    expect(cleanText("  \u3000全角スペースは残す\u3000  ")).toBe("全角スペースは残す");
  });
});

describe("cleanReport", () => {
  it("counts characters as people do, after cleaning, and drops blank optional fields", () => {
    expect(cleanReport({ agencyId: "462161", message: `${"𠮷".repeat(2000)}\u200b`, sourceUrl: " ", contact: null })).toEqual({
      ok: true,
      report: { agencyId: "462161", message: "𠮷".repeat(2000) },
    });
    const bad = cleanReport({ agencyId: "", message: "\u200b", sourceUrl: "javascript:alert(1)", contact: "山田" });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(["agencyId", "message", "sourceUrl", "contact"]);
  });
  it("takes http(s) URLs with a host and no credentials, and an e-mail or a phone number as contact", () => {
    expect(isWebUrl("https://www.city.hioki.kagoshima.jp/a?b=1#c")).toBe(true);
    for (const url of ["http://", "https://user:pw@example.jp/", "ftp://example.jp", "www.example.jp", "javascript:alert(1)"])
      expect(isWebUrl(url)).toBe(false);
    for (const c of ["a@example.jp", "099-273-1111", "０９９（２７３）１１１１", "+81 99 273 1111"]) expect(isContact(c)).toBe(true);
    for (const c of ["山田", "1234", "a@b"]) expect(isContact(c)).toBe(false);
  });
});

describe("pickAgency", () => {
  it("reads an id, a name, prefecture and name, or the form's own label", () => {
    expect(pickAgency("462161", agencies)).toEqual({ agency: agencies[0] });
    expect(pickAgency("日置市", agencies)).toEqual({ agency: agencies[0] });
    expect(pickAgency("鹿児島県 日置市", agencies)).toEqual({ agency: agencies[0] });
    expect(pickAgency("日置市（鹿児島県）", agencies)).toEqual({ agency: agencies[0] });
    expect(pickAgency("鹿児島県", agencies)).toEqual({ agency: agencies[1] });
    expect(pickAgency("国土交通省", agencies)).toEqual({ agency: agencies[4] });
    expect(agencyLabel({ id: "462161", name: "日置市", prefecture: "鹿児島県" })).toBe("日置市（鹿児島県）");
    expect(agencyLabel({ id: "mlit", name: "国土交通省", prefecture: null })).toBe("国土交通省");
  });
  it("says when a name alone fits several, and finds one agency listed twice once", () => {
    expect(pickAgency("府中市", agencies)).toEqual({ ambiguous: [agencies[2], agencies[3]] });
    expect(pickAgency("広島県府中市", agencies)).toEqual({ agency: agencies[3] });
    expect(pickAgency("鹿児島県日置市", [...agencies, ...agencies])).toEqual({ agency: agencies[0] });
    expect(pickAgency("どこか", agencies)).toBeNull();
    expect(pickAgency("  ", agencies)).toBeNull();
  });
});
