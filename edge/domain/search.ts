// Agency search that tolerates kanji, hiragana, katakana, half-width kana and romaji.
// Every reading is folded into one loose romaji key so ひおき, ヒオキ, ﾋｵｷ, hioki and ｈｉｏｋｉ
// meet, and so do Hepburn spellings with or without long vowels (tokyo / toukyou / tōkyō).
// When nothing matches, near spellings are offered instead (もしかして): an edit distance on the
// romaji key of readings (ひおぎ, hiokii → 日置市) or on the written name (鳥巣 → 鳥栖市).
import { toHiragana, toRomaji } from "wanakana";

const KATAKANA = /[\u30a1-\u30f6]/g;
const KANJI = /[\u3400-\u9fff\uf900-\ufaff]/u;
const JAPANESE = /[\u3041-\u3096\u30a1-\u30fa\u3005\u3400-\u9fff\uf900-\ufaff]/u;
const READING_QUERY = /^[a-z\u00c0-\u024f\u3041-\u3096\u30fc'-]+$/u;
/**
 * Marks that show nothing but break a comparison, as pasted text carries them: format characters
 * (Unicode Cf: LTR/RTL marks and embeddings, zero-width space and joiners, the BOM, soft hyphens)
 * and variation selectors (a kanji's glyph variant is still the same kanji).
 */
const INVISIBLE = /[\p{Cf}\p{Variation_Selector}]/gu;

/** Removes the invisible marks (Cf and variation selectors). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** NFKC (half-width kana and full-width latin), katakana to hiragana, no spaces, dots or invisible marks. */
export function foldKana(text: string): string {
  return stripInvisible(text)
    .normalize("NFKC")
    .replace(KATAKANA, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60))
    .replace(/[\s・･]/g, "")
    .toLowerCase();
}

/** Loose romaji: long vowels folded, m before b/p as n, punctuation dropped. */
export function looseRomaji(romaji: string): string {
  return romaji
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "")
    .replace(/m(?=[bp])/g, "n")
    .replace(/o[ou]/g, "o")
    .replace(/uu/g, "u");
}

/** The search key of a reading in hiragana. */
export function readingKey(kana: string): string {
  return looseRomaji(toRomaji(foldKana(kana)));
}

export interface SearchDoc {
  id: string;
  name: string;
  /** Hiragana reading. */
  kana: string;
  aliases?: readonly string[];
  /** Hiragana readings of some aliases, by alias (近畿地方整備局 → きんきちほうせいびきょく). */
  aliasKana?: Readonly<Record<string, string>>;
  /** readingKey(kana), when computed ahead (at build time), so indexing costs no romaji work. */
  key?: string;
  /** The aliases' reading keys, when computed ahead: one per alias, "" for an alias without a reading. */
  aliasKeys?: readonly string[];
}

export interface IndexedDoc<T extends SearchDoc> {
  doc: T;
  /** The folded name, then the folded aliases. */
  names: string[];
  /** Names without the trailing 市/町/村/区/県/府/都, for "exact" matches like 日置 → 日置市. */
  stems: string[];
  key: string;
  /** The key without the reading of that suffix (hiokishi → hioki): where the place's own name ends. */
  stemKey: string;
  /** The aliases' reading keys, one per alias ("" for none). */
  aliasKeys: string[];
  /** The key, then the aliases' keys: what near spellings of a reading are looked for in. */
  readings: string[];
}

const SUFFIX = /(市|町|村|区|県|府|都)$/u;
/** The suffixes' readings as hiragana and as loose romaji. */
const SUFFIX_READINGS: Record<string, readonly (readonly [string, string])[]> = {
  市: [["し", "shi"]],
  町: [
    ["ちょう", "cho"],
    ["まち", "machi"],
  ],
  村: [
    ["そん", "son"],
    ["むら", "mura"],
  ],
  区: [["く", "ku"]],
  県: [["けん", "ken"]],
  府: [["ふ", "fu"]],
  都: [["と", "to"]],
};

