// The authentication key (認証キー) that, with the 保証契約番号, lets an agency view a certificate.
// People type it from a PDF or an e-mail, so it is made for typing:
//
// - 15 random symbols of Crockford's base 32 (75 bits) and one check symbol: 16 symbols shown as
//   four groups of four (`7KQ3-M9XD-2HVA-PR4F`).
// - The alphabet has no I, L, O or U; typed look-alikes are read as what they must mean
//   (O → 0, I and L → 1), so there is no wrong guess between them.
// - Case, full width (ＡＢＣ), spaces and any kind of hyphen or dash are ignored.
// - The check symbol (Damm's algorithm over GF(32)) catches every single wrong symbol and every swap of two
//   neighbouring different symbols before a lookup is made, so a typo never costs an attempt.
//
// Pure: the caller supplies the random bytes (crypto.getRandomValues), so tests can fix them.

export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const BODY_LENGTH = 15;
export const KEY_LENGTH = BODY_LENGTH + 1;
/** Random bits in a key: 15 symbols × 5 bits. */
export const KEY_BITS = BODY_LENGTH * 5;

const symbolValue = new Map([...ALPHABET].map((ch, i) => [ch, i]));
const LOOK_ALIKES: Record<string, string> = { O: "0", I: "1", L: "1" };
/** Separators people type or paste: spaces, hyphens, dashes, the long vowel mark, dots. */
/** Spaces, any kind of hyphen or dot, and invisible format characters a copy may carry along
 * (zero-width space and joiners, soft hyphen, word joiner, BOM, directional marks: \p{Cf}). */
const SEPARATORS = /[\s\-‐‑‒–—―−ー_.・･\p{Cf}]/gu;

/** Multiplication by x in GF(32) (modulus x^5 + x^2 + 1): the quasigroup of the check below. */
const timesX = (v: number) => ((v << 1) & 32 ? (v << 1) ^ 0b100101 : v << 1);

/**
 * Damm's check over GF(32): interim = x·interim ⊕ symbol. The operation is totally anti-symmetric
 * ((c∘a)∘b = (c∘b)∘a only if a = b), so a key with its check symbol ends at interim 0, and every
 * single wrong symbol and every swap of two neighbouring different symbols ends elsewhere.
 */
function interimOf(symbols: string): number {
  let interim = 0;
  for (const ch of symbols) {
    const v = symbolValue.get(ch);
    if (v === undefined) throw new Error(`not a key symbol: ${ch}`);
    interim = timesX(interim) ^ v;
  }
  return interim;
}

export function checkSymbol(body: string): string {
  return ALPHABET[timesX(interimOf(body))] as string;
}

/** A new key's 16 symbols from at least 15 random bytes (one symbol per byte, 5 bits each). */
export function keyFromRandom(random: Uint8Array): string {
  if (random.length < BODY_LENGTH) throw new Error(`need ${BODY_LENGTH} random bytes`);
  let body = "";
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[(random[i] as number) & 31];
  return body + checkSymbol(body);
}

/** The key as shown to people: four groups of four. */
export function formatKey(key: string): string {
  return key.match(/.{1,4}/g)?.join("-") ?? key;
}

export type KeyReading = { ok: true; key: string } | { ok: false; reason: "length" | "symbol" | "check" };

/**
 * What a typed key means: the 16 canonical symbols, or why it cannot be a key (before any
 * lookup). Full width folds to ASCII, case and separators are ignored, look-alikes are mapped.
 */
export function readKey(input: string): KeyReading {
  const text = input.normalize("NFKC").toUpperCase().replace(SEPARATORS, "");
  let key = "";
  for (const ch of text) {
    const c = LOOK_ALIKES[ch] ?? ch;
    if (!symbolValue.has(c)) return { ok: false, reason: "symbol" };
    key += c;
    if (key.length > KEY_LENGTH) return { ok: false, reason: "length" };
  }
  if (key.length !== KEY_LENGTH) return { ok: false, reason: "length" };
  if (interimOf(key) !== 0) return { ok: false, reason: "check" };
  return { ok: true, key };
}

export const keyReadingMessages = {
  length: `認証キーは${KEY_LENGTH}文字です（区切りの「-」は入れても入れなくてもかまいません）`,
  symbol: "認証キーに使われない文字が含まれています（英数字のみ。I・L・O・U は使われません）",
  check: "認証キーに入力の誤りがあります（最後の文字で確認しました）。お知らせの認証キーを見直してください",
} as const;
