// Adoptions month by month since 2022-05 (国土交通省, the first), for the timeline chart.
import type { Agency } from "../../edge/domain/agency.ts";

export interface MonthRow {
  /** YYYY-MM */
  month: string;
  added: number;
  cumulative: number;
  /** After the build month: scheduled starts. */
  future: boolean;
}

const next = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};

export function monthlyAdoptions(agencies: readonly Agency[], today: string, first = "2022-05"): { rows: MonthRow[]; undated: number } {
  const counts = new Map<string, number>();
  let undated = 0;
  for (const a of agencies) {
    const { status, startsOn } = a.adoption;
    if (status !== "adopted" && status !== "scheduled") continue;
    if (startsOn === null) undated++;
    else counts.set(startsOn.slice(0, 7), (counts.get(startsOn.slice(0, 7)) ?? 0) + 1);
  }
  const last = [...counts.keys(), today.slice(0, 7)].reduce((a, b) => (b > a ? b : a), first);
  const rows: MonthRow[] = [];
  let cumulative = 0;
  for (let month = first; month <= last; month = next(month)) {
    const added = counts.get(month) ?? 0;
    cumulative += added;
    rows.push({ month, added, cumulative, future: month > today.slice(0, 7) });
  }
  return { rows, undated };
}

export const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
