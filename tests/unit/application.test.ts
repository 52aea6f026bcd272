// The application's rules as pure functions: draft types, every submit rule, the verdict mapping.
import { describe, expect, it } from "vitest";
import {
  ApplicationDraft,
  deliveryVerdict,
  isFullWidth,
  isPhoneNumber,
  MAX_YEN,
  mergeDraft,
  percentLimits,
  percentOf,
  submittable,
} from "../../edge/domain/application.ts";
import type { AgencyRule } from "../../edge/domain/eligibility.ts";

const hioki: AgencyRule = {
  name: "日置市",
  status: "adopted",
  startsOn: "2025-06-01",
  startsOnPrecision: "day",
  basis: "bid",
  rules: [{ works: ["construction", "consulting"], guarantees: ["advance", "intermediate", "contract"] }],
  departments: null,
};
const monthOnly: AgencyRule = {
  name: "松江市",
  status: "adopted",
  startsOn: "2024-06-01",
  startsOnPrecision: "month",
  basis: null,
  rules: null,
  departments: null,
};
const unknown: AgencyRule = {
  name: "東京都",
  status: "unknown",
  startsOn: null,
  startsOnPrecision: null,
  basis: null,
  rules: null,
  departments: null,
};
const undatedAdoption: AgencyRule = { ...unknown, name: "某機構", status: "adopted" };

type Draft = ApplicationDraft;
const valid = (): Draft => ({
  project: {
    name: "市道改良工事",
    agencyId: "462161",
    beneficiary: "日置市長",
    location: "鹿児島県日置市伊集院町",
    workType: "construction",
    contractPrice: 50_000_000,
    periodFrom: "2025-07-01",
    periodTo: "2026-03-20",
    bidAnnouncedOn: "2025-06-02",
    contractedOn: "2025-06-25",
  },
  guarantees: [
    { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: "鹿児島銀行　本店" },
    { kind: "contract", amount: 5_000_000, delivery: "electronic" },
  ],
  branchId: "wjcs-kagoshima",
  contact: { name: "鹿児島太郎", phone: "099-000-0000" },
});
const withProject = (project: Partial<NonNullable<Draft["project"]>>, base = valid()): Draft => ({
  ...base,
  project: { ...base.project, ...project },
});
const withGuarantees = (guarantees: NonNullable<Draft["guarantees"]>, base = valid()): Draft => ({ ...base, guarantees });

function errorsOf(draft: Draft, rule: AgencyRule | null = hioki) {
  const result = submittable(ApplicationDraft.parse(draft), rule ?? undefined);
  return result.ok ? [] : result.errors;
}
const fields = (draft: Draft, rule?: AgencyRule | null) => errorsOf(draft, rule).map((e) => e.field);
const messageAt = (draft: Draft, field: string, rule?: AgencyRule | null) => errorsOf(draft, rule).find((e) => e.field === field)?.message;

