// The eligibility rule: may this guarantee for this job be delivered electronically?
// One pure function serves the API (GET /api/v1/eligibility) and the browser checker.
import { formatWareki } from "./era.ts";
import type { AdoptionStatus, Basis, ElectronicGuaranteeKind, GuaranteeKind, Issuer, WorkType } from "./terms.ts";
import { labels } from "./terms.ts";

export interface AgencyRule {
  name: string;
  status: AdoptionStatus;
  startsOn: string | null;
  startsOnPrecision: "day" | "month" | null;
  basis: Basis | null;
  rules: readonly { works: readonly WorkType[]; guarantees: readonly ElectronicGuaranteeKind[] }[] | null;
  departments: readonly string[] | null;
}

export interface EligibilityInput {
  guarantee: GuaranteeKind;
  work: WorkType;
  issuer: Issuer;
  bidAnnouncedOn?: string | undefined;
  contractedOn?: string | undefined;
  /** For a change contract: the date the original contract was signed. */
  originalContractedOn?: string | undefined;
}

export interface Reason {
  code: string;
  message: string;
}

export type DateField = "bidAnnouncedOn" | "contractedOn" | "originalContractedOn";

export type EligibilityResult =
  | { kind: "decided"; eligible: boolean; reasons: Reason[] }
  | { kind: "invalid"; errors: { field: DateField; message: string }[] };

const day = (iso: string) => formatWareki(iso, { western: true });
const fieldLabel: Record<DateField, string> = {
  bidAnnouncedOn: "入札公告日",
  contractedOn: "契約締結日",
  originalContractedOn: "当初契約日",
};

/** The date the rule compares with the start date, or the fields the user still has to give. */
function referenceDate(rule: AgencyRule, input: EligibilityInput): { field: DateField; date: string } | { missing: DateField } {
  const contract = input.originalContractedOn ?? input.contractedOn;
  const contractField: DateField = input.originalContractedOn === undefined ? "contractedOn" : "originalContractedOn";
  if (rule.basis === "bid") {
    return input.bidAnnouncedOn === undefined ? { missing: "bidAnnouncedOn" } : { field: "bidAnnouncedOn", date: input.bidAnnouncedOn };
  }
  if (rule.basis === "contract") {
    return contract === undefined ? { missing: "contractedOn" } : { field: contractField, date: contract };
  }
  if (contract !== undefined) return { field: contractField, date: contract };
  if (input.bidAnnouncedOn !== undefined) return { field: "bidAnnouncedOn", date: input.bidAnnouncedOn };
  return { missing: "contractedOn" };
}

