// One application that submits cleanly everywhere in the tests and benchmarks: 日置市 (adopted,
// by bid-announcement date from 2025-06-01; seed 001/003), a bid announced after the start, so
// electronic delivery is allowed. Override what a test is about.
import type { Certificate } from "../../edge/domain/certificate.ts";

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

/** A 前払金保証 for 日置市 as the documents print it (the PDFs' tests). */
export const sampleCertificate = (over: Partial<Certificate> = {}): Certificate => ({
  contractNumber: "2070004426",
  kind: "advance",
  kindLabel: "前払金保証",
  version: 1,
  versionLabel: "新規",
  status: "active",
  issuedAt: "2026-01-05T10:30:00+09:00",
  contractor: { name: "株式会社日置建設", address: "鹿児島県日置市伊集院町郡一丁目100番地" },
  beneficiary: "日置市長",
  projectName: "市道伊集院線改良工事（第２工区）",
  contractPrice: 50_000_000,
  amount: 20_000_000,
  periodFrom: "2025-07-01",
  periodTo: "2026-03-20",
  guaranteeUntil: "2026-03-20",
  depositBank: "鹿児島銀行　伊集院支店",
  guarantor: { id: "wjcs", name: "西日本建設業保証株式会社", branch: "鹿児島支店", tel: "099-257-2722", fax: "0120-504-180" },
  ...over,
});
