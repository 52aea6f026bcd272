// Reports of a correction or an addition to the guide's facts (「情報の訂正・追加を知らせる」): the
// rules every door shares (the API, the page without JavaScript, the page's script). Plain
// functions without zod, so the browser bundle stays small; edge/routes/reports.ts wraps them.
import type { FieldError } from "./errors.ts";

export const REPORT_MESSAGE_MAX = 2000;
export const REPORT_URL_MAX = 2000;
export const REPORT_CONTACT_MAX = 200;
export const REPORT_AGENCY_ID_MAX = 64;

/** What a report carries, cleaned (see cleanReport). */
export interface ReportInput {
  agencyId: string;
  message: string;
  sourceUrl?: string;
  contact?: string;
}

/**
 * Characters that never belong in stored text: C0/C1 controls (but tab and line feed in the
 * message), zero-width characters, bidirectional overrides and isolates, the BOM, the soft
 * hyphen, interlinear annotations and the Unicode tag characters.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x08], // C0 controls but tab and line feed …
  [0x0b, 0x1f], // … (carriage returns are folded into line feeds first)
  [0x7f, 0x9f], // DEL and the C1 controls
  [0xad, 0xad], // soft hyphen
  [0x34f, 0x34f], // combining grapheme joiner
  [0x61c, 0x61c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors and vowel separator
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0x202a, 0x202e], // bidirectional embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, isolates
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
  [0xffa0, 0xffa0], // half-width Hangul filler
  [0xfff0, 0xfffb], // interlinear annotations and unassigned specials
  [0xe0000, 0xe007f], // tag characters
  [0xe0100, 0xe01ef], // variation selectors supplement
];
const hex = (n: number) => `\\u{${n.toString(16)}}`;
const INVISIBLE = new RegExp(`[${INVISIBLE_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join("")}]`, "gu");

/** Text with the invisible characters taken out; line breaks kept only where `multiline`. */
export function cleanText(value: string, multiline = false): string {
  const lines = value.normalize("NFC").replace(/\r\n?/g, "\n");
  const kept = lines.replace(INVISIBLE, "");
  return (multiline ? kept.replace(/\t/g, " ") : kept.replace(/[\n\t]+/g, " ")).trim();
}

/** An absolute http(s) URL a person can open (no credentials, a host). */
export function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

/** An e-mail address or a phone number (10 to 15 digits, full-width digits and hyphens allowed). */
export function isContact(value: string): boolean {
  const folded = value.normalize("NFKC");
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(folded)) return true;
  const digits = folded.replace(/[\s()（）+‐－ー-]/g, "");
  return /^[0-9]{10,15}$/.test(digits);
}

export const REPORT_MESSAGES = {
  agencyMissing: "発注者を指定してください",
  agencyLong: "発注者の ID が長すぎます",
  agencyUnknown: "該当する発注者が見つかりません",
  agencyAmbiguous: "同じ名前の発注者が複数あります。都道府県名を付けて入力してください（例: 鹿児島県日置市）",
  messageMissing: "訂正・追加の内容を入力してください",
  messageLong: `訂正・追加の内容は${REPORT_MESSAGE_MAX}文字以内で入力してください`,
  urlInvalid: "出典の URL は http:// または https:// で始まるアドレスを入力してください",
  urlLong: `出典の URL は${REPORT_URL_MAX}文字以内で入力してください`,
  contactInvalid: "連絡先はメールアドレスか電話番号を入力してください",
  contactLong: `連絡先は${REPORT_CONTACT_MAX}文字以内で入力してください`,
} as const;

/** Length in characters as people count them (a surrogate pair is one). */
const length = (text: string) => [...text].length;

/**
 * The report as it will be stored, or what is wrong with each field. Blank optional fields are
 * absent; lengths are counted after cleaning.
 */
export function cleanReport(raw: {
  agencyId: string;
  message: string;
  sourceUrl?: string | null | undefined;
  contact?: string | null | undefined;
}): { ok: true; report: ReportInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const agencyId = cleanText(raw.agencyId);
  if (agencyId === "") errors.push({ field: "agencyId", message: REPORT_MESSAGES.agencyMissing });
  else if (length(agencyId) > REPORT_AGENCY_ID_MAX) errors.push({ field: "agencyId", message: REPORT_MESSAGES.agencyLong });
  const message = cleanText(raw.message, true);
  if (message === "") errors.push({ field: "message", message: REPORT_MESSAGES.messageMissing });
  else if (length(message) > REPORT_MESSAGE_MAX) errors.push({ field: "message", message: REPORT_MESSAGES.messageLong });
  const sourceUrl = cleanText(raw.sourceUrl ?? "");
  if (sourceUrl !== "" && length(sourceUrl) > REPORT_URL_MAX) errors.push({ field: "sourceUrl", message: REPORT_MESSAGES.urlLong });
  else if (sourceUrl !== "" && !isWebUrl(sourceUrl)) errors.push({ field: "sourceUrl", message: REPORT_MESSAGES.urlInvalid });
  const contact = cleanText(raw.contact ?? "");
  if (contact !== "" && length(contact) > REPORT_CONTACT_MAX) errors.push({ field: "contact", message: REPORT_MESSAGES.contactLong });
  else if (contact !== "" && !isContact(contact)) errors.push({ field: "contact", message: REPORT_MESSAGES.contactInvalid });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    report: { agencyId, message, ...(sourceUrl === "" ? {} : { sourceUrl }), ...(contact === "" ? {} : { contact }) },
  };
}

/** An agency as the report form names it: its id, name and prefecture (null for national bodies). */
export interface NamedAgency {
  id: string;
  name: string;
  prefecture: string | null;
}

/**
 * The agency a person typed in the form (without JavaScript, or changed): its id, its name, or its
 * prefecture and name together (鹿児島県日置市, 日置市（鹿児島県）). `ambiguous` when a name alone fits several.
 */
export function pickAgency<A extends NamedAgency>(typed: string, given: readonly A[]): { agency: A } | { ambiguous: A[] } | null {
  // The same agency found twice (by two searches) is one.
  const agencies = [...new Map(given.map((a) => [a.id, a])).values()];
  const fold = (t: string) => cleanText(t).normalize("NFKC").replace(/\s+/g, "");
  const text = fold(typed);
  if (text === "") return null;
  const byId = agencies.find((a) => a.id === text);
  if (byId !== undefined) return { agency: byId };
  // 鹿児島県日置市, or 日置市（鹿児島県） as the form shows a pre-filled agency.
  const full = agencies.filter(
    (a) => a.prefecture !== null && a.prefecture !== a.name && (fold(`${a.prefecture}${a.name}`) === text || fold(agencyLabel(a)) === text),
  );
  if (full.length === 1 && full[0] !== undefined) return { agency: full[0] };
  const named = agencies.filter((a) => fold(a.name) === text);
  if (named.length === 1 && named[0] !== undefined) return { agency: named[0] };
  if (named.length > 1) return { ambiguous: named };
  return null;
}

/** The agency as the form shows it: 日置市（鹿児島県）. */
export const agencyLabel = (a: NamedAgency): string =>
  a.prefecture === null || a.prefecture === a.name ? a.name : `${a.name}（${a.prefecture}）`;