function stemKeyOf(name: string, kana: string, key: string): string {
  const suffix = SUFFIX.exec(name)?.[1];
  if (suffix === undefined) return key;
  for (const [reading, romaji] of SUFFIX_READINGS[suffix] ?? []) {
    if (kana.endsWith(reading) && key.endsWith(romaji) && key.length > romaji.length) return key.slice(0, -romaji.length);
  }
  return key;
}

/** The reading keys of a doc's aliases, one per alias: "" where the alias has no reading. */
export function aliasKeysOf(doc: Pick<SearchDoc, "aliases" | "aliasKana">): string[] {
  return (doc.aliases ?? []).map((alias) => {
    const kana = doc.aliasKana?.[alias];
    return kana === undefined ? "" : readingKey(kana);
  });
}

export function indexDocs<T extends SearchDoc>(docs: readonly T[]): IndexedDoc<T>[] {
  return docs.map((doc) => {
    const names = [doc.name, ...(doc.aliases ?? [])].map((n) => foldKana(n));
    const key = doc.key ?? readingKey(doc.kana);
    const aliasKeys = doc.aliasKeys === undefined ? aliasKeysOf(doc) : [...doc.aliasKeys];
    const stems = names.map((n) => n.replace(SUFFIX, ""));
    return { doc, names, stems, key, stemKey: stemKeyOf(doc.name, doc.kana, key), aliasKeys, readings: [key, ...aliasKeys] };
  });
}

/** No agency name is near this long; longer input is cut (wanakana recurses per character). */
export const MAX_QUERY = 64;

/** The query folded two ways: as text for names, and as a loose romaji key for readings. */
export function prepareQuery(q: string): { text: string; key: string | null } {
  const text = foldKana(stripInvisible(q).trim().slice(0, MAX_QUERY));
  // Readings are matched only for queries of kana and letters: "' OR 1=1" is not a reading.
  if (text === "" || KANJI.test(text) || !READING_QUERY.test(text)) return { text, key: null };
  const key = looseRomaji(toRomaji(toHiragana(text, { passRomaji: false })));
  return { text, key: key === "" ? null : key };
}

/**
 * Match ranks, best first. A body's own name and reading rank before its other names (aliases)
 * at the same kind of match, so 九州 lists 九州大学 before 国土交通省 (via 九州地方整備局).
 * A reading that ends the place's own name is a whole word (tokyo in にし|とうきょう|し) and ranks
 * before one found inside a word (tokyo in きょう|と|きょう|いく). A query that contains a whole
 * name finds it too, as a pasted 被保証者 does (国土交通省近畿地方整備局長, 日置市長). An alias's
 * reading (kinki, きんき → 近畿地方整備局) counts as the alias when whole, and after the body's own
 * whole words when it only starts with the query (tokyo: 西東京市 before 東京航空局's 国土交通省).
 */
const RANK = {
  exactName: 0,
  exactAlias: 1,
  stemName: 2,
  stemAlias: 3,
  namePrefix: 4,
  readingPrefix: 5,
  aliasPrefix: 6,
  readingWord: 7,
  aliasReadingPrefix: 8,
  nameInside: 9,
  aliasInside: 10,
  nameInQuery: 11,
  readingInside: 12,
} as const;
const RANKS = 13;

/** Readings shorter than this match only at the start of a word (a key of "to" is inside half the list). */
const MIN_INSIDE = 3;
/** Names shorter than this are not looked for inside a query (東京 is inside 西東京市). */
const MIN_NAME_IN_QUERY = 3;

function ownRank<T extends SearchDoc>(entry: IndexedDoc<T>, text: string, key: string | null): number {
  const name = entry.names[0] ?? "";
  if (name === text) return RANK.exactName;
  if (entry.stems[0] === text) return RANK.stemName;
  if (name.startsWith(text)) return RANK.namePrefix;
  if (key !== null && entry.key.startsWith(key)) return RANK.readingPrefix;
  if (key !== null && key.length >= MIN_INSIDE && entry.stemKey.endsWith(key)) return RANK.readingWord;
  if (name.includes(text)) return RANK.nameInside;
  if (name.length >= MIN_NAME_IN_QUERY && text.length > name.length && text.includes(name)) return RANK.nameInQuery;
  if (key !== null && key.length >= MIN_INSIDE && entry.key.includes(key)) return RANK.readingInside;
  return -1;
}