describe("ApplicationDraft (what a save accepts)", () => {
  it("accepts an empty and a partial draft", () => {
    expect(ApplicationDraft.safeParse({}).success).toBe(true);
    expect(ApplicationDraft.safeParse({ project: { name: "途中まで" }, guarantees: [{ kind: "advance" }] }).success).toBe(true);
    expect(ApplicationDraft.safeParse({ project: { name: null } }).success).toBe(true);
  });
  it.each([
    ["a fraction", 1.5],
    ["a string", "1000000"],
    ["a negative", -1],
    ["zero", 0],
    ["more than 1兆", MAX_YEN + 1],
  ])("refuses %s as an amount, in Japanese", (_, amount) => {
    const result = ApplicationDraft.safeParse({ guarantees: [{ amount }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["guarantees", 0, "amount"]);
    expect(result.error?.issues[0]?.message).toMatch(/^保証金額は1円以上1,000,000,000,000円以下の整数/);
  });
  it("accepts 1兆 exactly", () => {
    expect(ApplicationDraft.safeParse({ project: { contractPrice: MAX_YEN } }).success).toBe(true);
  });
  it("states the length limit of a 10,000-character name", () => {
    const result = ApplicationDraft.safeParse({ project: { name: "あ".repeat(10_000) } });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["project.name", "工事名は200文字以内で入力してください"],
    ]);
  });
  it("refuses control characters in one-line fields, allows newlines in the message", () => {
    expect(ApplicationDraft.safeParse({ project: { name: "工事\u0000名" } }).error?.issues[0]?.message).toBe(
      "工事名に改行や制御文字は使えません",
    );
    expect(ApplicationDraft.safeParse({ message: "一行目\n二行目" }).success).toBe(true);
    expect(ApplicationDraft.safeParse({ message: "あ".repeat(2001) }).error?.issues[0]?.message).toBe(
      "連絡事項は2000文字以内で入力してください",
    );
  });
  it("keeps hostile but valid text verbatim", () => {
    const name = `<script>alert("x")</script>'; DROP TABLE applications; --`;
    expect(ApplicationDraft.parse({ project: { name } }).project?.name).toBe(name);
  });
  it("checks dates, choices and at most 4 guarantees", () => {
    const result = ApplicationDraft.safeParse({
      project: { periodFrom: "2025-02-30", workType: "building" },
      guarantees: Array.from({ length: 5 }, () => ({ kind: "advance" })),
    });
    const issues = result.error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];
    expect(issues).toContainEqual(["project.periodFrom", "工期（自）は実在する日付で入力してください"]);
    expect(issues.find(([f]) => f === "project.workType")?.[1]).toMatch(/^工事・業務の種類は construction（工事）/);
    expect(issues).toContainEqual(["guarantees", "保証は4件までです"]);
  });
});

describe("submittable: required fields", () => {
  it("returns every missing field at once, with dotted paths and Japanese messages", () => {
    const result = submittable({}, undefined);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        "project.name",
        "project.agencyId",
        "project.beneficiary",
        "project.location",
        "project.workType",
        "project.contractPrice",
        "project.periodFrom",
        "project.periodTo",
        "guarantees",
        "branchId",
        "contact.name",
        "contact.phone",
      ].sort(),
    );
    expect(errors.find((e) => e.field === "project.name")?.message).toBe("工事名を入力してください");
    expect(errors.find((e) => e.field === "project.periodFrom")?.message).toBe("工期（自）を入力してください");
    expect(errors.find((e) => e.field === "guarantees")?.message).toBe("申し込む保証を1件以上選んでください");
  });
  it("treats blank text as missing", () => {
    expect(messageAt(withProject({ name: "　 " }), "project.name")).toBe("工事名を入力してください");
  });
  it("requires kind, amount and delivery of each guarantee", () => {
    expect(fields(withGuarantees([{ kind: "contract" }])).sort()).toEqual(["guarantees.0.amount", "guarantees.0.delivery"]);
  });
  it("passes a complete application, typed", () => {
    const result = submittable(valid(), hioki);
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (result.ok) expect(result.application.project.contractPrice).toBe(50_000_000);
  });
  it("requires the date the agency's rule needs for electronic delivery (bid announcement for 日置市)", () => {
    const draft = withProject({ bidAnnouncedOn: null });
    expect(messageAt(draft, "project.bidAnnouncedOn")).toMatch(/日置市は入札公告日を基準に判定します/);
    // on paper the date is not needed
    const paper = withGuarantees([{ kind: "contract", amount: 5_000_000, delivery: "paper" }], draft);
    expect(errorsOf(paper)).toEqual([]);
  });
  it("refuses an agency id that names no agency", () => {
    expect(messageAt(valid(), "project.agencyId", null)).toBe("該当する発注者が見つかりません。一覧から選んでください");
  });
  it("checks the phone number", () => {
    expect(isPhoneNumber("099-000-0000")).toBe(true);
    expect(isPhoneNumber("０９９−０００−００００")).toBe(true);
    expect(isPhoneNumber("090 1234 5678")).toBe(true);
    expect(isPhoneNumber("０９９－０００－００００")).toBe(true);
    expect(isPhoneNumber("12345")).toBe(false);
    expect(isPhoneNumber("call me")).toBe(false);
    expect(messageAt({ ...valid(), contact: { name: "担当", phone: "123" } }, "contact.phone")).toMatch(/10〜13桁/);
  });
});

