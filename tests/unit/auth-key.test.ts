// The authentication key's format: typed by people, checked before any lookup.
import { describe, expect, it } from "vitest";
import { ALPHABET, checkSymbol, formatKey, KEY_BITS, keyFromRandom, readKey } from "../../edge/domain/auth-key.ts";
import { isContractNumber, normalizeContractNumber, numberFormats } from "../../edge/domain/numbering.ts";

const random = (seed: number) => Uint8Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 17) & 255);

describe("authentication keys", () => {
  it("carry at least 64 random bits in 16 symbols without I, L, O or U", () => {
    expect(KEY_BITS).toBeGreaterThanOrEqual(64);
    expect(ALPHABET).toHaveLength(32);
    expect(ALPHABET).not.toMatch(/[ILOU]/);
    const key = keyFromRandom(random(1));
    expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(formatKey(key)).toMatch(/^(.{4}-){3}.{4}$/);
  });

  it("read back whatever people type: case, full width, separators, look-alikes", () => {
    const key = keyFromRandom(random(2));
    const shown = formatKey(key);
    const variants = [
      shown,
      key,
      shown.toLowerCase(),
      shown.replaceAll("-", " "),
      shown.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // full width
      shown.replaceAll("-", "ー"),
      ` ${shown.replaceAll("-", "－")} `,
      // Invisible characters a copy from a PDF, a mail or a chat carries along.
      shown.replaceAll("-", "\u200b"), // zero-width space
      shown.replaceAll("-", "\u00ad"), // soft hyphen
      `\u200e${shown.replace("-", "\u200d")}\ufeff`, // LRM, zero-width joiner, BOM
    ];
    for (const v of variants) expect(readKey(v)).toEqual({ ok: true, key });
    const withZeroOne = "0123456789ABCDE";
    const k = withZeroOne + checkSymbol(withZeroOne);
    expect(readKey(k.replace("0", "O").replace("1", "l"))).toEqual({ ok: true, key: k });
  });

  it("catch every single wrong symbol and every swap of neighbours before a lookup", () => {
    for (let seed = 0; seed < 40; seed++) {
      const key = keyFromRandom(random(seed));
      for (let i = 0; i < key.length; i++) {
        for (const c of ALPHABET) {
          if (c === key[i]) continue;
          const typo = key.slice(0, i) + c + key.slice(i + 1);
          expect(readKey(typo)).toEqual({ ok: false, reason: "check" });
        }
        if (i + 1 < key.length && key[i] !== key[i + 1]) {
          const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
          expect(readKey(swapped).ok, `${key} swap ${i}`).toBe(false);
        }
      }
    }
  });

  it("say why a text cannot be a key", () => {
    const key = keyFromRandom(random(3));
    expect(readKey(key.slice(0, 15))).toEqual({ ok: false, reason: "length" });
    expect(readKey(`${key}A`)).toEqual({ ok: false, reason: "length" });
    expect(readKey(`${key.slice(0, 15)}U`)).toEqual({ ok: false, reason: "symbol" });
    expect(readKey("鍵鍵鍵鍵")).toEqual({ ok: false, reason: "symbol" });
    expect(readKey("")).toEqual({ ok: false, reason: "length" });
    expect(readKey("A".repeat(10_000))).toEqual({ ok: false, reason: "length" });
  });
});

describe("contract numbers", () => {
  it("format each guarantor's sequence in its own shape", () => {
    expect(numberFormats.wjcs.format(4426)).toBe("2070004426");
    expect(numberFormats.ejcs.format(1)).toBe("10000-000001");
    expect(numberFormats.ejcs.format(1_000_001)).toBe("10001-000001");
    expect(isContractNumber("2070004426")).toBe(true);
    expect(isContractNumber("10000-000001")).toBe(true);
    expect(isContractNumber("207000442")).toBe(false);
    expect(normalizeContractNumber("２０７０ ００４４２６")).toBe("2070004426");
    expect(normalizeContractNumber("１００００ー０００００１")).toBe("10000-000001");
  });
});
