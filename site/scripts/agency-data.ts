// Loads the compact agency list once and indexes it with the same search the API uses.
import { type IndexedDoc, indexDocs, searchIndex, searchOrSuggest } from "../../edge/domain/search.ts";
import { type AgencyEntry, decodeSearchData, SEARCH_DATA_URL } from "../lib/search-format.ts";

export interface AgencyIndex {
  builtOn: string;
  entries: AgencyEntry[];
  byId: Map<string, AgencyEntry>;
  index: IndexedDoc<AgencyEntry>[];
  /** Milliseconds spent in indexDocs (reported on the page for measurement). */
  indexMs: number;
}

export async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

export async function loadAgencyIndex(): Promise<AgencyIndex> {
  const { builtOn, entries } = decodeSearchData(await fetchJson(SEARCH_DATA_URL));
  const started = performance.now();
  const index = indexDocs(entries);
  const indexMs = performance.now() - started;
  searchIndex(index, "a", 1); // warms the search up, so the first keystroke is as quick as the rest
  // The near-spelling path (もしかして, romaji and written names) compiles on first use too: warm it
  // as well, each in a task of its own so that page load gets no longer task.
  for (const typo of ["ひおぎ", "鳥巣"]) setTimeout(() => searchOrSuggest(index, typo, 1), 0);
  return { builtOn, entries, byId: new Map(entries.map((e) => [e.id, e])), index, indexMs };
}
