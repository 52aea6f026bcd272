// The guarantee application (保証申込, API.md `Application`; the form fields of seed 004): one
// module for the API and the form. `ApplicationDraft` types every field and bounds it, all of them
// optional, so a half-filled form can be saved; `submittable()` then applies every rule a submit
// enforces and returns all field errors at once, in Japanese, with dotted paths (guarantees.0.amount).
import { z } from "zod";
import { type AgencyRule, checkEligibility, type EligibilityInput, OPEN_REASONS, type Reason, type Verdict } from "./eligibility.ts";
import type { FieldError } from "./errors.ts";
import { calendarDate, textError } from "./fields.ts";
import { type GuaranteeKind, guaranteeKinds, labels, type WorkType, workTypes } from "./terms.ts";

export const MAX_GUARANTEES = 4;
/** 1兆円: far above any public works contract, far below 2^53 (so amount * 100 stays exact). */
export const MAX_YEN = 1_000_000_000_000;
export const MESSAGE_MAX = 2000;
export const deliveries = ["electronic", "paper"] as const;
export const feePayments = ["lump_sum"] as const;
export const applicationStatuses = ["draft", "submitted", "issued", "rejected"] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export const statusLabels = { draft: "保存中", submitted: "手続き中", issued: "発行済み", rejected: "不承認" } as const satisfies Record<
  ApplicationStatus,
  string
>;
export const deliveryLabels = { electronic: "電子保証（認証キーを含む）", paper: "証書（紙）" } as const;
export const feePaymentLabels = { lump_sum: "一括納付" } as const;

