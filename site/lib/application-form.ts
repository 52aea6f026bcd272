// The application form ↔ the API's `Application` (edge/domain/application.ts). Inputs are named by
// the API's paths (project.name, contact.phone), but for the guarantees: one section per kind
// (guarantees.advance.amount), so a field error on guarantees.0.amount lands in the section of the
// kind at index 0. Pure, so the page (on the server) and the form script (in the browser) agree.
import { type GuaranteeKind, guaranteeKinds } from "../../edge/domain/terms.ts";

/** What the form holds: every input's value as typed ("on" for a ticked box). */
export type FormValues = Record<string, string>;

export const projectText = ["name", "beneficiary", "location"] as const;
export const projectYen = ["contractPrice", "fiscalYearAmount"] as const;
export const projectDates = ["periodFrom", "periodTo", "bidAnnouncedOn", "contractedOn", "originalContractedOn"] as const;
export const contactText = ["department", "title", "name", "phone"] as const;
export const guaranteeFields = ["amount", "delivery", "depositBank", "redeposit", "feePayment", "feeBillTo", "paperFeeStatement"] as const;
export type GuaranteeField = (typeof guaranteeFields)[number];

/** Advances are paid into a deposit account; the other guarantees have none. */
export const hasDeposit = (kind: GuaranteeKind): boolean => kind === "advance" || kind === "intermediate";

export const AGENCY_QUERY = "agencyQuery";
export const AGENCY_ID = "project.agencyId";
export const gName = (kind: GuaranteeKind, field: GuaranteeField | "apply"): string => `guarantees.${kind}.${field}`;

/** Every input of the form, by name. */
export const formNames: readonly string[] = [
  ...projectText.map((f) => `project.${f}`),
  AGENCY_QUERY,
  AGENCY_ID,
  "project.workType",
  ...projectYen.map((f) => `project.${f}`),
  ...projectDates.map((f) => `project.${f}`),
  "branchId",
  "notifyEmail",
  ...contactText.map((f) => `contact.${f}`),
  "message",
  ...guaranteeKinds.flatMap((k) => [gName(k, "apply"), ...guaranteeFields.map((f) => gName(k, f))]),
];

/** The form's values from anything that reads a field by name (FormData, a form element). */
export function valuesFrom(get: (name: string) => string | null): FormValues {
  const values: FormValues = {};
  for (const name of formNames) {
    const v = get(name);
    if (v !== null && v !== "") values[name] = v;
  }
  return values;
}

// ---- typed text → JSON values --------------------------------------------------------------------

/** "12,000,000円", "１２０００００" → 12000000; "" → null; anything else as typed (the API says why). */
export function parseYen(text: string | undefined): number | string | null {
  if (text === undefined) return null;
  const plain = text.normalize("NFKC").replace(/[,\s円]/g, "");
  if (plain === "") return null;
  return /^\d{1,16}$/.test(plain) ? Number(plain) : text;
}

/** 2025-06-01, 2025/6/1, 2025年6月1日 (any width) → "2025-06-01"; "" → null; else as typed. */
export function parseDate(text: string | undefined): string | null {
  if (text === undefined) return null;
  const plain = text.normalize("NFKC").trim();
  if (plain === "") return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(plain);
  return m === null ? plain : `${m[1]}-${(m[2] ?? "").padStart(2, "0")}-${(m[3] ?? "").padStart(2, "0")}`;
}

const line = (text: string | undefined): string | null => {
  const t = (text ?? "").trim();
  return t === "" ? null : t;
};

/** 12000000 → "12,000,000" (the form shows amounts with separators; parseYen reads them back). */
export const yenInput = (n: number | undefined | null): string =>
  n === undefined || n === null ? "" : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** The kinds ticked in the form, in the form's order: the order of the `guarantees` array sent. */
export const appliedKinds = (values: FormValues): GuaranteeKind[] => guaranteeKinds.filter((k) => values[gName(k, "apply")] !== undefined);

/**
 * The JSON the API takes (POST or PATCH as a merge patch): every field present, null where empty,
 * so a cleared input clears the stored value; the guarantees array replaced whole.
 */