describe("submittable: the deposit bank (全角)", () => {
  it("names the rule: isFullWidth", () => {
    expect(isFullWidth("鹿児島銀行　本店")).toBe(true);
    expect(isFullWidth("Kagoshima Bank")).toBe(false);
    expect(isFullWidth("ｶｺﾞｼﾏ")).toBe(false);
    expect(isFullWidth("鹿児島銀行 本店")).toBe(false); // a half-width space
    expect(isFullWidth("")).toBe(false);
  });
  it.each([["Kagoshima Bank"], ["ｶｺﾞｼﾏ"]])("refuses %s on submit", (bank) => {
    const draft = withGuarantees([{ kind: "advance", amount: 1_000_000, delivery: "paper", depositBank: bank }]);
    expect(messageAt(draft, "guarantees.0.depositBank")).toMatch(/^預託金融機関は全角で入力してください/);
  });
  it("requires it for an advance", () => {
    const draft = withGuarantees([{ kind: "advance", amount: 1_000_000, delivery: "paper" }]);
    expect(messageAt(draft, "guarantees.0.depositBank")).toMatch(/^前払金保証には預託金融機関/);
  });
});

describe("submittable: amounts as a share of the contract price (integer arithmetic)", () => {
  const price = 10_000_001; // not divisible: the limits fall between two yen
  const one = (
    kind: "advance" | "intermediate" | "contract" | "bid_bond",
    amount: number,
    workType: "construction" | "consulting" | "survey" = "construction",
  ) =>
    withProject(
      { contractPrice: price, workType },
      withGuarantees([{ kind, amount, delivery: "paper", ...(kind === "advance" ? { depositBank: "鹿児島銀行　本店" } : {}) }]),
    );
  const amountError = (draft: Draft) => messageAt(draft, "guarantees.0.amount");
  it("advance: at most 40 % (4,000,000.4 yen → 4,000,000 ok, 4,000,001 not)", () => {
    expect(amountError(one("advance", 4_000_000))).toBeUndefined();
    expect(amountError(one("advance", 4_000_001))).toBe("前払金保証の保証金額は請負金額の40%（4,000,000円）以内で入力してください");
  });
  it.each(["consulting", "survey"] as const)("advance for %s work: at most 30 %", (work) => {
    expect(amountError(one("advance", 3_000_000, work))).toBeUndefined();
    expect(amountError(one("advance", 3_000_001, work))).toMatch(/^前払金保証の保証金額は請負金額の30%（3,000,000円）以内/);
  });
  it("intermediate: at most 20 %", () => {
    expect(amountError(one("intermediate", 2_000_000))).toBeUndefined();
    expect(amountError(one("intermediate", 2_000_001))).toMatch(/^中間前払金保証の保証金額は請負金額の20%/);
  });
  it("contract: at least 10 % (1,000,000.1 yen → 1,000,001 ok, 1,000,000 not)", () => {
    expect(amountError(one("contract", 1_000_001))).toBeUndefined();
    expect(amountError(one("contract", 1_000_000))).toBe("契約保証の保証金額は請負金額の10%（1,000,001円）以上で入力してください");
  });
  it("exact boundaries at a round price, and no float error at 1兆", () => {
    const at = (kind: "advance" | "contract", amount: number, contractPrice: number) =>
      amountError(withProject({ contractPrice }, one(kind, amount)));
    expect(at("advance", 40, 100)).toBeUndefined();
    expect(at("advance", 41, 100)).toBeDefined();
    expect(at("contract", 10, 100)).toBeUndefined();
    expect(at("contract", 9, 100)).toBeDefined();
    expect(at("advance", 400_000_000_000, MAX_YEN)).toBeUndefined();
    expect(at("advance", 400_000_000_001, MAX_YEN)).toBeDefined();
  });
  it("no guarantee above the contract price; this year's amount not above it either", () => {
    expect(amountError(one("bid_bond", price + 1))).toMatch(/請負金額（10,000,001円）以下/);
    expect(messageAt(withProject({ contractPrice: 100, fiscalYearAmount: 101 }), "project.fiscalYearAmount")).toMatch(
      /^今年度対象額は請負金額/,
    );
  });
  it("percentLimits and percentOf", () => {
    expect(percentLimits("advance", "survey")).toEqual({ min: null, max: 30 });
    expect(percentLimits("advance", "other")).toEqual({ min: null, max: 40 });
    expect(percentOf(20_000_000, 50_000_000)).toBe(40);
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(5, null)).toBeNull();
    expect(percentOf(5, 0)).toBeNull();
    expect(percentOf(1.5, 10)).toBeNull();
  });
});

