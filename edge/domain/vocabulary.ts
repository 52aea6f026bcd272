// Closed vocabularies shared by content, the API and the pages.
import { z } from "zod";

export const guaranteeKinds = ["advance", "intermediate", "contract", "bid_bond"] as const;
export const GuaranteeKind = z.enum(guaranteeKinds);
export type GuaranteeKind = z.infer<typeof GuaranteeKind>;

/** The guarantees that can be delivered electronically at all (bid bonds never can: seeds 000, 001, 003). */
export const electronicGuaranteeKinds = ["advance", "intermediate", "contract"] as const;
export const ElectronicGuaranteeKind = z.enum(electronicGuaranteeKinds);
export type ElectronicGuaranteeKind = z.infer<typeof ElectronicGuaranteeKind>;

export const workTypes = ["construction", "consulting", "survey", "other"] as const;
export const WorkType = z.enum(workTypes);
export type WorkType = z.infer<typeof WorkType>;

export const issuers = ["surety", "bank", "insurer"] as const;
export const Issuer = z.enum(issuers);
export type Issuer = z.infer<typeof Issuer>;

export const guarantorIds = ["wjcs", "ejcs", "hkcs"] as const;
export const GuarantorId = z.enum(guarantorIds);
export type GuarantorId = z.infer<typeof GuarantorId>;

export const agencyKinds = [
  "national",
  "independent_agency",
  "public_body",
  "prefecture",
  "city",
  "special_ward",
  "town",
  "village",
] as const;
export const AgencyKind = z.enum(agencyKinds);
export type AgencyKind = z.infer<typeof AgencyKind>;

export const adoptionStatuses = ["adopted", "scheduled", "none", "unknown"] as const;
export const AdoptionStatus = z.enum(adoptionStatuses);
export type AdoptionStatus = z.infer<typeof AdoptionStatus>;

export const Basis = z.enum(["contract", "bid"]);
export type Basis = z.infer<typeof Basis>;

export const labels = {
  guarantee: {
    advance: "前払金保証",
    intermediate: "中間前払金保証",
    contract: "契約保証",
    bid_bond: "契約保証予約（入札ボンド）",
  },
  work: {
    construction: "工事",
    consulting: "建設コンサルタント業務",
    survey: "測量",
    other: "その他の業務委託",
  },
  issuer: { surety: "保証事業会社", bank: "銀行", insurer: "保険会社" },
  kind: {
    national: "国の機関",
    independent_agency: "独立行政法人等",
    public_body: "その他公共的団体",
    prefecture: "都道府県",
    city: "市",
    special_ward: "特別区",
    town: "町",
    village: "村",
  },
  status: { adopted: "導入済み", scheduled: "導入予定", none: "導入なし", unknown: "情報なし" },
  basis: { contract: "契約締結日", bid: "入札公告日" },
} as const satisfies {
  guarantee: Record<GuaranteeKind, string>;
  work: Record<WorkType, string>;
  issuer: Record<Issuer, string>;
  kind: Record<AgencyKind, string>;
  status: Record<AdoptionStatus, string>;
  basis: Record<Basis, string>;
};
