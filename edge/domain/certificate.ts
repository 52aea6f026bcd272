// The certificate (電子証書) of API.md: the content of the paper 保証証書 (seeds 003, 004) as data,
// one snapshot per version. Version 1 is 新規; each change (変更) makes version n+1 labelled
// 変更1, 変更2 …; corrections replace a version's content without a history entry; a cancelled
// guarantee keeps its versions and says so. Pure: the services fill it from the database.
import { z } from "zod";
import { amountError, field } from "./application.ts";
import type { FieldError } from "./errors.ts";
import { calendarDate } from "./fields.ts";
import { type GuaranteeKind, labels, type WorkType } from "./terms.ts";

const date = (label: string) => z.string({ error: `${label}は YYYY-MM-DD 形式の日付で入力してください` }).pipe(calendarDate(label));
const hasControl = (s: string) => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const filledLine = (label: string, max: number) =>
  z
    .string({ error: `${label}は文字列で入力してください` })
    .max(max, { error: `${label}は${max}文字以内で入力してください` })
    .refine((s) => s.trim() !== "" && !hasControl(s), { error: `${label}を入力してください（改行や制御文字は使えません）` });

export const versionReasons = ["new", "change", "correction", "cancel"] as const;
export type VersionReason = (typeof versionReasons)[number];

export interface Certificate {
  contractNumber: string;
  kind: GuaranteeKind;
  kindLabel: string;
  version: number;
  versionLabel: string;
  status: "active" | "cancelled";
  /** 電子保証発行日時 of this version (ISO 8601 with offset). */
  issuedAt: string;
  contractor: { name: string; address: string };
  /** 被保証者 as the contractor's form printed it (e.g. 国土交通省近畿地方整備局長). */
  beneficiary: string;
  projectName: string;
  contractPrice: number;
  amount: number;
  periodFrom: string;
  periodTo: string;
  /** 保証期限: the end of the works period unless a change says otherwise. */
  guaranteeUntil: string;
  depositBank: string | null;
  guarantor: { id: string; name: string; branch: string; tel: string | null; fax: string | null };
}

/** What a version's row stores: the certificate minus what the guarantee row already knows. */
export type CertificateContent = Omit<
  Certificate,
  "contractNumber" | "kind" | "kindLabel" | "version" | "versionLabel" | "status" | "issuedAt"
>;

/** 新規 for version 1; 変更N for the Nth change (N = version − 1). */
export function versionLabel(version: number): string {
  return version <= 1 ? "新規" : `変更${version - 1}`;
}

export function certificateOf(
  guarantee: { contractNumber: string; kind: GuaranteeKind; status: "active" | "cancelled" },
  version: { version: number; issuedAt: string; content: CertificateContent },
): Certificate {
  return {
    contractNumber: guarantee.contractNumber,
    kind: guarantee.kind,
    kindLabel: labels.guarantee[guarantee.kind],
    version: version.version,
    versionLabel: versionLabel(version.version),
    status: guarantee.status,
    issuedAt: version.issuedAt,
    ...version.content,
  };
}

