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
    { works: ["consulting", "survey"], guarantees: ["advance"] },
  ],
  departments: ["総務部", "防災部", "農林水産部", "土木部"],
};
const hioki: AgencyRule = {
  name: "日置市",
  status: "adopted",
  startsOn: "2025-06-01",
  startsOnPrecision: "day",
  basis: "bid",
  rules: [{ works: ["construction", "consulting", "survey"], guarantees: ["advance", "intermediate", "contract"] }],
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
  return { eligible: result.eligible, codes: result.reasons.map((r) => r.code), messages: result.reasons.map((r) => r.message) };
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
    expect(r.eligible).toBe(false);
    expect(r.codes.at(-1)).toBe("guarantee_out_of_scope");
  });
  it("refuses work types outside the scope", () => {
    expect(decided(shimane, { contractedOn: "2024-01-10", work: "other" }).codes.at(-1)).toBe("work_out_of_scope");
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
    expect(r).toEqual({ eligible: false, codes: ["bid_bond_not_electronic"], messages: [expect.stringContaining("入札ボンド")] });
  });
});

describe("month-only table entries (seeds 001, 003)", () => {
  it("decides from the first of the month and says the basis and day are uncertain", () => {
    const r = decided(tableOnly, { contractedOn: "2023-06-15" });
    expect(r.eligible).toBe(true);
    expect(r.codes).toEqual(expect.arrayContaining(["basis_unknown", "start_month_only", "scope_not_stated", "eligible"]));
    expect(decided(tableOnly, { contractedOn: "2023-05-31" }).eligible).toBe(false);
  });
  it("asks for either date when the source gives no basis", () => {
    const result = checkEligibility(tableOnly, base);
    expect(result).toMatchObject({
      kind: "invalid",
      errors: [{ field: "contractedOn", message: expect.stringContaining("または入札公告日") }],
    });
  });
  it("falls back to the announcement date when no contract date is given", () => {
    expect(decided(tableOnly, { bidAnnouncedOn: "2023-07-01" }).eligible).toBe(true);
  });
});

describe("agencies without adoption facts", () => {
  it("says unknown, not no", () => {
    const r = decided(unknown, { contractedOn: "2025-01-01" });
    expect(r.eligible).toBe(false);
    expect(r.codes).toEqual(["agency_adoption_unknown"]);
  });
  it("treats a listed body without a start date as adopted, with a warning", () => {
    const listed: AgencyRule = { ...unknown, name: "防衛省", status: "adopted" };
    const r = decided(listed, {});
    expect(r.eligible).toBe(true);
    expect(r.codes).toContain("start_date_unknown");
  });
});

describe("input errors", () => {
  it("rejects an original contract date after the change contract", () => {
    const result = checkEligibility(shimane, { ...base, contractedOn: "2024-01-01", originalContractedOn: "2024-02-01" });
    expect(result).toMatchObject({ kind: "invalid", errors: [{ field: "originalContractedOn" }] });
  });
});
