// Passwords in workerd (the runtime that serves logins): argon2id through the bundled WebAssembly
// module, PHC strings in and out, checked against hashes made by another implementation.
import { describe, expect, it } from "vitest";
import { Invalid } from "../../edge/domain/errors.ts";
import { hashPassword, needsRehash, PASSWORD_MAX_BYTES, verifyPassword } from "../../edge/security/password.ts";

/**
 * Reference hashes from Node 24's own argon2 (node:crypto argon2Sync, OpenSSL's implementation, not
 * the WebAssembly one), salt 00 01 … 0f, of the NFKC form's UTF-8:
 *   argon2Sync("argon2id", { message: Buffer.from(pw.normalize("NFKC")), nonce, memory, passes, parallelism, tagLength })
 */
const SALT = "AAECAwQFBgcICQoLDA0ODw";
const KNOWN = {
  ascii: ["correct horse battery staple", `$argon2id$v=19$m=19456,t=2,p=1$${SALT}$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU`],
  japanese: ["パスワード🔑です", `$argon2id$v=19$m=19456,t=2,p=1$${SALT}$k6Yoi2fl5HPzA2hWnbbQLbHnVgRKbCOjBJtKtawGnsA`],
  kana: ["あかさたな", `$argon2id$v=19$m=19456,t=2,p=1$${SALT}$LDL6PSc/GAzH+PO+baQvxtevxo/0e6Tb8LqgJZviYqU`],
  fullWidth: ["ｐａｓｓ", `$argon2id$v=19$m=19456,t=2,p=1$${SALT}$LNi6y7OsQtt+uQgQEJUnkn6kvex71AhPcpJ1kpFQ4xU`],
} as const;
/** The ASCII password under other parameters: stronger, weaker (OWASP's m=12 MiB, t=3), shorter tag. */
const OTHER_PARAMS = {
  stronger: `$argon2id$v=19$m=32768,t=3,p=1$${SALT}$u+TOcl2LGub4w/cLIdrGdoG/cbU//EuAXDXm+qRHfqs`,
  weaker: `$argon2id$v=19$m=12288,t=3,p=1$${SALT}$zCibVAF529as+ScNsZ6sL/H9D4iI00ajMEqLvRaQY2E`,
  twoLanes: `$argon2id$v=19$m=19456,t=2,p=2$${SALT}$2H9CJBMC/n10v6zYZskkV6SWmeilDRmsi0YnOyxYGpA`,
  shortTag: `$argon2id$v=19$m=19456,t=2,p=1$${SALT}$kR1KtUbQOkm51miqXxYZzQ`,
};
const [asciiPassword, asciiPhc] = KNOWN.ascii;
const PHC_FORMAT = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;

const decodedLength = (b64: string) => atob(b64).length;

