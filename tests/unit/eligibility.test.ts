import { describe, expect, it } from "vitest";
import { type AgencyRule, checkEligibility, type EligibilityInput } from "../../edge/domain/eligibility.ts";

// Rules shaped like the seeds' agencies (the content test checks the real entries separately).
const shimane: AgencyRule = {
  name: "島根県",
  status: "adopted",
  startsOn: "2023-06-01",
  startsOnPrecision: "day",
  basis: "contract",
  rules: [
    { works: ["construction"], guarantees: ["contract", "advance", "intermediate"] },
    // 「土木設計業務等委託契約は前払金保証のみ」 (seed 002)
    { works: ["consulting", "survey"], guarantees: ["advance"], exclusive: true },
  ],
  departments: ["総務部", "防災部", "農林水産部", "土木部"],
};
const hioki: AgencyRule = {
  name: "日置市",
  status: "adopted",
  startsOn: "2025-06-01",
  startsOnPrecision: "day",
  basis: "bid",
  // 「工事・建設コンサルタント等業務」 (seed 001): 測量 is not stated.
  rules: [{ works: ["construction", "consulting"], guarantees: ["advance", "intermediate", "contract"] }],
  departments: null,
};
const tableOnly: AgencyRule = {
  name: "佐賀市",
  status: "adopted",
  startsOn: "2023-06-01",
  startsOnPrecision: "month",
  basis: null,
  rules: null,
  departments: null,
};
const unknown: AgencyRule = {
  name: "某町",
  status: "unknown",
  startsOn: null,
  startsOnPrecision: null,
  basis: null,
  rules: null,
  departments: null,
};

const base: EligibilityInput = { guarantee: "advance", work: "construction", issuer: "surety" };
const decided = (rule: AgencyRule, input: Partial<EligibilityInput>) => {
  const result = checkEligibility(rule, { ...base, ...input });
  if (result.kind !== "decided") throw new Error(`expected a decision, got ${JSON.stringify(result)}`);
  expect(result.eligible).toBe(result.verdict === "eligible");
  return {
    verdict: result.verdict,
    eligible: result.eligible,
    codes: result.reasons.map((r) => r.code),
    messages: result.reasons.map((r) => r.message),
  };
};

describe("contract-date rule (島根県, seed 002)", () => {
  it("accepts a contract signed on the start date", () => {
    const r = decided(shimane, { contractedOn: "2023-06-01" });
    expect(r.eligible).toBe(true);
    expect(r.codes).toContain("eligible");
    expect(r.codes).toContain("departments_limited");
    expect(r.messages.join()).toContain("令和5年（2023年）6月1日");
  });
  it("refuses a contract signed the day before", () => {
    const r = decided(shimane, { contractedOn: "2023-05-31" });
    expect(r).toMatchObject({ eligible: false });
    expect(r.codes.at(-1)).toBe("before_start");
  });
  it("keeps a change contract on paper when the original contract predates the start", () => {
    const r = decided(shimane, { contractedOn: "2023-09-01", originalContractedOn: "2023-05-31" });
    expect(r.eligible).toBe(false);
    expect(r.codes.at(-1)).toBe("original_contract_before_start");
    expect(r.messages.at(-1)).toContain("書面");
  });
  it("accepts a change contract whose original contract is after the start", () => {
    expect(decided(shimane, { contractedOn: "2024-01-10", originalContractedOn: "2023-06-02" }).eligible).toBe(true);
  });
  it("limits consulting work to the advance-payment guarantee", () => {
    expect(decided(shimane, { contractedOn: "2024-01-10", work: "consulting", guarantee: "advance" }).eligible).toBe(true);
    const r = decided(shimane, { contractedOn: "2024-01-10", work: "consulting", guarantee: "contract" });
    expect(r.verdict).toBe("ineligible");
    expect(r.codes).toContain("guarantee_out_of_scope");
  });
  it("leaves a work type the source does not name open (要確認), not refused", () => {
    const r = decided(shimane, { contractedOn: "2024-01-10", work: "other" });
    expect(r.verdict).toBe("uncertain");
    expect(r.codes).toContain("work_not_stated");
  });
  it("refuses bank and insurer guarantees", () => {
    for (const issuer of ["bank", "insurer"] as const) {
      const r = decided(shimane, { contractedOn: "2024-01-10", issuer });
      expect(r.eligible).toBe(false);
      expect(r.codes).toEqual(["issuer_not_electronic"]);
    }
  });
  it("asks for the contract date when it is missing", () => {
    const result = checkEligibility(shimane, { ...base, bidAnnouncedOn: "2024-01-10" });
    expect(result).toMatchObject({ kind: "invalid", errors: [{ field: "contractedOn" }] });
  });
});