describe("submittable: dates and guarantees", () => {
  it("periodTo not before periodFrom", () => {
    expect(messageAt(withProject({ periodFrom: "2025-07-01", periodTo: "2025-06-30" }), "project.periodTo")).toBe(
      "工期（至）は工期（自）以降の日付を入力してください",
    );
    expect(fields(withProject({ periodFrom: "2025-07-01", periodTo: "2025-07-01" }))).toEqual([]);
  });
  it("contractedOn not before bidAnnouncedOn", () => {
    expect(messageAt(withProject({ bidAnnouncedOn: "2025-06-10", contractedOn: "2025-06-09" }), "project.contractedOn")).toBe(
      "契約締結日は入札公告日以降の日付を入力してください",
    );
  });
  it("originalContractedOn not after contractedOn", () => {
    expect(messageAt(withProject({ originalContractedOn: "2025-06-26" }), "project.originalContractedOn")).toMatch(/^当初契約日は/);
  });
  it("each kind once", () => {
    const g = { kind: "contract", amount: 5_000_000, delivery: "paper" } as const;
    expect(messageAt(withGuarantees([g, g]), "guarantees.1.kind")).toBe("契約保証は1件だけ申し込めます");
  });
  it("reports errors of several fields together", () => {
    const draft = withProject(
      { periodTo: "2025-01-01", contractPrice: 100 },
      withGuarantees([{ kind: "advance", amount: 41, delivery: "paper", depositBank: "abc" }]),
    );
    expect(fields(draft).sort()).toEqual(["guarantees.0.amount", "guarantees.0.depositBank", "project.periodTo"]);
  });
});

describe("submittable: electronic delivery", () => {
  const electronicContract = (project: Partial<NonNullable<Draft["project"]>>) =>
    withProject(project, withGuarantees([{ kind: "contract", amount: 5_000_000, delivery: "electronic" }]));
  it("allows an eligible case without warning", () => {
    expect(submittable(electronicContract({}), hioki)).toMatchObject({ ok: true, warnings: [] });
  });
  it("refuses a bid announced before the start (日置市: 2025-05-31), and allows paper", () => {
    const draft = electronicContract({ bidAnnouncedOn: "2025-05-31", contractedOn: "2025-06-20" });
    expect(messageAt(draft, "guarantees.0.delivery")).toMatch(/^契約保証は電子保証を選べません（入札公告日.*導入日.*より前/);
    const paper = withGuarantees([{ kind: "contract", amount: 5_000_000, delivery: "paper" }], draft);
    expect(errorsOf(paper)).toEqual([]);
  });
  it("accepts work the agency's source does not name (要確認) with a warning, not an error", () => {
    const result = submittable(electronicContract({ workType: "survey" }), hioki);
    expect(result.ok).toBe(true);
    expect(result.warnings[0]?.reasons.map((r) => r.code)).toContain("work_not_stated");
  });
  it("refuses a guarantee the source excludes for that work", () => {
    const limited: AgencyRule = { ...hioki, rules: [{ works: ["construction"], guarantees: ["advance"], exclusive: true }] };
    expect(messageAt(electronicContract({}), "guarantees.0.delivery", limited)).toMatch(/契約保証は対象外です/);
  });
  it("refuses an agency with no adoption on record", () => {
    expect(messageAt(electronicContract({}), "guarantees.0.delivery", unknown)).toMatch(/東京都が電子保証を導入したかどうかは/);
  });
  it("never a bid bond", () => {
    const draft = withGuarantees([{ kind: "bid_bond", amount: 1_000_000, delivery: "electronic" }]);
    expect(messageAt(draft, "guarantees.0.delivery")).toBe("契約保証予約（入札ボンド）は電子保証の対象外です。証書（紙）を選んでください");
  });
  it("allows an open case of an adopted agency with a warning, not an error", () => {
    // Announced and contracted in the start month, which the source gives without a day.
    const result = submittable(electronicContract({ bidAnnouncedOn: "2024-06-03", contractedOn: "2024-06-20" }), monthOnly);
    expect(result.ok).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ field: "guarantees.0.delivery", code: "electronic_uncertain" });
    expect(result.warnings[0]?.message).toMatch(/^契約保証を電子保証で受け付けられるかは資料だけでは確定できません/);
    expect(result.warnings[0]?.reasons.map((r) => r.code)).toContain("start_month_only");
    // Well after the start month, by either date: no warning.
    expect(submittable(electronicContract({ bidAnnouncedOn: "2025-01-06", contractedOn: "2025-01-20" }), monthOnly).warnings).toEqual([]);
  });
  it("warns for an adopted agency whose start date is unknown", () => {
    const result = submittable(electronicContract({}), undatedAdoption);
    expect(result.ok).toBe(true);
    expect(result.warnings[0]?.reasons.map((r) => r.code)).toContain("start_date_unknown");
  });
});