describe("passwords in workerd", () => {
  it("runs in workerd, where the module comes from the bundle", () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
  });

  it("hashes to a PHC string at OWASP's parameters with a 16-byte salt and a 32-byte hash", async () => {
    const phc = await hashPassword("correct horse battery staple");
    const [, salt = "", hash = ""] = PHC_FORMAT.exec(phc) ?? [];
    expect(phc).toMatch(PHC_FORMAT);
    expect([decodedLength(salt), decodedLength(hash)]).toEqual([16, 32]);
    expect(needsRehash(phc)).toBe(false);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const phc = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", phc)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", phc)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", phc)).toBe(false);
    expect(await verifyPassword("", phc)).toBe(false);
  });

  it("salts: two hashes of one password differ, and both verify", async () => {
    const [a, b] = [await hashPassword("同じパスワード"), await hashPassword("同じパスワード")];
    expect(a).not.toBe(b);
    expect(await verifyPassword("同じパスワード", a)).toBe(true);
    expect(await verifyPassword("同じパスワード", b)).toBe(true);
  });

  it("matches an independent argon2id implementation (known answers)", async () => {
    for (const [password, phc] of Object.values(KNOWN)) expect(await verifyPassword(password, phc), password).toBe(true);
    for (const phc of Object.values(OTHER_PARAMS)) expect(await verifyPassword(asciiPassword, phc), phc).toBe(true);
  });

  it("hashes every byte of a non-ASCII password (the package's own wrapper hashes a prefix)", async () => {
    const [kana, phc] = KNOWN.kana;
    expect(await verifyPassword(kana, phc)).toBe(true);
    // Same first 5 bytes (あ and most of か): the wrapper in @phi-ag/argon2 0.5.28 accepts these.
    expect(await verifyPassword("あかうえお", phc)).toBe(false);
    expect(await verifyPassword("あか", phc)).toBe(false);
  });

  it("normalises to NFKC: NFC and NFD, full and half width log in alike", async () => {
    const nfc = "パスワード café";
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    expect(await verifyPassword(nfd, await hashPassword(nfc))).toBe(true);
    expect(await verifyPassword(nfc, await hashPassword(nfd))).toBe(true);
    expect(await verifyPassword("ﾊﾟｽﾜｰﾄﾞ", await hashPassword("パスワード"))).toBe(true);
    const [fullWidth, phc] = KNOWN.fullWidth;
    expect(await verifyPassword(fullWidth, phc)).toBe(true);
    expect(await verifyPassword("pass", phc)).toBe(true);
    expect(await verifyPassword("PASS", phc)).toBe(false);
  });

  it("takes emoji and other astral characters", async () => {
    const password = "🔑🐈‍⬛𠮷野家👍🏽";
    const phc = await hashPassword(password);
    expect(await verifyPassword(password, phc)).toBe(true);
    expect(await verifyPassword("🔑🐈𠮷野家👍🏽", phc)).toBe(false);
  });

  it("refuses a password with a lone surrogate (UTF-8 cannot carry it)", async () => {
    await expect(hashPassword("abc\uD800")).rejects.toBeInstanceOf(Invalid);
    expect(await verifyPassword("abc\uD800", await hashPassword("abc\uFFFD"))).toBe(false);
  });

  it(`refuses passwords over ${PASSWORD_MAX_BYTES} bytes (UTF-8, after NFKC) before hashing`, async () => {
    const atLimit = "a".repeat(PASSWORD_MAX_BYTES);
    expect(await verifyPassword(atLimit, await hashPassword(atLimit))).toBe(true);
    const overlong = [
      "a".repeat(PASSWORD_MAX_BYTES + 1),
      "あ".repeat(342), // 342 characters, 1,026 bytes
      "㍿".repeat(100), // 300 bytes as typed, 1,200 once NFKC spells out 株式会社
      "x".repeat(1_000_000),
    ];
    for (const password of overlong) {
      const error = await hashPassword(password).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).errors?.[0]?.field).toBe("password");
      expect(await verifyPassword(password, asciiPhc)).toBe(false);
    }
  });

  it("answers false, never throws, for malformed or tampered PHC strings", async () => {
    const hash = asciiPhc.slice(asciiPhc.lastIndexOf("$") + 1);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const bad = [
      "",
      "password",
      "$argon2id$",
      asciiPhc.replace("$argon2id$", "$argon2i$"),
      asciiPhc.replace("$argon2id$", "$argon2d$"),
      asciiPhc.replace("v=19", "v=16"),
      asciiPhc.replace("m=19456", "m=019456"),
      asciiPhc.replace("m=19456", "m=0"),
      asciiPhc.replace("m=19456", "m=4194304"), // 4 GiB: refused, not attempted
      asciiPhc.replace("t=2", "t=0"),
      asciiPhc.replace("t=2", "t=1000"),
      asciiPhc.replace("p=1", "p=0"),
      asciiPhc.replace("p=1", "p=255"),
      asciiPhc.replace("p=1", "p=1,keyid=abc"),
      asciiPhc.replace(",t=2,p=1", ",p=1,t=2"),
      asciiPhc.replace(`$${SALT}$`, "$AAECAw$"), // 4-byte salt
      asciiPhc.replace(`$${SALT}$`, "$$"),
      asciiPhc.replace(hash, hash.slice(0, 10)), // 7-byte hash
      `${asciiPhc}=`,
      `${asciiPhc}\n`,
      ` ${asciiPhc}`,
      asciiPhc.replace(hash, `${hash.slice(0, -1)}-`),
      asciiPhc.replace(hash, `${hash.slice(0, -1)}V`), // same bytes by atob's leniency, non-canonical
      asciiPhc.replace(hash, flip(hash, 5)),
      asciiPhc.replace(SALT, flip(SALT, 3)),
      asciiPhc.replace(hash, btoa(atob(hash).slice(0, 24))), // the first 24 bytes of the tag
      asciiPhc.replace("m=19456", "m=19457"),
      asciiPhc.replace("t=2", "t=3"),
    ];
    for (const phc of bad) expect(await verifyPassword(asciiPassword, phc), phc).toBe(false);
  });

  it("says when a stored hash is below today's parameters", async () => {
    expect(needsRehash(asciiPhc)).toBe(false);
    expect(needsRehash(OTHER_PARAMS.stronger)).toBe(false);
    expect(needsRehash(OTHER_PARAMS.twoLanes)).toBe(false);
    expect(needsRehash(OTHER_PARAMS.weaker)).toBe(true);
    expect(needsRehash(OTHER_PARAMS.shortTag)).toBe(true);
    expect(needsRehash(asciiPhc.replace("t=2", "t=1"))).toBe(true);
    expect(needsRehash("garbage")).toBe(true);
  });
});
