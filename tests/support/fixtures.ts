// One application that submits cleanly everywhere in the tests and benchmarks: 日置市 (adopted,
// by bid-announcement date from 2025-06-01; seed 001/003), a bid announced after the start, so
// electronic delivery is allowed. Override what a test is about.
export interface FixtureGuarantee {
  kind: "advance" | "intermediate" | "contract" | "bid_bond";
  amount: number;
  delivery: "electronic" | "paper";
  depositBank?: string;
}

export const hiokiProject = (name = "市道伊集院線改良工事") => ({
  name,
  agencyId: "462161",
  beneficiary: "日置市長",
  location: "鹿児島県日置市伊集院町",
  workType: "construction",
  contractPrice: 50_000_000,
  periodFrom: "2025-07-01",
  periodTo: "2026-03-20",
  bidAnnouncedOn: "2025-06-02",
  contractedOn: "2025-06-25",
});

export const advance = (delivery: "electronic" | "paper" = "electronic"): FixtureGuarantee => ({
  kind: "advance",
  amount: 20_000_000,
  delivery,
  depositBank: "鹿児島銀行　本店",
});
export const contract = (delivery: "electronic" | "paper" = "electronic"): FixtureGuarantee => ({
  kind: "contract",
  amount: 5_000_000,
  delivery,
});

export function hiokiApplication(
  options: { name?: string; guarantees?: FixtureGuarantee[]; branchId?: string; notifyEmail?: string } = {},
) {
  return {
    project: hiokiProject(options.name),
    guarantees: options.guarantees ?? [contract()],
    branchId: options.branchId ?? "wjcs-kagoshima",
    ...(options.notifyEmail === undefined ? {} : { notifyEmail: options.notifyEmail }),
    contact: { name: "鹿児島太郎", phone: "099-000-0000" },
  };
}
