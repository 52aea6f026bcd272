// An agency page's scope table (site/lib/scope-marks.ts): ○ covered, × excluded by the source,
// 記載なし not stated, in agreement with the eligibility rule for every agency in content/.
import { describe, expect, it } from "vitest";
import type { Agency } from "../../edge/domain/agency.ts";
import { checkEligibility, type ScopeRule, type Verdict } from "../../edge/domain/eligibility.ts";
import { electronicGuaranteeKinds, workTypes } from "../../edge/domain/terms.ts";
import { marksUsed, type ScopeMark, scopeMark, scopeMarkText, scopeTable } from "../../site/lib/scope-marks.ts";
import { agencyIn, contentAgencies } from "../support/catalogue.ts";

const agencies = contentAgencies();
const byId = (id: string): Agency => agencyIn(agencies, id);
const cell = (rules: readonly ScopeRule[], work: string, guarantee: string) =>
  scopeTable(rules)
    .find((r) => r.work === work)
    ?.cells.find((c) => c.guarantee === guarantee)?.mark;

const verdictOf: Record<ScopeMark, Verdict> = { covered: "eligible", excluded: "ineligible", not_stated: "uncertain" };

describe("scope marks", () => {
  it("島根県: 建設コンサルタント業務 × for 契約保証 (前払金保証のみ), ○ for 前払金保証; その他 記載なし", () => {
    const rules = byId("320005").adoption.scope?.rules ?? [];
    expect(cell(rules, "consulting", "contract")).toBe("excluded");
    expect(cell(rules, "consulting", "intermediate")).toBe("excluded");
    expect(cell(rules, "consulting", "advance")).toBe("covered");
    expect(cell(rules, "construction", "contract")).toBe("covered");
    expect(cell(rules, "other", "advance")).toBe("not_stated");
  });
  it("日置市: 測量 is 記載なし, not ×, for every guarantee (「工事・建設コンサルタント等業務」)", () => {
    const rules = byId("462161").adoption.scope?.rules ?? [];
    for (const g of electronicGuaranteeKinds) expect(cell(rules, "survey", g)).toBe("not_stated");
    expect(cell(rules, "construction", "contract")).toBe("covered");
    expect(marksUsed(scopeTable(rules))).toEqual(["covered", "not_stated"]);
  });
  it("a guarantee a non-exclusive rule leaves out is 記載なし", () => {
    const rules: ScopeRule[] = [{ works: ["construction"], guarantees: ["advance"] }];
    expect(scopeMark(rules, "construction", "contract")).toBe("not_stated");
    expect(scopeMark([{ ...rules[0], exclusive: true } as ScopeRule], "construction", "contract")).toBe("excluded");
  });
  it("lists every work type, in the vocabulary's order", () => {
    expect(scopeTable([{ works: ["survey"], guarantees: ["advance"] }]).map((r) => r.work)).toEqual([...workTypes]);
  });
  it("agrees with the eligibility rule for every agency's every work and guarantee", () => {
    const withRules = agencies.filter((a) => a.adoption.scope?.rules != null && a.adoption.startsOn !== null);
    expect(withRules.length).toBeGreaterThanOrEqual(5);
    for (const a of withRules) {
      const rules = a.adoption.scope?.rules ?? [];
      for (const work of workTypes)
        for (const guarantee of electronicGuaranteeKinds) {
          // Dates well after any start, so only the scope decides.
          const result = checkEligibility(
            { ...a.adoption, name: a.name, rules, departments: a.adoption.scope?.departments ?? null },
            { guarantee, work, issuer: "surety", bidAnnouncedOn: "2030-01-01", contractedOn: "2030-02-01" },
          );
          if (result.kind !== "decided") throw new Error(`${a.name}: ${JSON.stringify(result)}`);
          expect(result.verdict, `${a.name} ${work} ${guarantee}`).toBe(verdictOf[scopeMark(rules, work, guarantee)]);
        }
    }
  });
  it("gives every mark words for screen readers and a legend line", () => {
    for (const m of ["covered", "excluded", "not_stated"] as const) {
      expect(scopeMarkText[m].spoken.length).toBeGreaterThan(0);
      expect(scopeMarkText[m].legend.length).toBeGreaterThan(0);
    }
    expect(scopeMarkText.excluded.symbol).toBe("×");
    expect(scopeMarkText.not_stated.symbol).toBe("記載なし");
  });
});