/** How an alias's reading key meets the query's key: whole, at its start, or not (-1). */
function aliasReadingRank(aliasKey: string, key: string | null): number {
  if (key === null || aliasKey === "") return -1;
  return aliasKey === key ? RANK.exactAlias : aliasKey.startsWith(key) ? RANK.aliasReadingPrefix : -1;
}

/** The best alias match (by its written form or its reading) as [rank, alias index], or [-1, -1]. */
function aliasRank<T extends SearchDoc>(entry: IndexedDoc<T>, text: string, key: string | null): [number, number] {
  let best = -1;
  let at = -1;
  for (let i = 1; i < entry.names.length; i++) {
    const alias = entry.names[i] ?? "";
    const written =
      alias === text
        ? RANK.exactAlias
        : entry.stems[i] === text
          ? RANK.stemAlias
          : alias.startsWith(text)
            ? RANK.aliasPrefix
            : alias.includes(text)
              ? RANK.aliasInside
              : alias.length >= MIN_NAME_IN_QUERY && text.length > alias.length && text.includes(alias)
                ? RANK.nameInQuery
                : -1;
    const read = aliasReadingRank(entry.aliasKeys[i - 1] ?? "", key);
    const r = written < 0 ? read : read < 0 ? written : Math.min(written, read);
    if (r >= 0 && (best < 0 || r < best)) {
      best = r;
      at = i - 1;
      if (r === RANK.exactAlias) break;
    }
  }
  return [best, at];
}

export interface SearchHit<T> {
  doc: T;
  /** The other name (alias) it was found by, when its own name and reading do not match the query. */
  via: string | null;
}

export interface SearchResult<T> {
  hits: SearchHit<T>[];
  /** true when nothing matched and the hits are near spellings of the query (もしかして). */
  suggested: boolean;
}

function matches<T extends SearchDoc>(index: readonly IndexedDoc<T>[], text: string, key: string | null, limit: number): SearchHit<T>[] {
  const buckets: SearchHit<T>[][] = Array.from({ length: RANKS }, () => []);
  for (const entry of index) {
    const own = ownRank(entry, text, key);
    const [alias, at] = own === RANK.exactName ? [-1, -1] : aliasRank(entry, text, key);
    if (own < 0 && alias < 0) continue;
    const rank = own < 0 ? alias : alias < 0 ? own : Math.min(own, alias);
    buckets[rank]?.push({ doc: entry.doc, via: own < 0 ? (entry.doc.aliases?.[at] ?? null) : null });
  }
  return buckets.flat().slice(0, limit);
}

/** Search an index; ties keep the index order (callers sort the index by importance first). No suggestions. */
export function searchIndex<T extends SearchDoc>(index: readonly IndexedDoc<T>[], q: string, limit = 20): T[] {
  const { text, key } = prepareQuery(q);
  if (text === "") return [];
  return matches(index, text, key, limit).map((h) => h.doc);
}

/** At most this many near spellings are offered. */
export const MAX_SUGGESTIONS = 10;
/** Suggestions are looked for only for queries of this length and up (in key letters or characters)... */
const MIN_FUZZY_KEY = 3;
const MIN_FUZZY_TEXT = 2;
/** ...and up to this length: a longer query is not a typo of a name. */
const MAX_FUZZY = 24;

/** Edits allowed: one per short word, two from 8 romaji letters or 5 characters of a written name. */
const allowedKeyEdits = (length: number) => (length >= 8 ? 2 : 1);
const allowedTextEdits = (length: number) => (length >= 5 ? 2 : 1);

const FAR = 1_000;

// Three rows of the edit-distance table, reused by every comparison (no allocation per agency).
const ROW = MAX_FUZZY + 4;
let before = new Int32Array(ROW);
let previous = new Int32Array(ROW);
let current = new Int32Array(ROW);

