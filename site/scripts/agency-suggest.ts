// Agency suggestions for every agency box (the search page's, the home page's, the checker's and the
// application form's): the shared search, with the other name a body was found by
// (九州地方整備局 → 国土交通省) and もしかして for near spellings.
import { type SearchHit, searchOrSuggest } from "../../edge/domain/search.ts";
import type { AgencyEntry } from "../lib/search-format.ts";
import { type AgencyIndex, loadAgencyIndex } from "./agency-data.ts";
import type { ComboboxOption } from "./combobox.ts";

export interface AgencyOption extends ComboboxOption {
  url: string;
}

/** How many suggestions a box shows under itself. */
export const SUGGESTIONS = 8;

/** 「近畿地方整備局」で一致: why a row is there when its own name does not contain the query. */
export const viaText = (via: string) => `「${via}」で一致`;

export function agencyOption({ doc, via }: SearchHit<AgencyEntry>, suggested: boolean): AgencyOption {
  const detail = [suggested ? "もしかして" : "", via === null ? "" : viaText(via), doc.prefecture ?? "全国", doc.statusLabel];
  return { id: doc.id, label: doc.name, url: doc.url, detail: detail.filter((s) => s !== "").join("・") };
}

export function agencyOptions(data: AgencyIndex, text: string, limit = SUGGESTIONS): AgencyOption[] {
  const { hits, suggested } = searchOrSuggest(data.index, text, limit);
  return hits.map((hit) => agencyOption(hit, suggested));
}

/** Loads the agency list and answers with a suggester (for a box that loads it only once used). */
export async function loadSuggester(): Promise<(text: string) => AgencyOption[]> {
  const data = await loadAgencyIndex();
  return (text) => agencyOptions(data, text);
}
