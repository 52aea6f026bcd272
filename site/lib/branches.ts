// The branches an application can be sent to, grouped by guarantor for a select.
import type { Api } from "./api.ts";
import type { Guarantors } from "./views.ts";

export type BranchGroups = { label: string; options: { value: string; label: string }[] }[];

export async function branchGroups(api: Api, only?: string): Promise<BranchGroups> {
  const res = await api.get<Guarantors>("/api/v1/guarantors");
  if (!res.ok) return [];
  return res.data.items
    .filter((g) => g.branches.length > 0 && (only === undefined || g.id === only))
    .map((g) => ({ label: g.name, options: g.branches.map((b) => ({ value: b.id, label: b.name })) }));
}

/** "西日本建設業保証株式会社 鹿児島支店" for a branch id, when the groups have it. */
export function branchLabel(groups: BranchGroups, id: string | undefined): string | undefined {
  for (const g of groups) for (const o of g.options) if (o.value === id) return `${g.label} ${o.label}`;
  return undefined;
}
