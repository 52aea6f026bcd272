// The compact agency list behind the search box and the checker. Written at build time
// (site/pages/search-index.json.ts, agency-rules.json.ts) and read in the browser (site/scripts/).
// Only types are imported here: the browser bundle must not pull zod in through vocabulary.ts.
import type { AgencyRule } from "../../edge/domain/eligibility.ts";
import type { SearchDoc } from "../../edge/domain/search.ts";
import type { AdoptionStatus, AgencyKind } from "../../edge/domain/terms.ts";

export const SEARCH_DATA_URL = "/search-index.json";
export const RULES_DATA_URL = "/agency-rules.json";

/**
 * The agencies as columns (they compress better than rows): entry i is ids[i], names.split("|")[i] …
 * A 6-digit 全国地方公共団体コード id is stored as a number, its difference from the previous code id.
 * Rows are in search order: ties in searchIndex keep this order (adopted first, as the API does).
 */
export interface SearchData {
  builtOn: string;
  kinds: AgencyKind[];
  kindLabels: string[];
  statuses: AdoptionStatus[];
  statusLabels: string[];
  /** Prefecture names by code − 1. */
  prefectures: string[];
  ids: (string | number)[];
  /** Names joined with SEPARATOR. */
  names: string;
  /** Hiragana readings joined with SEPARATOR. */
  kana: string;
  /** Their search keys (readingKey), joined with SEPARATOR: computed at build, not on the phone. */
  keys: string;
  /** Prefecture code per agency; 0 for none. */
  prefs: number[];
  /** One digit per agency: its index in kinds. */
  kind: string;
  /** One digit per agency: its index in statuses. */
  status: string;
  /** Start date per agency: "" for none, "YYYY-MM" when only the month is known. */
  starts: string[];
  /** Other names, by agency position. */
  aliases: Record<number, string[]>;
  /**
   * The other names' reading keys (readingKey of the alias's hiragana), by agency position, one per
   * alias ("" where an alias has no reading); only agencies with at least one reading are present.
   */
  aliasKeys: Record<number, string[]>;
}

export const SEPARATOR = "|";

/** The eligibility slice (ruleOf) of every agency with adoption facts, without the name. */
export interface RulesData {
  builtOn: string;
  rules: Record<string, Omit<AgencyRule, "name">>;
}

/** What ruleOf gives for an agency without adoption facts (status unknown). */
export const NO_ADOPTION: Omit<AgencyRule, "name"> = {
  status: "unknown",
  startsOn: null,
  startsOnPrecision: null,
  basis: null,
  rules: null,
  departments: null,
};

export interface AgencyEntry extends SearchDoc {
  aliases: string[];
  aliasKeys: string[];
  url: string;
  prefCode: number | null;
  prefecture: string | null;
  kind: AgencyKind;
  kindLabel: string;
  status: AdoptionStatus;
  statusLabel: string;
  startsOn: string | null;
  startsOnPrecision: "day" | "month" | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Turns the JSON into entries; throws on a shape this code does not know (a stale cache). */
export function decodeSearchData(json: unknown): { builtOn: string; entries: AgencyEntry[] } {
  if (
    !isObject(json) ||
    !Array.isArray(json.ids) ||
    typeof json.names !== "string" ||
    typeof json.keys !== "string" ||
    typeof json.builtOn !== "string"
  ) {
    throw new Error("検索データの形式が不正です");
  }
  const data = json as unknown as SearchData;
  const names = data.names.split(SEPARATOR);
  const kana = data.kana.split(SEPARATOR);
  const keys = data.keys.split(SEPARATOR);
  let code = 0;
  const entries = data.ids.map((cell, i): AgencyEntry => {
    if (typeof cell === "number") code += cell;
    const id = typeof cell === "number" ? String(code).padStart(6, "0") : cell;
    const kind = data.kinds[Number(data.kind[i])];
    const status = data.statuses[Number(data.status[i])];
    const name = names[i];
    const reading = kana[i];
    const key = keys[i];
    const pref = data.prefs[i] ?? 0;
    const starts = data.starts[i] ?? "";
    if (kind === undefined || status === undefined || name === undefined || reading === undefined || key === undefined)
      throw new Error(`検索データの形式が不正です: ${id}`);
    return {
      id,
      name,
      kana: reading,
      key,
      aliases: data.aliases[i] ?? [],
      // A list cached before alias readings (no aliasKeys) still decodes: its aliases just have none.
      aliasKeys: data.aliasKeys?.[i] ?? [],
      url: `/agencies/${id}/`,
      prefCode: pref === 0 ? null : pref,
      prefecture: data.prefectures[pref - 1] ?? null,
      kind,
      kindLabel: data.kindLabels[Number(data.kind[i])] ?? "",
      status,
      statusLabel: data.statusLabels[Number(data.status[i])] ?? "",
      startsOn: starts === "" ? null : starts.length === 7 ? `${starts}-01` : starts,
      startsOnPrecision: starts === "" ? null : starts.length === 7 ? "month" : "day",
    };
  });
  return { builtOn: data.builtOn, entries };
}

export function decodeRulesData(json: unknown): RulesData {
  if (!isObject(json) || !isObject(json.rules) || typeof json.builtOn !== "string") throw new Error("判定データの形式が不正です");
  return json as unknown as RulesData;
}

/** The eligibility rule of an agency: the build-time ruleOf slice, or the no-adoption one. */
export function ruleFor(entry: Pick<AgencyEntry, "id" | "name">, data: RulesData): AgencyRule {
  return { name: entry.name, ...(data.rules[entry.id] ?? NO_ADOPTION) };
}
