// The eligibility rule: may this guarantee for this job be delivered electronically?
// One pure function serves the API (GET /api/v1/eligibility) and the browser checker.
import { formatWareki } from "./era.ts";
import type { AdoptionStatus, Basis, ElectronicGuaranteeKind, GuaranteeKind, Issuer, WorkType } from "./terms.ts";
import { labels } from "./terms.ts";

export interface ScopeRule {
  works: readonly WorkType[];
  guarantees: readonly ElectronicGuaranteeKind[];
  /** The source limits these works to these guarantees (「…のみ」): others are excluded, not unstated. */
  exclusive?: boolean | undefined;
}

export interface AgencyRule {
  name: string;
  status: AdoptionStatus;
  startsOn: string | null;
  startsOnPrecision: "day" | "month" | null;
  basis: Basis | null;
  rules: readonly ScopeRule[] | null;
  departments: readonly string[] | null;
  /** Where the agency's source says the key goes (for the next step), when it says. */
  submission?: { methods: readonly ("email" | "upload" | "other")[] | null; to: readonly { office: string }[] } | null | undefined;
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

/** 対象 (eligible), 対象外 (ineligible), 要確認 (uncertain: the sources leave the answer open). */
export type Verdict = "eligible" | "ineligible" | "uncertain";

export type EligibilityResult =
  | { kind: "decided"; verdict: Verdict; eligible: boolean; reasons: Reason[] }
  | { kind: "invalid"; errors: { field: DateField; message: string }[] };

/** The reasons that leave an answer open (each makes the verdict 要確認 unless another excludes it). */
export const OPEN_REASONS: ReadonlySet<string> = new Set([
  "agency_adoption_unknown",
  "start_date_unknown",
  "start_month_only",
  "basis_unknown",
  "work_not_stated",
  "guarantee_not_stated",
]);

export const verdictLabels: Record<Verdict, string> = { eligible: "対象", ineligible: "対象外", uncertain: "要確認" };

const day = (iso: string) => formatWareki(iso, { western: true });
const fieldLabel: Record<DateField, string> = {
  bidAnnouncedOn: "入札公告日",
  contractedOn: "契約締結日",
  originalContractedOn: "当初契約日",
};

type Timing = "before" | "after" | "boundary" | "unknown";

/** Where a date stands against the start: a start known only to the month leaves its own month open. */
function timingOf(rule: AgencyRule, date: string): Timing {
  const start = rule.startsOn as string;
  if (rule.startsOnPrecision === "month") {
    const [m, s] = [date.slice(0, 7), start.slice(0, 7)];
    return m < s ? "before" : m > s ? "after" : "boundary";
  }
  return date < start ? "before" : "after";
}

const worst = (a: Verdict, b: Verdict): Verdict =>
  a === "ineligible" || b === "ineligible" ? "ineligible" : a === "uncertain" || b === "uncertain" ? "uncertain" : "eligible";

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
  const decide = (verdict: Verdict): EligibilityResult => ({ kind: "decided", verdict, eligible: verdict === "eligible", reasons });
  const refuse = (code: string, message: string): EligibilityResult => {
    reasons.push({ code, message });
    return decide("ineligible");
  };

  if (input.guarantee === "bid_bond") {
    return refuse("bid_bond_not_electronic", "契約保証予約（入札ボンド）は電子保証の対象外です。書面の保証証書で提出してください。");
  }
  if (input.issuer !== "surety") {
    return refuse(
      "issuer_not_electronic",
      `${labels.issuer[input.issuer]}が発行する保証証書は電子保証の対象外です。電子証書を発行するのは保証事業会社（西日本・東日本・北海道）のみです。`,
    );
  }
  if (rule.status === "none") {
    // A source said it had not adopted, as of its date: it may have since.
    reasons.push({
      code: "agency_not_adopted",
      message: `${rule.name}は、資料の時点では電子保証を導入していないとされています。その後に導入したかどうかは資料にありません。`,
    });
    return decide("uncertain");
  }
  if (rule.status === "unknown") {
    reasons.push({
      code: "agency_adoption_unknown",
      message: `${rule.name}が電子保証を導入したかどうかは、このガイドの資料にはありません（導入していないとは限りません）。`,
    });
    return decide("uncertain");
  }