/**
 * Optimal-string-alignment distances (a swap of two neighbours is one edit) between q and each
 * prefix of s up to |q| + max characters; afterwards distanceTo(j) reads the one to s's first j
 * characters. Answers the smallest (q is the start of s, but for typos), or FAR beyond max.
 */
function prefixDistance(q: string, s: string, max: number): number {
  const m = q.length;
  const n = Math.min(s.length, m + max);
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= m; i++) {
    const qc = q.charCodeAt(i - 1);
    const qBefore = i > 1 ? q.charCodeAt(i - 2) : -1;
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const sc = s.charCodeAt(j - 1);
      let d = (previous[j - 1] ?? FAR) + (qc === sc ? 0 : 1);
      const del = (previous[j] ?? FAR) + 1;
      if (del < d) d = del;
      const ins = (current[j - 1] ?? FAR) + 1;
      if (ins < d) d = ins;
      if (j > 1 && qBefore === sc && qc === s.charCodeAt(j - 2)) {
        const swap = (before[j - 2] ?? FAR) + 1;
        if (swap < d) d = swap;
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) {
      lastLength = -1;
      return FAR;
    }
    [before, previous, current] = [previous, current, before];
  }
  lastLength = n;
  let best = FAR;
  for (let j = Math.max(0, m - max); j <= n; j++) best = Math.min(best, previous[j] ?? FAR);
  return best > max ? FAR : best;
}
let lastLength = -1;

/** After prefixDistance: the distance of q to s's first j characters, or FAR if not computed or beyond max. */
function distanceTo(j: number, max: number): number {
  if (j > lastLength) return FAR;
  const d = previous[j] ?? FAR;
  return d > max ? FAR : d;
}

/**
 * Edit distance between q and s (whole), and between q and the nearest prefix of s (prefix: what
 * has been typed so far may be the start of a name). FAR beyond max.
 */
export function nearness(q: string, s: string, max: number): { whole: number; prefix: number } {
  if (q.length > MAX_FUZZY) return { whole: FAR, prefix: FAR };
  const prefix = prefixDistance(q, s, max);
  return { whole: prefix === FAR ? FAR : distanceTo(s.length, max), prefix };
}

// A quick lower bound before the table: each letter of the query that the start of a key lacks
// (counted with repeats) costs at least one edit, so a key short of more than max letters is skipped.
const available = new Int16Array(26);
const A = 97;

function letterCounts(key: string): { letters: number[]; counts: Int16Array } {
  const counts = new Int16Array(26);
  for (let i = 0; i < key.length; i++) {
    const l = key.charCodeAt(i) - A;
    counts[l] = (counts[l] ?? 0) + 1;
  }
  const letters: number[] = [];
  for (let l = 0; l < 26; l++) if ((counts[l] ?? 0) > 0) letters.push(l);
  return { letters, counts };
}

function tooFewLetters({ letters, counts }: { letters: number[]; counts: Int16Array }, s: string, window: number, max: number): boolean {
  const n = Math.min(s.length, window);
  for (let j = 0; j < n; j++) {
    const l = s.charCodeAt(j) - A;
    available[l] = (available[l] ?? 0) + 1;
  }
  let missing = 0;
  for (const l of letters) missing += Math.max(0, (counts[l] ?? 0) - (available[l] ?? 0));
  for (let j = 0; j < n; j++) {
    const l = s.charCodeAt(j) - A;
    available[l] = (available[l] ?? 0) - 1;
  }
  return missing > max;
}

interface Suggestion<T> {
  doc: T;
  via: string | null;
  /** Edits to the nearest start of a name or reading. */
  distance: number;
  /** 0 when the whole name (or its stem, or the whole reading) is that near; 1 for a start of it. */
  partial: number;
  /** 0 when the first character is as typed (people seldom mistype the first one). */
  first: number;
  order: number;
}

/**
 * Each agency's nearest target to the query (a target: its own name or reading at 0, its aliases'
 * after), where one is within max edits. stemOf gives the part of target i that counts as whole
 * too (日置|市: hioki is as whole as hiokishi), a prefix of it, or null.
 */