describe("bid-announcement rule (日置市, seed 001)", () => {
  it("decides by the announcement date, not the contract date", () => {
    expect(decided(hioki, { bidAnnouncedOn: "2025-06-01", contractedOn: "2025-07-01" }).eligible).toBe(true);
    const r = decided(hioki, { bidAnnouncedOn: "2025-05-30", contractedOn: "2025-07-01" });
    expect(r.eligible).toBe(false);
    expect(r.codes.at(-1)).toBe("before_start");
    expect(r.messages.at(-1)).toContain("入札公告日");
  });
  it("asks for the announcement date when only the contract date is given", () => {
    const result = checkEligibility(hioki, { ...base, contractedOn: "2025-07-01" });
    expect(result).toMatchObject({ kind: "invalid", errors: [{ field: "bidAnnouncedOn" }] });
  });
  it("never delivers a bid bond electronically", () => {
    const r = decided(hioki, { bidAnnouncedOn: "2025-07-01", guarantee: "bid_bond" });
    expect(r).toEqual({
      verdict: "ineligible",
      eligible: false,
      codes: ["bid_bond_not_electronic"],
      messages: [expect.stringContaining("入札ボンド")],
    });
  });
  it("is 要確認 for 測量, which 「工事・建設コンサルタント等業務」 does not state", () => {
    const r = decided(hioki, { bidAnnouncedOn: "2025-07-01", work: "survey" });
    expect(r.verdict).toBe("uncertain");
    expect(r.codes).toContain("work_not_stated");
    expect(r.messages.join()).toContain("測量");
    // Before the start it is 対象外 whatever the work.
    expect(decided(hioki, { bidAnnouncedOn: "2025-05-01", work: "survey" }).verdict).toBe("ineligible");
  });
});

describe("month-only table entries (seeds 001, 003)", () => {
  it("is 要確認 for a date in the start month, 対象外 before it, 対象 after it under either basis", () => {
    const inMonth = decided(tableOnly, { bidAnnouncedOn: "2023-06-02", contractedOn: "2023-06-15" });
    expect(inMonth.verdict).toBe("uncertain");
    expect(inMonth.codes).toEqual(["start_month_only", "scope_not_stated"]);
    // In the start month by bid, after it by contract: both the day and the basis leave it open.
    expect(decided(tableOnly, { bidAnnouncedOn: "2023-06-20", contractedOn: "2023-07-03" }).codes).toEqual(
      expect.arrayContaining(["start_month_only", "basis_unknown"]),
    );
    expect(decided(tableOnly, { contractedOn: "2023-05-31" }).verdict).toBe("ineligible");
    const later = decided(tableOnly, { bidAnnouncedOn: "2023-07-03", contractedOn: "2023-07-20" });
    expect(later.verdict).toBe("eligible");
    expect(later.codes).toEqual(expect.arrayContaining(["basis_settled", "scope_not_stated", "eligible"]));
  });
  it("is 要確認 when the unstated basis changes the answer", () => {
    // Announced before the start month, contracted after: by bid 対象外, by contract 対象.
    const split = decided(tableOnly, { bidAnnouncedOn: "2023-05-20", contractedOn: "2023-07-10" });
    expect(split.verdict).toBe("uncertain");
    expect(split.codes).toContain("basis_unknown");
    // Only a contract date after the start: the bid may have been announced before it.
    const contractOnly = decided(tableOnly, { contractedOn: "2023-09-01" });
    expect(contractOnly.verdict).toBe("uncertain");
    expect(contractOnly.messages.join()).toContain("入札公告日も入力すると");
  });
  it("uses the start month for a basis-stated rule too: its own month is 要確認", () => {
    const byContract: AgencyRule = { ...tableOnly, basis: "contract" };
    const r = decided(byContract, { contractedOn: "2023-06-30" });
    expect(r.verdict).toBe("uncertain");
    expect(r.codes).toEqual(["start_month_only", "scope_not_stated"]);
    expect(decided(byContract, { contractedOn: "2023-07-01" }).verdict).toBe("eligible");
  });
  it("asks for either date when the source gives no basis", () => {
    const result = checkEligibility(tableOnly, base);
    expect(result).toMatchObject({
      kind: "invalid",
      errors: [{ field: "contractedOn", message: expect.stringContaining("または入札公告日") }],
    });
  });
  it("decides from an announcement after the start month alone (the contract came later still)", () => {
    expect(decided(tableOnly, { bidAnnouncedOn: "2023-07-01" }).verdict).toBe("eligible");
    expect(decided(tableOnly, { bidAnnouncedOn: "2023-05-01" }).verdict).toBe("uncertain");
  });
});

describe("agencies without adoption facts", () => {
  it("says 要確認 (no information), not 対象外, for an agency the sources do not name", () => {
    const r = decided(unknown, { contractedOn: "2025-01-01" });
    expect(r.verdict).toBe("uncertain");
    expect(r.eligible).toBe(false);
    expect(r.codes).toEqual(["agency_adoption_unknown"]);
    expect(r.messages[0]).toContain("導入していないとは限りません");
  });
  it("says 要確認 where a source said the agency had not adopted: it may have since (issue 9)", () => {
    const r = decided({ ...unknown, status: "none" }, {});
    expect(r.verdict).toBe("uncertain");
    expect(r.codes).toContain("agency_not_adopted");
  });
  it("says 要確認 for a listed body without a start date", () => {
    const listed: AgencyRule = { ...unknown, name: "防衛省", status: "adopted" };
    const r = decided(listed, {});
    expect(r.verdict).toBe("uncertain");
    expect(r.codes).toContain("start_date_unknown");
  });
});

describe("input errors", () => {
  it("rejects an original contract date after the change contract", () => {
    const result = checkEligibility(shimane, { ...base, contractedOn: "2024-01-01", originalContractedOn: "2024-02-01" });
    expect(result).toMatchObject({ kind: "invalid", errors: [{ field: "originalContractedOn" }] });
  });
});