  let verdict: Verdict = "eligible";
  if (rule.startsOn === null) {
    reasons.push({
      code: "start_date_unknown",
      message: `${rule.name}は導入済みと公表されていますが、開始日は資料に記載がありません。対象となる案件は発注者に確認してください。`,
    });
    verdict = "uncertain";
  } else {
    const timing = judgeTiming(rule, input, reasons);
    if ("errors" in timing) return { kind: "invalid", errors: timing.errors };
    if (timing.verdict === "ineligible") return decide("ineligible");
    verdict = worst(verdict, timing.verdict);
  }
  verdict = worst(verdict, checkScope(rule, input, reasons));
  if (verdict === "eligible") {
    reasons.push({
      code: "eligible",
      message: `${labels.guarantee[input.guarantee as ElectronicGuaranteeKind]}の保証証書を電子証書で提出できます（書面も引き続き利用できます）。`,
    });
  }
  return decide(verdict);
}

const METHOD_TEXT = { email: "電子メールで", upload: "電子契約・入札システム等にアップロードして", other: "" } as const;

/**
 * What to do now, after a verdict: submit on paper, or where and how the key goes (from the agency's
 * facts), or whom to ask: the last reason (code next_step) the API and the checker add.
 */
export function nextStep(rule: AgencyRule, verdict: Verdict): Reason {
  if (verdict === "ineligible") {
    return { code: "next_step", message: "次の手続き: 書面の保証証書を保証事業会社に申し込み、発注者に提出してください。" };
  }
  if (verdict === "uncertain") {
    return {
      code: "next_step",
      message: `次の手続き: ${rule.name}の契約担当課に、この案件で電子保証の認証キーを受け付けるかを確認してください。保証事業会社の担当支店でも相談できます。確認できるまでは書面の保証証書も使えます。`,
    };
  }
  const office = rule.submission?.to.map((t) => t.office).join("・") ?? "";
  const how = rule.submission?.methods?.map((m) => METHOD_TEXT[m]).find((t) => t !== "") ?? "";
  const where = office === "" ? "発注者（契約担当課）" : office;
  return {
    code: "next_step",
    message: `次の手続き: 保証事業会社に電子保証で申し込み、発行後に届く「認証キー等のお知らせ」（保証契約番号と認証キー）を${where}に${how}提出してください。発注者は保証確認ページで電子証書を確認します。`,
  };
}