function nearest<T extends SearchDoc>(
  index: readonly IndexedDoc<T>[],
  query: string,
  max: number,
  targetsOf: (entry: IndexedDoc<T>) => readonly string[],
  stemOf: (entry: IndexedDoc<T>, i: number) => string | null,
  skip: (target: string) => boolean,
): Suggestion<T>[] {
  const found: Suggestion<T>[] = [];
  for (let order = 0; order < index.length; order++) {
    const entry = index[order] as IndexedDoc<T>;
    const targets = targetsOf(entry);
    let best: Suggestion<T> | undefined;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] ?? "";
      if (skip(target)) continue;
      const prefix = prefixDistance(query, target, max);
      if (prefix === FAR) continue;
      // The stem is a prefix of the target: its distance is in the same table.
      const stem = stemOf(entry, i);
      const whole = Math.min(distanceTo(target.length, max), stem === null ? FAR : distanceTo(stem.length, max));
      const candidate: Suggestion<T> = {
        doc: entry.doc,
        via: i === 0 ? null : (entry.doc.aliases?.[i - 1] ?? null),
        distance: prefix,
        partial: whole <= prefix ? 0 : 1,
        first: target[0] === query[0] ? 0 : 1,
        order,
      };
      if (best === undefined || compareSuggestions(candidate, best) < 0) best = candidate;
    }
    if (best !== undefined) found.push(best);
  }
  return found;
}

/** Near spellings of a query that matched nothing: by edits, whole before partial, first letter kept, index order. */
function suggestions<T extends SearchDoc>(
  index: readonly IndexedDoc<T>[],
  text: string,
  key: string | null,
  limit: number,
): SearchHit<T>[] {
  let found: Suggestion<T>[] = [];
  if (key !== null && key.length >= MIN_FUZZY_KEY && key.length <= MAX_FUZZY) {
    // Readings: the agency's own, then its aliases' (kinkii → 近畿地方整備局).
    const max = allowedKeyEdits(key.length);
    const letters = letterCounts(key);
    found = nearest(
      index,
      key,
      max,
      (entry) => entry.readings,
      (entry, i) => (i === 0 ? entry.stemKey : null),
      (target) => target === "" || tooFewLetters(letters, target, key.length + max, max),
    );
  } else if (key === null && JAPANESE.test(text) && text.length >= MIN_FUZZY_TEXT && text.length <= MAX_FUZZY) {
    // Written names: the agency's own, then its aliases (鳥巣 → 鳥栖市).
    found = nearest(
      index,
      text,
      allowedTextEdits(text.length),
      (entry) => entry.names,
      (entry, i) => entry.stems[i] ?? null,
      () => false,
    );
  }
  return found
    .sort(compareSuggestions)
    .slice(0, Math.min(limit, MAX_SUGGESTIONS))
    .map(({ doc, via }) => ({ doc, via }));
}

function compareSuggestions<T>(a: Suggestion<T>, b: Suggestion<T>): number {
  return (
    a.distance - b.distance ||
    a.partial - b.partial ||
    a.first - b.first ||
    Number(a.via !== null) - Number(b.via !== null) ||
    a.order - b.order
  );
}

/**
 * The search the pages and the API share: matches, best first; when nothing matches, near
 * spellings of the query (at most MAX_SUGGESTIONS), flagged as suggestions.
 */
export function searchOrSuggest<T extends SearchDoc>(index: readonly IndexedDoc<T>[], q: string, limit = 20): SearchResult<T> {
  const { text, key } = prepareQuery(q);
  if (text === "") return { hits: [], suggested: false };
  const hits = matches(index, text, key, limit);
  if (hits.length > 0) return { hits, suggested: false };
  const near = suggestions(index, text, key, limit);
  return { hits: near, suggested: near.length > 0 };
}

/** The order ties keep in search: adopted agencies first, otherwise the catalogue's order. */
export function searchOrder<T extends { adoption: { status: string } }>(agencies: readonly T[]): T[] {
  return [...agencies].sort((a, b) => Number(b.adoption.status === "adopted") - Number(a.adoption.status === "adopted"));
}