/** 1234567 → "1,234,567円" (no Intl: the same text in every runtime). */
const yenText = (n: number) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}円`;

// ---- single fields ---------------------------------------------------------------------------

/** Missing (or null where a value is needed) reads "…を入力してください"; a wrong type says what is allowed. */
const typeError = (label: string, message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? `${label}を入力してください` : textError(label, message)(issue);

const hasControl = (text: string, allowNewlines: boolean) => {
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && !(allowNewlines && (c === 0x0a || c === 0x0d || c === 0x09))) || c === 0x7f) return true;
  }
  return false;
};

const line = (label: string, max: number) =>
  z
    .string({ error: typeError(label, `${label}は文字列で入力してください`) })
    .max(max, { error: `${label}は${max}文字以内で入力してください` })
    .refine((s) => !hasControl(s, false), { error: `${label}に改行や制御文字は使えません` });

const filled = (label: string, schema: z.ZodString) => schema.refine((s) => s.trim() !== "", { error: `${label}を入力してください` });

/** Yen: a JSON integer from 1 to 1兆 (no strings, no fractions, no exponents beyond that). */
const yen = (label: string) => {
  const message = `${label}は1円以上${yenText(MAX_YEN)}以下の整数（円単位の半角数字）で入力してください`;
  return z
    .number({ error: typeError(label, message) })
    .int({ error: message })
    .min(1, { error: message })
    .max(MAX_YEN, { error: message });
};

const date = (label: string) =>
  z.string({ error: typeError(label, `${label}は YYYY-MM-DD 形式の日付で入力してください`) }).pipe(calendarDate(label));

const choice = <const T extends readonly [string, ...string[]]>(label: string, values: T, names?: Record<T[number], string>) =>
  z.enum(values, {
    error: typeError(
      label,
      `${label}は ${values.map((v) => (names === undefined ? v : `${v}（${names[v as T[number]]}）`)).join("・")} のいずれかを指定してください`,
    ),
  });

const flag = (label: string) => z.boolean({ error: typeError(label, `${label}は true か false で指定してください`) });

const object = <T extends z.ZodRawShape>(label: string, shape: T) =>
  z.object(shape, { error: typeError(label, `${label}は項目をまとめたオブジェクトで指定してください`) });

/**
 * 全角 (full-width) as the bank forms mean it: no ASCII (letters, digits, the ordinary space),
 * no Latin-1, no half-width katakana or half-width symbols, no control characters.
 * 「鹿児島銀行　本店」 passes; "Kagoshima Bank" and 「ｶｺﾞｼﾏ」 do not.
 */
export function isFullWidth(text: string): boolean {
  if (text.length === 0) return false;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x100 || (c >= 0xff61 && c <= 0xffdc) || (c >= 0xffe8 && c <= 0xffee)) return false;
  }
  return true;
}
export const FULL_WIDTH_MESSAGE = "預託金融機関は全角で入力してください（半角の英数字・カナ・スペースは使えません。例: 鹿児島銀行　本店）";

/** 10 to 13 digits (half- or full-width), with hyphens, brackets, spaces or a leading +. */
export function isPhoneNumber(text: string): boolean {
  const plain = text.normalize("NFKC");
  if (!/^\+?[0-9\-‐‑–—−ー() ]+$/.test(plain)) return false; // dashes as IMEs type them
  const digits = plain.replace(/[^0-9]/g, "").length;
  return digits >= 10 && digits <= 13;
}

export const field = {
  name: line("工事名", 200),
  agencyId: line("発注者", 64),
  beneficiary: line("被保証者（発注者の表記）", 200),
  location: line("工事場所", 200),
  workType: choice("工事・業務の種類", workTypes, labels.work),
  contractPrice: yen("請負金額"),
  fiscalYearAmount: yen("今年度対象額"),
  periodFrom: date("工期（自）"),
  periodTo: date("工期（至）"),
  bidAnnouncedOn: date("入札公告日"),
  contractedOn: date("契約締結日"),
  originalContractedOn: date("当初契約日"),
  kind: choice("保証の種類", guaranteeKinds, labels.guarantee),
  amount: yen("保証金額"),
  delivery: choice("保証証書の形式", deliveries, deliveryLabels),
  depositBank: line("預託金融機関", 100),
  redeposit: flag("再預託の利用"),
  feePayment: choice("保証料支払方法", feePayments, feePaymentLabels),
  feeBillTo: line("保証料請求先", 200),
  paperFeeStatement: flag("保証料計算書（紙）の希望"),
  branchId: line("申込送信先（支店）", 64),
  notifyEmail: z
    .email({ error: typeError("お知らせメールのアドレス", "お知らせメールのアドレスの形式が正しくありません") })
    .max(254, { error: "お知らせメールのアドレスが長すぎます" }),
  department: line("担当部署", 100),
  title: line("役職", 100),
  contactName: line("担当者名", 100),
  phone: line("連絡先電話番号", 30),
  message: z
    .string({ error: typeError("連絡事項", "連絡事項は文字列で入力してください") })
    .max(MESSAGE_MAX, { error: `連絡事項は${MESSAGE_MAX}文字以内で入力してください` })
    .refine((s) => !hasControl(s, true), { error: "連絡事項に制御文字は使えません" }),
};

// ---- the draft: every field optional (null clears it in a PATCH), every value typed ----------

export const GuaranteeDraft = object("保証", {
  kind: field.kind.nullish(),
  amount: field.amount.nullish(),
  delivery: field.delivery.nullish(),
  depositBank: field.depositBank.nullish(),
  redeposit: field.redeposit.nullish(),
  feePayment: field.feePayment.nullish(),
  feeBillTo: field.feeBillTo.nullish(),
  paperFeeStatement: field.paperFeeStatement.nullish(),
});

export const ApplicationDraft = object("申込みの内容", {
  project: object("工事の情報", {
    name: field.name.nullish(),
    agencyId: field.agencyId.nullish(),
    beneficiary: field.beneficiary.nullish(),
    location: field.location.nullish(),
    workType: field.workType.nullish(),
    contractPrice: field.contractPrice.nullish(),
    fiscalYearAmount: field.fiscalYearAmount.nullish(),
    periodFrom: field.periodFrom.nullish(),
    periodTo: field.periodTo.nullish(),
    bidAnnouncedOn: field.bidAnnouncedOn.nullish(),
    contractedOn: field.contractedOn.nullish(),
    originalContractedOn: field.originalContractedOn.nullish(),
  }).nullish(),
  guarantees: z
    .array(GuaranteeDraft, { error: typeError("保証", "保証は配列で指定してください") })
    .max(MAX_GUARANTEES, { error: `保証は${MAX_GUARANTEES}件までです` })
    .nullish(),
  branchId: field.branchId.nullish(),
  notifyEmail: field.notifyEmail.nullish(),
  contact: object("連絡先", {
    department: field.department.nullish(),
    title: field.title.nullish(),
    name: field.contactName.nullish(),
    phone: field.phone.nullish(),
  }).nullish(),
  message: field.message.nullish(),
}).meta({ id: "ApplicationDraft", description: "保証の申込み（下書きはすべて省略可。送信時に必須項目と規則を確認）" });
export type ApplicationDraft = z.infer<typeof ApplicationDraft>;

// ---- the submitted application: required fields present, formats of a finished form -----------

export const SubmittedGuarantee = object("保証", {
  kind: field.kind,
  amount: field.amount,
  delivery: field.delivery,
  depositBank: field.depositBank.refine(isFullWidth, { error: FULL_WIDTH_MESSAGE }).optional(),
  redeposit: field.redeposit.optional(),
  feePayment: field.feePayment.optional(),
  feeBillTo: field.feeBillTo.optional(),
  paperFeeStatement: field.paperFeeStatement.optional(),
});

export const SubmittedApplication = object("申込みの内容", {
  project: object("工事の情報", {
    name: filled("工事名", field.name),
    agencyId: filled("発注者", field.agencyId),
    beneficiary: filled("被保証者（発注者の表記）", field.beneficiary),
    location: filled("工事場所", field.location),
    workType: field.workType,
    contractPrice: field.contractPrice,
    fiscalYearAmount: field.fiscalYearAmount.optional(),
    periodFrom: field.periodFrom,
    periodTo: field.periodTo,
    bidAnnouncedOn: field.bidAnnouncedOn.optional(),
    contractedOn: field.contractedOn.optional(),
    originalContractedOn: field.originalContractedOn.optional(),
  }),
  guarantees: z
    .array(SubmittedGuarantee)
    .min(1, { error: "申し込む保証を1件以上選んでください" })
    .max(MAX_GUARANTEES, { error: `保証は${MAX_GUARANTEES}件までです` }),
  branchId: filled("申込送信先（支店）", field.branchId),
  notifyEmail: field.notifyEmail.optional(),
  contact: object("連絡先", {
    department: field.department.optional(),
    title: field.title.optional(),
    name: filled("担当者名", field.contactName),
    phone: filled("連絡先電話番号", field.phone).refine(isPhoneNumber, {
      error: "連絡先電話番号は10〜13桁の数字で入力してください（ハイフン可。例: 099-000-0000）",
    }),
  }),
  message: field.message.optional(),
});
export type SubmittedApplication = z.infer<typeof SubmittedApplication>;

// ---- amounts -----------------------------------------------------------------------------------

/** The share of the contract price for the live display, to 0.1 % (null until both are known). */
export function percentOf(amount: number | null | undefined, price: number | null | undefined): number | null {
  if (amount == null || price == null || !Number.isSafeInteger(amount) || !Number.isSafeInteger(price) || price <= 0 || amount < 0) {
    return null;
  }
  return Math.round((amount * 1000) / price) / 10;
}

/** The limits per kind as whole percents of the contract price (advance 30 % for consulting and survey work). */
export function percentLimits(kind: GuaranteeKind, work: WorkType | null | undefined): { min: number | null; max: number } {
  switch (kind) {
    case "advance":
      return { min: null, max: work === "consulting" || work === "survey" ? 30 : 40 };
    case "intermediate":
      return { min: null, max: 20 };
    case "contract":
      return { min: 10, max: 100 };
    case "bid_bond":
      return { min: null, max: 100 };
  }
}

/** Integer arithmetic only: amount * 100 <= price * percent, exact for every amount up to 1兆. */
export function amountError(kind: GuaranteeKind, amount: number, price: number, work: WorkType | null | undefined): string | null {
  const { min, max } = percentLimits(kind, work);
  const name = labels.guarantee[kind];
  if (amount * 100 > price * max) {
    if (max === 100) return `${name}の保証金額は請負金額（${yenText(price)}）以下で入力してください`;
    const which = kind === "advance" && max === 30 ? `（${labels.work[work === "survey" ? "survey" : "consulting"]}は30%まで）` : "";
    return `${name}の保証金額は請負金額の${max}%（${yenText(Math.floor((price * max) / 100))}）以内で入力してください${which}`;
  }
  if (min !== null && amount * 100 < price * min) {
    return `${name}の保証金額は請負金額の${min}%（${yenText(Math.ceil((price * min) / 100))}）以上で入力してください`;
  }
  return null;
}

// ---- electronic delivery -------------------------------------------------------------------------

export type DeliveryVerdict =
  | { verdict: Verdict; reasons: Reason[]; open: Reason[] }
  | { verdict: "invalid"; errors: { field: "bidAnnouncedOn" | "contractedOn" | "originalContractedOn"; message: string }[] };

/**
 * The verdict of API.md for electronic delivery, as checkEligibility gives it, with the reasons that
 * leave it open. For a submit an open answer counts only where an adoption is on record: an agency
 * the sources know nothing about is refused (API.md), one that adopted is accepted with a warning.
 */
export function deliveryVerdict(rule: AgencyRule, input: EligibilityInput): DeliveryVerdict {
  const result = checkEligibility(rule, input);
  if (result.kind === "invalid") return { verdict: "invalid", errors: result.errors };
  const open = result.verdict === "uncertain" ? result.reasons.filter((r) => OPEN_REASONS.has(r.code)) : [];
  const adopted = rule.status === "adopted" || rule.status === "scheduled";
  if (result.verdict === "uncertain" && !adopted) return { verdict: "ineligible", reasons: result.reasons, open };
  return { verdict: result.verdict, reasons: result.reasons, open };
}

// ---- submit ----------------------------------------------------------------------------------------

export interface Warning {
  field: string;
  code: "electronic_uncertain";
  message: string;
  reasons: Reason[];
}

export type Submittable =
  | { ok: true; application: SubmittedApplication; warnings: Warning[] }
  | { ok: false; errors: FieldError[]; warnings: Warning[] };

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length === 0 ? "(root)" : issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/**
 * Every rule of a submit, with every error at once. `agencyRule` is the rule of
 * `project.agencyId` (undefined when no agency has that id).
 */
export function submittable(draft: ApplicationDraft, agencyRule: AgencyRule | undefined): Submittable {
  const plain = compactDraft(draft);
  const shaped = SubmittedApplication.safeParse({
    ...plain,
    project: plain.project ?? {},
    contact: plain.contact ?? {},
    guarantees: plain.guarantees ?? [],
  });
  const { errors, warnings } = crossRules(draft, agencyRule);
  const all = [...(shaped.success ? [] : fieldErrorsOf(shaped.error)), ...errors];
  const unique = all.filter((e, i) => all.findIndex((o) => o.field === e.field && o.message === e.message) === i);
  if (shaped.success && unique.length === 0) return { ok: true, application: shaped.data, warnings };
  return { ok: false, errors: unique, warnings };
}

function crossRules(draft: ApplicationDraft, rule: AgencyRule | undefined): { errors: FieldError[]; warnings: Warning[] } {
  const errors: FieldError[] = [];
  const warnings: Warning[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const p = draft.project ?? {};
  const price = p.contractPrice ?? undefined;
  if (p.agencyId != null && p.agencyId.trim() !== "" && rule === undefined)
    add("project.agencyId", "該当する発注者が見つかりません。一覧から選んでください");
  if (p.periodFrom != null && p.periodTo != null && p.periodTo < p.periodFrom)
    add("project.periodTo", "工期（至）は工期（自）以降の日付を入力してください");
  let datesInOrder = true;
  if (p.bidAnnouncedOn != null && p.contractedOn != null && p.contractedOn < p.bidAnnouncedOn) {
    add("project.contractedOn", "契約締結日は入札公告日以降の日付を入力してください");
    datesInOrder = false;
  }
  if (p.originalContractedOn != null && p.contractedOn != null && p.originalContractedOn > p.contractedOn) {
    add("project.originalContractedOn", "当初契約日は（変更）契約締結日以前の日付を入力してください");
    datesInOrder = false;
  }
  if (p.fiscalYearAmount != null && price !== undefined && p.fiscalYearAmount > price) {
    add("project.fiscalYearAmount", `今年度対象額は請負金額（${yenText(price)}）以下で入力してください`);
  }

  const seen = new Set<GuaranteeKind>();
  for (const [i, g] of (draft.guarantees ?? []).entries()) {
    const at = (name: string) => `guarantees.${i}.${name}`;
    const kind = g.kind ?? undefined;
    if (kind === undefined) continue;
    if (seen.has(kind)) add(at("kind"), `${labels.guarantee[kind]}は1件だけ申し込めます`);
    seen.add(kind);
    if (g.amount != null && price !== undefined) {
      const problem = amountError(kind, g.amount, price, p.workType);
      if (problem !== null) add(at("amount"), problem);
    }
    if (kind === "advance" && (g.depositBank == null || g.depositBank.trim() === "")) {
      add(at("depositBank"), "前払金保証には預託金融機関（全角。例: 鹿児島銀行　本店）を入力してください");
    }
    if (g.delivery !== "electronic") continue;
    if (kind === "bid_bond") {
      add(at("delivery"), "契約保証予約（入札ボンド）は電子保証の対象外です。証書（紙）を選んでください");
      continue;
    }
    if (rule === undefined || p.workType == null || !datesInOrder) continue;
    const verdict = deliveryVerdict(rule, {
      guarantee: kind,
      work: p.workType,
      issuer: "surety",
      bidAnnouncedOn: p.bidAnnouncedOn ?? undefined,
      contractedOn: p.contractedOn ?? undefined,
      originalContractedOn: p.originalContractedOn ?? undefined,
    });
    if (verdict.verdict === "invalid") {
      for (const e of verdict.errors) add(`project.${e.field}`, `電子保証の判定に必要です: ${e.message}`);
    } else if (verdict.verdict === "ineligible") {
      const why = verdict.reasons.at(-1)?.message ?? "";
      add(at("delivery"), `${labels.guarantee[kind]}は電子保証を選べません（${why}）。証書（紙）を選んでください`);
    } else if (verdict.verdict === "uncertain") {
      warnings.push({
        field: at("delivery"),
        code: "electronic_uncertain",
        message: `${labels.guarantee[kind]}を電子保証で受け付けられるかは資料だけでは確定できません。保証会社の担当者が確認します（${verdict.open.map((r) => r.message).join(" ")}）`,
        reasons: verdict.open,
      });
    }
  }
  return { errors, warnings };
}

// ---- saving drafts ---------------------------------------------------------------------------------

type Plain<T> = T extends (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]?: Plain<Exclude<T[K], null>> } : T;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = compact(v);
  return out;
}

/** The draft as stored: no nulls, no undefined (a null in a PATCH means "clear this field"). */
export function compactDraft(draft: ApplicationDraft): Plain<ApplicationDraft> {
  return compact(draft) as Plain<ApplicationDraft>;
}

/** JSON merge patch (RFC 7396): objects merge, arrays and values replace, null removes. */
export function mergeDraft(base: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out: Record<string, unknown> = isRecord(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = isRecord(v) ? mergeDraft(out[k], v) : v;
  }
  return out;
}