/** ISO 8601 in Japan's offset (+09:00), as API.md's instants are written. */
export function japanInstant(at: Date): string {
  const shifted = new Date(at.getTime() + 9 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+09:00`;
}

// ---- versions after issue ---------------------------------------------------------------------

export const changeableFields = ["amount", "contractPrice", "periodTo", "guaranteeUntil", "projectName"] as const;

export const UNCHANGED_MESSAGE = "変更前と同じ内容です。変更する項目を入力してください";

export const VersionRequest = z.object({
  reason: z.enum(["change", "correction", "cancel"], {
    error: "理由（reason）は change（変更）・correction（訂正）・cancel（解約）のいずれかを指定してください",
  }),
  changes: z
    .strictObject(
      {
        amount: field.amount.optional(),
        contractPrice: field.contractPrice.optional(),
        periodTo: field.periodTo.optional(),
        guaranteeUntil: date("保証期限").optional(),
        projectName: filledLine("工事名", 200).optional(),
      },
      {
        error: (issue) =>
          issue.code === "unrecognized_keys"
            ? "変更できる項目は amount・contractPrice・periodTo・guaranteeUntil・projectName です"
            : "変更内容（changes）は項目をまとめたオブジェクトで指定してください",
      },
    )
    .default({}),
  note: z.string({ error: "メモ（note）は文字列で指定してください" }).max(500, { error: "メモは500文字以内で入力してください" }).optional(),
});
export type VersionRequest = z.infer<typeof VersionRequest>;

/**
 * The content of the next version: the current one with the changes applied, and every rule that
 * still holds after issue (amount limits by kind and work type, dates in order); or the errors.
 */
export function nextContent(
  current: CertificateContent,
  request: VersionRequest,
  kind: GuaranteeKind,
  work: WorkType | null | undefined,
): { ok: true; content: CertificateContent } | { ok: false; errors: FieldError[]; unchanged?: true } {
  const changes = request.changes;
  const given = Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined);
  if (request.reason === "cancel") {
    if (given.length > 0) return { ok: false, errors: [{ field: "changes", message: "解約では変更内容を指定しないでください" }] };
    return { ok: true, content: current };
  }
  if (given.length === 0) return { ok: false, errors: [{ field: "changes", message: "変更する項目を1つ以上指定してください" }] };
  // A step that changes nothing would still make a version and mail the contractor: refused. Amounts
  // arrive as numbers (the desk page turns 「１３，２００，０００」 into 13200000 first) and the project name
  // is compared as it would be stored (trimmed).
  const same = given.filter((k) => {
    const key = k as keyof typeof changes;
    const value = key === "projectName" ? changes.projectName?.trim() : changes[key];
    return value === current[key];
  });
  if (same.length === given.length) {
    return { ok: false, errors: same.map((k) => ({ field: `changes.${k}`, message: UNCHANGED_MESSAGE })), unchanged: true };
  }
  const content: CertificateContent = {
    ...current,
    ...(changes.amount === undefined ? {} : { amount: changes.amount }),
    ...(changes.contractPrice === undefined ? {} : { contractPrice: changes.contractPrice }),
    ...(changes.periodTo === undefined ? {} : { periodTo: changes.periodTo }),
    ...(changes.guaranteeUntil === undefined ? {} : { guaranteeUntil: changes.guaranteeUntil }),
    ...(changes.projectName === undefined ? {} : { projectName: changes.projectName.trim() }),
  };
  if (changes.periodTo !== undefined && changes.guaranteeUntil === undefined && current.guaranteeUntil === current.periodTo) {
    content.guaranteeUntil = changes.periodTo; // the term followed the works period: it still does
  }
  const errors: FieldError[] = [];
  if (content.periodTo < content.periodFrom) {
    errors.push({ field: "changes.periodTo", message: `工期（至）は工期（自）（${content.periodFrom}）以降の日付にしてください` });
  }
  if (content.guaranteeUntil < content.periodFrom) {
    errors.push({ field: "changes.guaranteeUntil", message: `保証期限は工期（自）（${content.periodFrom}）以降の日付にしてください` });
  } else if (content.guaranteeUntil < content.periodTo) {
    // The guarantee must cover the whole works period; blame the date the request gave.
    errors.push({
      field: changes.guaranteeUntil === undefined ? "changes.periodTo" : "changes.guaranteeUntil",
      message: `保証期限（${content.guaranteeUntil}）は工期（至）（${content.periodTo}）以降の日付にしてください`,
    });
  }
  const amount = amountError(kind, content.amount, content.contractPrice, work ?? null);
  if (amount !== null) errors.push({ field: changes.amount === undefined ? "changes.contractPrice" : "changes.amount", message: amount });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, content };
}