export function draftFromValues(values: FormValues): Record<string, unknown> {
  const project: Record<string, unknown> = {};
  for (const f of projectText) project[f] = line(values[`project.${f}`]);
  project["agencyId"] = line(values[AGENCY_ID]);
  project["workType"] = line(values["project.workType"]);
  for (const f of projectYen) project[f] = parseYen(values[`project.${f}`]);
  for (const f of projectDates) project[f] = parseDate(values[`project.${f}`]);
  const contact: Record<string, unknown> = {};
  for (const f of contactText) contact[f] = line(values[`contact.${f}`]);
  const guarantees = appliedKinds(values).map((kind) => {
    const v = (f: GuaranteeField) => values[gName(kind, f)];
    return {
      kind,
      amount: parseYen(v("amount")),
      delivery: line(v("delivery")),
      depositBank: hasDeposit(kind) ? line(v("depositBank")) : null,
      redeposit: hasDeposit(kind) ? v("redeposit") !== undefined : null,
      feePayment: line(v("feePayment")),
      feeBillTo: line(v("feeBillTo")),
      paperFeeStatement: v("paperFeeStatement") !== undefined,
    };
  });
  const message = (values["message"] ?? "").trim();
  return {
    project,
    guarantees,
    branchId: line(values["branchId"]),
    notifyEmail: line(values["notifyEmail"]),
    contact,
    message: message === "" ? null : message,
  };
}

// ---- a stored draft → the form ---------------------------------------------------------------------

/** The stored application as the API shows it (compact: absent fields are missing). */
export interface StoredDraft {
  project?: Partial<Record<string, string | number>>;
  guarantees?: Partial<Record<GuaranteeField | "kind", string | number | boolean>>[];
  branchId?: string;
  notifyEmail?: string;
  contact?: Partial<Record<string, string>>;
  message?: string;
}

export function valuesFromDraft(draft: StoredDraft, agencyName: string | null): FormValues {
  const values: FormValues = {};
  const set = (name: string, v: unknown) => {
    if (typeof v === "string" && v !== "") values[name] = v;
    else if (typeof v === "number") values[name] = String(v);
  };
  const p = draft.project ?? {};
  for (const f of [...projectText, ...projectDates, "workType"]) set(`project.${f}`, p[f]);
  for (const f of projectYen) if (typeof p[f] === "number") values[`project.${f}`] = yenInput(p[f]);
  set(AGENCY_ID, p["agencyId"]);
  if (agencyName !== null) values[AGENCY_QUERY] = agencyName;
  for (const f of contactText) set(`contact.${f}`, draft.contact?.[f]);
  set("branchId", draft.branchId);
  set("notifyEmail", draft.notifyEmail);
  set("message", draft.message);
  for (const g of draft.guarantees ?? []) {
    const kind = g.kind;
    if (typeof kind !== "string" || !(guaranteeKinds as readonly string[]).includes(kind)) continue;
    const k = kind as GuaranteeKind;
    values[gName(k, "apply")] = "on";
    if (typeof g.amount === "number") values[gName(k, "amount")] = yenInput(g.amount);
    for (const f of ["delivery", "depositBank", "feePayment", "feeBillTo"] as const) set(gName(k, f), g[f]);
    if (g.redeposit === true) values[gName(k, "redeposit")] = "on";
    if (g.paperFeeStatement === true) values[gName(k, "paperFeeStatement")] = "on";
  }
  return values;
}

/** The kinds of a stored draft by array index (where its field errors point). */
export const storedKinds = (draft: StoredDraft): (GuaranteeKind | null)[] =>
  (draft.guarantees ?? []).map((g) =>
    typeof g.kind === "string" && (guaranteeKinds as readonly string[]).includes(g.kind) ? (g.kind as GuaranteeKind) : null,
  );

// ---- API field paths → inputs ---------------------------------------------------------------------

const known = new Set(formNames);

/**
 * The input that shows an API field error, given the kinds at each index of the `guarantees`
 * array the API checked; null for errors about no one input (they stay in the summary).
 */
export function inputFor(kinds: readonly (GuaranteeKind | null)[]): (field: string) => string | null {
  return (field) => {
    if (field === AGENCY_ID) return AGENCY_QUERY;
    if (known.has(field)) return field;
    const m = /^guarantees(?:\.(\d+)(?:\.(\w+))?)?$/.exec(field);
    if (m === null) return null;
    const kind = m[1] === undefined ? undefined : kinds[Number(m[1])];
    if (kind === undefined || kind === null) return "guarantees";
    const name = gName(kind, (m[2] ?? "apply") as GuaranteeField);
    return known.has(name) ? name : gName(kind, "apply");
  };
}
