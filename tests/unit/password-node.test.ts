// The same password module in Node, where the operator CLI (`npm run cli -- staff create`) hashes:
// it reads the .wasm file instead of importing it, and must agree with workerd byte for byte.
import { argon2Sync } from "node:crypto";
import initialize from "@phi-ag/argon2/node";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "../../edge/security/password.ts";

/** Made by hashPassword() in workerd (tests/api, random salt). */
const FROM_WORKERD = [
  "合言葉は🍣とﾗｰﾒﾝ",
  "$argon2id$v=19$m=19456,t=2,p=1$IyuIZu+/7Z3neyFeHTd5gg$cIUuaV3QPt7MnOh/MViQMlOg8ne/eAExEvjHgwp6eYo",
];
/** The known answer tests/api/password.test.ts checks in workerd (node:crypto's argon2, salt 00…0f). */
const KNOWN = [
  "パスワード🔑です",
  "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$k6Yoi2fl5HPzA2hWnbbQLbHnVgRKbCOjBJtKtawGnsA",
] as const;

const fromB64 = (text: string) => Buffer.from(text, "base64");

/** node:crypto's argon2id (OpenSSL's) of a PHC string's salt and parameters. */
function reference(password: string, phc: string): Buffer {
  const [, , , params = "", salt = "", hash = ""] = phc.split("$");
  const { m, t, p } = Object.fromEntries(params.split(",").map((kv) => kv.split("=") as [string, string]));
  return argon2Sync("argon2id", {
    message: Buffer.from(password.normalize("NFKC")),
    nonce: fromB64(salt),
    memory: Number(m),
    passes: Number(t),
    parallelism: Number(p),
    tagLength: fromB64(hash).length,
  });
}

describe("passwords in Node", () => {
  it("runs outside workerd, on the file-reading path", () => {
    expect(navigator.userAgent).not.toBe("Cloudflare-Workers");
  });

  it("verifies hashes made in workerd", async () => {
    for (const [password, phc] of [FROM_WORKERD, KNOWN]) {
      expect(await verifyPassword(password, phc)).toBe(true);
      expect(await verifyPassword(`${password} `, phc)).toBe(false);
      expect(needsRehash(phc)).toBe(false);
    }
  });

  it("makes hashes that node:crypto's independent argon2id reproduces", async () => {
    for (const password of ["correct horse battery staple", "ﾊﾟｽﾜｰﾄﾞは秘密🤫", "", "a".repeat(1024)]) {
      const phc = await hashPassword(password);
      expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(fromB64(phc.split("$")[5] ?? "")).toEqual(reference(password, phc));
      expect(await verifyPassword(password, phc)).toBe(true);
    }
  });

  it("is why the module calls the wasm exports itself: the package's wrapper hashes a prefix of non-ASCII passwords", async () => {
    // @phi-ag/argon2 0.5.28 passes the UTF-16 length as the UTF-8 byte count. If this starts failing,
    // the wrapper is fixed upstream; password.ts does not depend on it either way.
    const wrapper = await initialize();
    const salt = new Uint8Array(16);
    const options = { salt, memoryCost: 19_456, timeCost: 2, parallelism: 1, hashLength: 32 };
    expect(wrapper.hash("あいう", options).encoded).toBe(wrapper.hash("あかさ", options).encoded);
    const ours = [await hashPassword("あいう"), await hashPassword("あかさ")];
    expect(await verifyPassword("あかさ", ours[0] ?? "")).toBe(false);
    expect(await verifyPassword("あいう", ours[1] ?? "")).toBe(false);
  });
});
