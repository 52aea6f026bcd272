// Agency search that tolerates kanji, hiragana, katakana, half-width kana and romaji.
// Every reading is folded into one loose romaji key so ひおき, ヒオキ, ﾋｵｷ, hioki and ｈｉｏｋｉ
// meet, and so do Hepburn spellings with or without long vowels (tokyo / toukyou / tōkyō).
import { toHiragana, toRomaji } from "wanakana";

const KATAKANA = /[\u30a1-\u30f6]/g;
const KANJI = /[\u3400-\u9fff\uf900-\ufaff]/u;
const READING_QUERY = /^[a-z\u00c0-\u024f\u3041-\u3096\u30fc'-]+$/u;

/** NFKC (half-width kana and full-width latin), katakana to hiragana, no spaces or dots. */
export function foldKana(text: string): string {
  return text
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
  /** readingKey(kana), when computed ahead (at build time), so indexing costs no romaji work. */
  key?: string;
}

export interface IndexedDoc<T extends SearchDoc> {
  doc: T;
  names: string[];
  /** Names without the trailing 市/町/村/区/県/府/都, for "exact" matches like 日置 → 日置市. */
  stems: string[];
  key: string;
}

const SUFFIX = /(市|町|村|区|県|府|都)$/u;

export function indexDocs<T extends SearchDoc>(docs: readonly T[]): IndexedDoc<T>[] {
  return docs.map((doc) => {
    const names = [doc.name, ...(doc.aliases ?? [])].map((n) => foldKana(n));
    return { doc, names, stems: names.map((n) => n.replace(SUFFIX, "")), key: doc.key ?? readingKey(doc.kana) };
  });
}

/** The query folded two ways: as text for names, and as a loose romaji key for readings. */
/** No agency name is near this long; longer input is cut (wanakana recurses per character). */
export const MAX_QUERY = 64;

export function prepareQuery(q: string): { text: string; key: string | null } {
  const text = foldKana(q.trim().slice(0, MAX_QUERY));
  // Readings are matched only for queries of kana and letters: "' OR 1=1" is not a reading.
  if (text === "" || KANJI.test(text) || !READING_QUERY.test(text)) return { text, key: null };
  const key = looseRomaji(toRomaji(toHiragana(text, { passRomaji: false })));
  return { text, key: key === "" ? null : key };
}

/** Rank: 0 exact name, 1 exact stem, 2 name prefix, 3 reading prefix, 4 name substring, 5 reading substring. */
function rank<T extends SearchDoc>(entry: IndexedDoc<T>, text: string, key: string | null): number {
  if (entry.names.includes(text)) return 0;
  if (entry.stems.includes(text)) return 1;
  if (entry.names.some((n) => n.startsWith(text))) return 2;
  if (key !== null && entry.key.startsWith(key)) return 3;
  if (entry.names.some((n) => n.includes(text))) return 4;
  if (key !== null && key.length >= 3 && entry.key.includes(key)) return 5;
  return -1;
}

/** Search an index; ties keep the index order (callers sort the index by importance first). */
export function searchIndex<T extends SearchDoc>(index: readonly IndexedDoc<T>[], q: string, limit = 20): T[] {
  const { text, key } = prepareQuery(q);
  if (text === "") return [];
  const buckets: T[][] = [[], [], [], [], [], []];
  for (const entry of index) {
    const r = rank(entry, text, key);
    if (r >= 0) buckets[r]?.push(entry.doc);
  }
  return buckets.flat().slice(0, limit);
}

/** The order ties keep in search: adopted agencies first, otherwise the catalogue's order. */
export function searchOrder<T extends { adoption: { status: string } }>(agencies: readonly T[]): T[] {
  return [...agencies].sort((a, b) => Number(b.adoption.status === "adopted") - Number(a.adoption.status === "adopted"));
}
