// Figures the home and prefecture pages show, computed from the catalogue at build time.
import type { Agency } from "../../edge/domain/agency.ts";
import type { AgencyKind } from "../../edge/domain/terms.ts";

export const isListed = (a: Agency) => a.adoption.status === "adopted" || a.adoption.status === "scheduled";

export function countByKind(agencies: readonly Agency[]): Map<AgencyKind, number> {
  const counts = new Map<AgencyKind, number>();
  for (const a of agencies) if (a.adoption.status === "adopted") counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return counts;
}

export interface PrefectureFigures {
  code: number;
  name: string;
  adopted: number;
  scheduled: number;
  localGovernments: number;
  /** Agencies located here with a sourced status (adopted, scheduled or not adopted). */
  sourced: number;
}

/** Per prefecture: adopting agencies located there (government, municipalities, bodies). */
export function figuresByPrefecture(
  agencies: readonly Agency[],
  prefectures: readonly { code: number; name: string }[],
): PrefectureFigures[] {
  return prefectures.map((p) => {
    const here = agencies.filter((a) => a.prefectureCode === p.code);
    return {
      code: p.code,
      name: p.name,
      adopted: here.filter((a) => a.adoption.status === "adopted").length,
      scheduled: here.filter((a) => a.adoption.status === "scheduled").length,
      localGovernments: here.filter((a) => a.kind !== "national" && a.kind !== "independent_agency" && a.kind !== "public_body").length,
      sourced: here.filter((a) => a.adoption.status !== "unknown").length,
    };
  });
}

/** The most recent starts on or before `today`, newest first; ties by name. */
export function latestAdoptions(agencies: readonly Agency[], today: string, count: number): Agency[] {
  return agencies
    .filter((a) => a.adoption.startsOn !== null && a.adoption.startsOn <= today)
    .sort((a, b) => (b.adoption.startsOn ?? "").localeCompare(a.adoption.startsOn ?? "") || a.name.localeCompare(b.name, "ja"))
    .slice(0, count);
}

export const upcomingAdoptions = (agencies: readonly Agency[]): Agency[] =>
  agencies
    .filter((a) => a.adoption.status === "scheduled")
    .sort((a, b) => (a.adoption.startsOn ?? "").localeCompare(b.adoption.startsOn ?? ""));

export const prefecturePath = (code: number) => `/prefectures/${String(code).padStart(2, "0")}/`;

/**
 * Prefectures whose rows in seed 003's table (as of 2026-02-02) list only the first dozen or so
 * municipalities: a municipality shown as 情報なし there may well have adopted.
 */
export const CUT_TABLE_PREFECTURES = new Set([27, 25, 26, 29, 30, 28, 31, 32, 33, 34, 35, 37, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47]);