/** The dates against the start date, under the rule's basis or, where the source gives none, under both. */
function judgeTiming(
  rule: AgencyRule,
  input: EligibilityInput,
  reasons: Reason[],
): { verdict: Verdict } | { errors: { field: DateField; message: string }[] } {
  const start = rule.startsOn as string;
  const startText = rule.startsOnPrecision === "month" ? formatWareki(start, { western: true, precision: "month" }) : day(start);
  const contract = input.originalContractedOn ?? input.contractedOn;
  const contractField: DateField = input.originalContractedOn === undefined ? "contractedOn" : "originalContractedOn";
  const bid = input.bidAnnouncedOn;

  const before = (field: DateField, date: string) => {
    if (field === "originalContractedOn") {
      reasons.push({
        code: "original_contract_before_start",
        message: `変更契約ですが、当初契約日（${day(date)}）が導入日（${startText}）より前のため、書面の保証証書のみ有効です。`,
      });
    } else {
      reasons.push({
        code: "before_start",
        message: `${fieldLabel[field]}（${day(date)}）が${rule.name}の導入日（${startText}）より前のため、対象外です。`,
      });
    }
    return { verdict: "ineligible" as const };
  };
  const boundary = (field: DateField, date: string) => {
    reasons.push({
      code: "start_month_only",
      message: `資料には導入月（${startText}）のみ記載されています。${fieldLabel[field]}（${day(date)}）が同じ月のため、導入日より前か後か分かりません。`,
    });
    return { verdict: "uncertain" as const };
  };
  const after = (field: DateField, date: string) => {
    reasons.push({ code: "after_start", message: `${fieldLabel[field]}（${day(date)}）は${rule.name}の導入日（${startText}）以降です。` });
    return { verdict: "eligible" as const };
  };
  const one = (field: DateField, date: string) => {
    const t = timingOf(rule, date);
    return t === "before" ? before(field, date) : t === "boundary" ? boundary(field, date) : after(field, date);
  };

  if (rule.basis === "bid") {
    if (bid === undefined)
      return { errors: [{ field: "bidAnnouncedOn", message: `${rule.name}は入札公告日を基準に判定します。入札公告日を入力してください` }] };
    return one("bidAnnouncedOn", bid);
  }
  if (rule.basis === "contract") {
    if (contract === undefined)
      return { errors: [{ field: "contractedOn", message: `${rule.name}は契約締結日を基準に判定します。契約締結日を入力してください` }] };
    return one(contractField, contract);
  }
  if (contract === undefined && bid === undefined) {
    return {
      errors: [
        { field: "contractedOn", message: `${rule.name}の判定には契約締結日または入札公告日が必要です。どちらかを入力してください` },
      ],
    };
  }
  // No basis in the sources: judge under both. A missing date is bounded by the other (a bid is
  // announced before the contract), so one date can settle both or leave the answer open.
  const bidT: Timing =
    bid !== undefined ? timingOf(rule, bid) : contract !== undefined && timingOf(rule, contract) === "before" ? "before" : "unknown";
  const contractT: Timing =
    contract !== undefined ? timingOf(rule, contract) : bid !== undefined && timingOf(rule, bid) === "after" ? "after" : "unknown";
  if (bidT === "after" && contractT === "after") {
    reasons.push({
      code: "basis_settled",
      message: `資料には判定の基準日（入札公告日か契約締結日か）の記載がありませんが、どちらで判断しても${rule.name}の導入日（${startText}）以降です。`,
    });
    return { verdict: "eligible" };
  }
  if (bidT === "before" && contractT === "before") {
    const field: DateField = contract !== undefined ? contractField : "bidAnnouncedOn";
    return before(field, (contract ?? bid) as string);
  }
  const boundaryDates = [
    bid !== undefined && bidT === "boundary" ? (["bidAnnouncedOn", bid] as const) : null,
    contract !== undefined && contractT === "boundary" ? ([contractField, contract] as const) : null,
  ].filter((d) => d !== null);
  const [firstBoundary] = boundaryDates;
  if (firstBoundary !== undefined) boundary(firstBoundary[0], firstBoundary[1]);
  const settled = (t: Timing) => t === "before" || t === "after";
  // The basis matters where the two dates (one of them unknown) could fall on either side.
  if (!(settled(bidT) && bidT === contractT) && !(boundaryDates.length === 2)) {
    const given = [
      bid === undefined ? null : `入札公告日（${day(bid)}）`,
      contract === undefined ? null : `${fieldLabel[contractField]}（${day(contract)}）`,
    ]
      .filter(Boolean)
      .join("・");
    const missing =
      bid === undefined
        ? "入札公告日も入力すると判定できることがあります。"
        : contract === undefined
          ? "契約締結日も入力すると判定できることがあります。"
          : "";
    reasons.push({
      code: "basis_unknown",
      message: `資料には判定の基準日（入札公告日か契約締結日か）の記載がなく、${given}では基準日によって結論が変わるため判定できません（導入日: ${startText}）。${missing}`,
    });
  }
  return { verdict: "uncertain" };
}

/** The works and guarantees the source names: one it does not name is open, one it excludes is not allowed. */
function checkScope(rule: AgencyRule, input: EligibilityInput, reasons: Reason[]): Verdict {
  const guarantee = input.guarantee as ElectronicGuaranteeKind;
  let verdict: Verdict = "eligible";
  if (rule.rules === null) {
    reasons.push({
      code: "scope_not_stated",
      message: "対象となる業務の範囲は資料に記載がありません。電子保証の対象は前払金保証（中間前払金を含む）と契約保証です。",
    });
  } else {
    const forWork = rule.rules.filter((r) => r.works.includes(input.work));
    const named = [...new Set(rule.rules.flatMap((r) => r.works))].map((w) => labels.work[w]).join("・");
    if (forWork.length === 0) {
      reasons.push({
        code: "work_not_stated",
        message: `${rule.name}の資料が電子保証の対象として挙げるのは${named}で、${labels.work[input.work]}は記載がありません。発注者に確認してください。`,
      });
      verdict = "uncertain";
    } else if (!forWork.some((r) => r.guarantees.includes(guarantee))) {
      const allowed = [...new Set(forWork.flatMap((r) => r.guarantees))].map((g) => labels.guarantee[g]).join("・");
      if (forWork.some((r) => r.exclusive === true)) {
        reasons.push({
          code: "guarantee_out_of_scope",
          message: `${rule.name}では${labels.work[input.work]}の電子保証は${allowed}に限られ、${labels.guarantee[guarantee]}は対象外です。`,
        });
        return "ineligible";
      }
      reasons.push({
        code: "guarantee_not_stated",
        message: `${rule.name}の資料が${labels.work[input.work]}について挙げるのは${allowed}で、${labels.guarantee[guarantee]}は記載がありません。発注者に確認してください。`,
      });
      verdict = "uncertain";
    }
  }
  if (rule.departments !== null) {
    reasons.push({ code: "departments_limited", message: `対象は${rule.departments.join("・")}の発注分に限られます。` });
  }
  return verdict;
}