export function checkEligibility(rule: AgencyRule, input: EligibilityInput): EligibilityResult {
  if (input.bidAnnouncedOn !== undefined && input.contractedOn !== undefined && input.contractedOn < input.bidAnnouncedOn) {
    return {
      kind: "invalid",
      errors: [{ field: "contractedOn", message: "契約締結日は入札公告日以降の日付を入力してください" }],
    };
  }
  if (input.originalContractedOn !== undefined && input.contractedOn !== undefined && input.originalContractedOn > input.contractedOn) {
    return {
      kind: "invalid",
      errors: [{ field: "originalContractedOn", message: "当初契約日は変更契約の契約締結日以前の日付を入力してください" }],
    };
  }
  const reasons: Reason[] = [];
  const refuse = (code: string, message: string): EligibilityResult => ({
    kind: "decided",
    eligible: false,
    reasons: [...reasons, { code, message }],
  });

  if (input.guarantee === "bid_bond") {
    return refuse("bid_bond_not_electronic", "契約保証予約（入札ボンド）は電子保証の対象外です。書面の保証証書で提出してください。");
  }
  if (input.issuer !== "surety") {
    return refuse(
      "issuer_not_electronic",
      `${labels.issuer[input.issuer]}が発行する保証証書は電子保証の対象外です。電子証書を発行するのは保証事業会社（西日本・東日本・北海道）のみです。`,
    );
  }
  if (rule.status === "unknown" || rule.status === "none" || rule.startsOn === null) {
    if (rule.status === "adopted" && rule.startsOn === null) {
      reasons.push({
        code: "start_date_unknown",
        message: `${rule.name}は導入済みと公表されていますが、開始日は資料に記載がありません。対象案件は発注者に確認してください。`,
      });
      return checkScope(rule, input, reasons);
    }
    return refuse(
      rule.status === "none" ? "agency_not_adopted" : "agency_adoption_unknown",
      rule.status === "none"
        ? `${rule.name}は電子保証を導入していません。書面の保証証書で提出してください。`
        : `${rule.name}が電子保証を導入したという情報はありません。書面の保証証書で提出するか、発注者に確認してください。`,
    );
  }

  const ref = referenceDate(rule, input);
  if ("missing" in ref) {
    const message =
      rule.basis === null
        ? `${rule.name}の判定には契約締結日または入札公告日が必要です。どちらかを入力してください`
        : `${rule.name}は${fieldLabel[ref.missing]}を基準に判定します。${fieldLabel[ref.missing]}を入力してください`;
    return { kind: "invalid", errors: [{ field: ref.missing, message }] };
  }
  if (rule.basis === null) {
    reasons.push({
      code: "basis_unknown",
      message: `資料には判定の基準日（契約締結日か入札公告日か）の記載がないため、${fieldLabel[ref.field]}で判定しました。発注者に確認してください。`,
    });
  }
  const start = rule.startsOn;
  const startText = rule.startsOnPrecision === "month" ? formatWareki(start, { western: true, precision: "month" }) : day(start);
  if (rule.startsOnPrecision === "month") {
    reasons.push({
      code: "start_month_only",
      message: `資料には導入月（${startText}）のみ記載されています。境界の月は発注者に確認してください。`,
    });
  }
  if (ref.date < start) {
    if (ref.field === "originalContractedOn") {
      return refuse(
        "original_contract_before_start",
        `変更契約ですが、当初契約日（${day(ref.date)}）が導入日（${startText}）より前のため、書面の保証証書のみ有効です。`,
      );
    }
    return refuse(
      "before_start",
      `${fieldLabel[ref.field]}（${day(ref.date)}）が${rule.name}の導入日（${startText}）より前のため、対象外です。`,
    );
  }
  reasons.push({
    code: "after_start",
    message: `${fieldLabel[ref.field]}（${day(ref.date)}）は${rule.name}の導入日（${startText}）以降です。`,
  });
  return checkScope(rule, input, reasons);
}

function checkScope(rule: AgencyRule, input: EligibilityInput, reasons: Reason[]): EligibilityResult {
  const guarantee = input.guarantee as ElectronicGuaranteeKind;
  if (rule.rules === null) {
    reasons.push({
      code: "scope_not_stated",
      message: "対象となる業務の範囲は資料に記載がありません。電子保証の対象は前払金保証（中間前払金を含む）と契約保証です。",
    });
  } else {
    const forWork = rule.rules.filter((r) => r.works.includes(input.work));
    if (forWork.length === 0) {
      return {
        kind: "decided",
        eligible: false,
        reasons: [
          ...reasons,
          { code: "work_out_of_scope", message: `${rule.name}の電子保証は${labels.work[input.work]}を対象としていません。` },
        ],
      };
    }
    if (!forWork.some((r) => r.guarantees.includes(guarantee))) {
      const allowed = [...new Set(forWork.flatMap((r) => r.guarantees))].map((g) => labels.guarantee[g]).join("・");
      return {
        kind: "decided",
        eligible: false,
        reasons: [
          ...reasons,
          {
            code: "guarantee_out_of_scope",
            message: `${rule.name}では${labels.work[input.work]}の電子保証は${allowed}に限られ、${labels.guarantee[guarantee]}は対象外です。`,
          },
        ],
      };
    }
  }
  if (rule.departments !== null) {
    reasons.push({ code: "departments_limited", message: `対象は${rule.departments.join("・")}の発注分に限られます。` });
  }
  reasons.push({
    code: "eligible",
    message: `${labels.guarantee[guarantee]}の保証証書を電子証書で提出できます（書面も引き続き利用できます）。`,
  });
  return { kind: "decided", eligible: true, reasons };
}