describe("deliveryVerdict (the one mapping of reasons to verdicts)", () => {
  const input = { guarantee: "advance", work: "construction", issuer: "surety" } as const;
  const settled: AgencyRule = { ...monthOnly, rules: [{ works: ["construction"], guarantees: ["advance"] }] };
  it("eligible when nothing is left open", () => {
    expect(deliveryVerdict(hioki, { ...input, bidAnnouncedOn: "2025-06-01" }).verdict).toBe("eligible");
  });
  it("a start known only to the month is open only for a date in that month", () => {
    const b = { bidAnnouncedOn: "2024-06-15", contractedOn: "2024-06-20" };
    expect(deliveryVerdict(settled, { ...input, ...b })).toMatchObject({ verdict: "uncertain", open: [{ code: "start_month_only" }] });
    expect(deliveryVerdict(settled, { ...input, bidAnnouncedOn: "2024-07-01", contractedOn: "2024-07-20" }).verdict).toBe("eligible");
    expect(deliveryVerdict(settled, { ...input, bidAnnouncedOn: "2024-05-01", contractedOn: "2024-05-20" }).verdict).toBe("ineligible");
  });
  it("an unknown basis matters only while the bid date could fall before the start", () => {
    expect(deliveryVerdict(settled, { ...input, contractedOn: "2024-09-01" })).toMatchObject({
      verdict: "uncertain",
      open: [{ code: "basis_unknown" }],
    });
    expect(deliveryVerdict(settled, { ...input, bidAnnouncedOn: "2024-08-01", contractedOn: "2024-09-01" }).verdict).toBe("eligible");
  });
  it("ineligible and invalid pass through", () => {
    expect(deliveryVerdict(unknown, input).verdict).toBe("ineligible");
    expect(deliveryVerdict(hioki, input)).toMatchObject({ verdict: "invalid", errors: [{ field: "bidAnnouncedOn" }] });
  });
});

describe("mergeDraft (PATCH)", () => {
  it("merges objects, replaces arrays, removes on null", () => {
    const base = { project: { name: "旧", location: "鹿児島" }, guarantees: [{ kind: "advance" }, { kind: "contract" }], message: "a" };
    const patch = { project: { name: "新" }, guarantees: [{ kind: "contract" }], message: null };
    expect(mergeDraft(base, patch)).toEqual({ project: { name: "新", location: "鹿児島" }, guarantees: [{ kind: "contract" }] });
  });
});
