// Closed vocabularies as plain data: no zod here, so browser bundles (the checker, search) stay
// small. vocabulary.ts wraps these in zod enums for the API and content schemas.
export const guaranteeKinds = ["advance", "intermediate", "contract", "bid_bond"] as const;
export type GuaranteeKind = (typeof guaranteeKinds)[number];

/** The guarantees that can be delivered electronically at all (bid bonds never can: seeds 000, 001, 003). */
export const electronicGuaranteeKinds = ["advance", "intermediate", "contract"] as const;
export type ElectronicGuaranteeKind = (typeof electronicGuaranteeKinds)[number];

export const workTypes = ["construction", "consulting", "survey", "other"] as const;
export type WorkType = (typeof workTypes)[number];

export const issuers = ["surety", "bank", "insurer"] as const;
export type Issuer = (typeof issuers)[number];

export const guarantorIds = ["wjcs", "ejcs", "hkcs"] as const;
export type GuarantorId = (typeof guarantorIds)[number];

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
export type AgencyKind = (typeof agencyKinds)[number];

export const adoptionStatuses = ["adopted", "scheduled", "none", "unknown"] as const;
export type AdoptionStatus = (typeof adoptionStatuses)[number];

export const bases = ["contract", "bid"] as const;
export type Basis = (typeof bases)[number];

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
