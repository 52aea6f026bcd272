// 「発注者を探す」: filters all agencies as the user types, with the API's own search (search.ts).
// The box is a combobox: its suggestions open an agency's page with the arrows and Enter (or a tap);
// Enter without a pick (or the button) filters the list below, whose rows are links as a whole.
import { type SearchHit, type SearchResult, searchOrSuggest } from "../../edge/domain/search.ts";
import { startPhrase } from "../lib/agency-text.ts";
import type { AgencyEntry } from "../lib/search-format.ts";
import { type AgencyIndex, loadAgencyIndex } from "./agency-data.ts";
import { agencyOption, SUGGESTIONS, viaText } from "./agency-suggest.ts";
import { combobox } from "./combobox.ts";
import { el } from "./dom.ts";

const PAGE = 50;
const ANNOUNCE_DELAY_MS = 700;

const form = el("agency-search", HTMLFormElement);
const q = el("q", HTMLInputElement);
const status = el("status", HTMLSelectElement);
const pref = el("pref", HTMLSelectElement);
const summary = el("search-summary", HTMLParagraphElement);
const live = el("search-live", HTMLParagraphElement);
const list = el("search-results", HTMLUListElement);
const more = el("search-more", HTMLButtonElement);
const staticList = el("adopted-list", HTMLElement);

let data: AgencyIndex | undefined;
let matches: SearchHit<AgencyEntry>[] = [];
/** true when the query matched nothing and the list holds near spellings (もしかして). */
let suggested = false;
let shown = 0;
/** The last query's search, shared by the suggestions and the list (one search per keystroke). */
let memo: { query: string; result: SearchResult<AgencyEntry>; ms: number } | undefined;
let announceTimer: ReturnType<typeof setTimeout> | undefined;

function find(index: AgencyIndex, query: string): { result: SearchResult<AgencyEntry>; ms: number } {
  if (memo?.query !== query) {
    const started = performance.now();
    const result = searchOrSuggest(index.index, query, index.index.length);
    memo = { query, result, ms: performance.now() - started };
  }
  return memo;
}

/** One result: the whole row is one link (name, status, where, since when, and why it matched). */
function item({ doc: entry, via }: SearchHit<AgencyEntry>): HTMLLIElement {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = entry.url;
  link.className = "result-row";
  const name = document.createElement("span");
  name.textContent = entry.name;
  name.className = "result-name";
  const badge = document.createElement("span");
  badge.className = `badge ${entry.status}`;
  badge.textContent = entry.statusLabel;
  const meta = document.createElement("span");
  meta.className = "result-meta";
  meta.textContent = [
    via === null ? "" : viaText(via),
    entry.prefecture ?? "全国",
    entry.kindLabel,
    startPhrase(entry.status, entry.startsOn, entry.startsOnPrecision),
  ]
    .filter((s) => s !== "")
    .join("・");
  link.append(name, " ", badge, meta);
  li.append(link);
  return li;
}

function showMore(focusFirst: boolean): void {
  const next = matches.slice(shown, shown + PAGE);
  const items = next.map(item);
  list.append(...items);
  shown += next.length;
  more.hidden = shown >= matches.length;
  more.textContent = `さらに表示（残り${matches.length - shown}件）`;
  if (focusFirst) items[0]?.querySelector("a")?.focus();
}

function describe(query: string, count: number): string {
  const filters = [
    query === "" ? "" : `「${query}」`,
    status.value === "" ? "" : (status.selectedOptions[0]?.textContent ?? ""),
    pref.value === "" ? "" : (pref.selectedOptions[0]?.textContent ?? ""),
  ].filter((s) => s !== "");
  if (count === 0)
    return `${filters.join("・")}に当てはまる発注者は見つかりませんでした。読み（ひらがな・ローマ字）や名前の一部でもお試しください。`;
  const shownNote = count > shown ? `（${shown}件を表示）` : "";
  if (suggested)
    return `「${query}」に一致する発注者は見つかりませんでした。もしかして: 読みや字の近い発注者${count.toLocaleString("ja-JP")}件${shownNote}`;
  return `${filters.join("・")}: ${count.toLocaleString("ja-JP")}件${shownNote}`;
}

function syncUrl(query: string): void {
  const params = new URLSearchParams();
  if (query !== "") params.set("q", query);
  if (status.value !== "") params.set("status", status.value);
  if (pref.value !== "") params.set("pref", pref.value);
  const search = params.toString();
  history.replaceState(null, "", search === "" ? location.pathname : `?${search}`);
}

function update(announceNow = false): void {
  if (data === undefined) return;
  const query = q.value.trim();
  syncUrl(query);
  clearTimeout(announceTimer);
  if (query === "" && status.value === "" && pref.value === "") {
    matches = [];
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    summary.textContent = "";
    live.textContent = "";
    staticList.hidden = false;
    return;
  }
  const searched = query === "" ? undefined : find(data, query);
  const found: SearchResult<AgencyEntry> = searched?.result ?? { hits: data.entries.map((doc) => ({ doc, via: null })), suggested: false };
  const wantPref = pref.value === "" ? undefined : Number(pref.value);
  matches = found.hits.filter(
    ({ doc: e }) => (status.value === "" || e.status === status.value) && (wantPref === undefined || (e.prefCode ?? 0) === wantPref),
  );
  suggested = found.suggested;
  // The search's own time for this query (measured by bench: see docs/benchmarks.md).
  list.dataset.searchMs = (searched?.ms ?? 0).toFixed(2);
  list.replaceChildren();
  shown = 0;
  showMore(false);
  list.hidden = matches.length === 0;
  staticList.hidden = true;
  const text = describe(query, matches.length);
  summary.textContent = text;
  // Announce once typing pauses, so a screen reader is not read every keystroke's count.
  announceTimer = setTimeout(() => (live.textContent = text), announceNow ? 0 : ANNOUNCE_DELAY_MS);
}

function readParams(): void {
  const params = new URLSearchParams(location.search);
  q.value = params.get("q") ?? "";
  const wantStatus = params.get("status") ?? "";
  if ([...status.options].some((o) => o.value === wantStatus)) status.value = wantStatus;
  const wantPref = params.get("pref") ?? "";
  if ([...pref.options].some((o) => o.value === wantPref)) pref.value = wantPref;
}

const picker = combobox({
  input: q,
  listbox: el("q-options", HTMLUListElement),
  suggest: (text) => {
    if (data === undefined) return [];
    const { result } = find(data, text.trim());
    return result.hits.slice(0, SUGGESTIONS).map((hit) => agencyOption(hit, result.suggested));
  },
  onSelect: (option) => {
    if (option !== null) location.assign(option.url);
  },
});

form.hidden = false;
el("search-nojs", HTMLElement).hidden = true;
readParams();
q.addEventListener("input", () => update());
status.addEventListener("change", () => update(true));
pref.addEventListener("change", () => update(true));
more.addEventListener("click", () => showMore(true));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  picker.close();
  update(true);
});

summary.textContent = "発注者の一覧を読み込んでいます…";
loadAgencyIndex()
  .then((loaded) => {
    data = loaded;
    form.dataset.indexMs = loaded.indexMs.toFixed(1);
    summary.textContent = "";
    update(true);
  })
  .catch(() => {
    summary.textContent =
      "発注者の一覧を読み込めませんでした。通信状態を確認してページを再読み込みするか、下の都道府県別の一覧から探してください。";
  });
