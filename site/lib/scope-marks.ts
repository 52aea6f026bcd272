// The marks of an agency page's scope table: ○ where the source names the work and the guarantee,
// × only where the source excludes it (a rule marked exclusive limits those works to its
// guarantees), 記載なし where the source does not say. They follow the eligibility rule's checkScope
// (edge/domain/eligibility.ts): covered → 対象, excluded → 対象外, not stated → 要確認.
import type { ScopeRule } from "../../edge/domain/eligibility.ts";
import type { ElectronicGuaranteeKind, WorkType } from "../../edge/domain/terms.ts";
import { electronicGuaranteeKinds, workTypes } from "../../edge/domain/terms.ts";

export type ScopeMark = "covered" | "excluded" | "not_stated";

/** What each mark shows and what a screen reader says for it; also the legend's lines. */
export const scopeMarkText: Record<ScopeMark, { symbol: string; spoken: string; legend: string }> = {
  covered: { symbol: "○", spoken: "対象", legend: "資料に電子保証の対象と記載" },
  excluded: { symbol: "×", spoken: "対象外", legend: "資料が対象外としている（書面の保証証書で提出）" },
  not_stated: { symbol: "記載なし", spoken: "資料に記載なし", legend: "資料に記載がない（対象かどうかは発注者に確認）" },
};

export function scopeMark(rules: readonly ScopeRule[], work: WorkType, guarantee: ElectronicGuaranteeKind): ScopeMark {
  const forWork = rules.filter((r) => r.works.includes(work));
  if (forWork.some((r) => r.guarantees.includes(guarantee))) return "covered";
  return forWork.some((r) => r.exclusive === true) ? "excluded" : "not_stated";
}

export interface ScopeRow {
  work: WorkType;
  cells: { guarantee: ElectronicGuaranteeKind; mark: ScopeMark }[];
}

/** Every work type by every electronic guarantee: a work the source does not name is a row of 記載なし. */
export function scopeTable(rules: readonly ScopeRule[]): ScopeRow[] {
  return workTypes.map((work) => ({
    work,
    cells: electronicGuaranteeKinds.map((guarantee) => ({ guarantee, mark: scopeMark(rules, work, guarantee) })),
  }));
}

/** The marks a table uses, in legend order, so the legend explains only what is there. */
export function marksUsed(rows: readonly ScopeRow[]): ScopeMark[] {
  const used = new Set(rows.flatMap((r) => r.cells.map((c) => c.mark)));
  return (["covered", "excluded", "not_stated"] as const).filter((m) => used.has(m));
}
