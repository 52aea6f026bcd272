// 保証契約番号: each guarantor numbers its guarantee contracts from its own sequence, in its own
// format (DOMAIN.md, seeds 003 and 004): WJCS ten digits (e.g. 2070004426), EJCS `00000-000000`.
// Hokkaido's format is not in the sources; it gets ten digits like WJCS until one is known.
//
// The sequence value is a positive integer from the database (one counter per guarantor, bumped
// in the same atomic write that issues). The format is given both as a function (for tests and
// display) and as a printf pattern with its arguments, so the database can format the number in
// the very statement that assigns it (no second round trip).
import type { GuarantorId } from "./terms.ts";

export interface NumberFormat {
  /** A readable description, for docs and errors. */
  shape: string;
  /** SQLite printf pattern and how to derive its integer arguments from the sequence value `n`. */
  printf: string;
  /** The SQL expressions of the arguments, in terms of `n`. */
  args: readonly string[];
  /** Largest sequence value the format holds. */
  max: number;
  format(n: number): string;
  pattern: RegExp;
}

/** WJCS-style: 10 digits, starting at 2070000001 (2 + 07 + a 7-digit serial). */
const tenDigits = (base: number): NumberFormat => ({
  shape: "10桁の数字",
  printf: "%010d",
  args: [`${base} + n`],
  max: 9_999_999_999 - base,
  format: (n) => String(base + n).padStart(10, "0"),
  pattern: /^\d{10}$/,
});

/** EJCS-style: a 5-digit series and a 6-digit serial, `10000-000001` onwards. */
const seriesAndSerial: NumberFormat = {
  shape: "5桁-6桁の数字（00000-000000）",
  printf: "%05d-%06d",
  args: ["10000 + n / 1000000", "n % 1000000"],
  max: 89_999 * 1_000_000,
  format: (n) => `${String(10000 + Math.floor(n / 1_000_000)).padStart(5, "0")}-${String(n % 1_000_000).padStart(6, "0")}`,
  pattern: /^\d{5}-\d{6}$/,
};

export const numberFormats: Record<GuarantorId, NumberFormat> = {
  wjcs: tenDigits(2_070_000_000),
  ejcs: seriesAndSerial,
  hkcs: tenDigits(1_070_000_000),
};

/** Any guarantor's number shape: what the verification form accepts before looking anything up. */
export function isContractNumber(text: string): boolean {
  return Object.values(numberFormats).some((f) => f.pattern.test(text));
}

/** Full-width digits and dashes folded, spaces dropped: 「２０７０ ００４４２６」 → 2070004426. */
export function normalizeContractNumber(input: string): string {
  return input
    .normalize("NFKC")
    .replace(/[‐‑‒–—―−ー]/gu, "-")
    .replace(/\s/gu, "");
}
