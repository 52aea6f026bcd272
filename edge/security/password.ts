// Passwords: argon2id, stored as PHC strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so the cost can
// be raised later: verification reads the parameters back from the string, and needsRehash() says
// when a stored hash is below today's, for the caller to rehash after a successful login.
//
// Passwords are normalised to NFKC before hashing, as NIST SP 800-63B advises for Unicode: NFC vs NFD
// (a Mac's input vs a PC's) and full-width vs half-width (ｐａｓｓ／pass, ﾊﾟｽ／パス, an IME left in the
// wrong mode) then log in alike; NFKC's stability policy keeps the mapping fixed across Unicode
// versions. Nothing is trimmed or case-folded.
import { Invalid } from "../domain/errors.ts";
import { type Argon2idParams, argon2id } from "./argon2-wasm.ts";

/**
 * OWASP Password Storage Cheat Sheet, argon2id: "a minimum configuration of 19 MiB of memory, an
 * iteration count of 2, and 1 degree of parallelism". About 33 ms of CPU per hash in workerd.
 */
export const ARGON2_MEMORY_KIB = 19_456;
export const ARGON2_PASSES = 2;
export const ARGON2_PARALLELISM = 1;
const CURRENT: Argon2idParams = { memoryKib: ARGON2_MEMORY_KIB, passes: ARGON2_PASSES, parallelism: ARGON2_PARALLELISM };
/** RFC 9106 §4: a 128-bit salt and a 256-bit tag. */
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** A guard against a huge password costing time before argon2 (which reads it all) even starts. */
export const PASSWORD_MAX_BYTES = 1024;

/**
 * What verification accepts from a stored string: a tampered row must not be able to ask for 4 GiB
 * (an isolate has 128 MB) or a minute of CPU. Raise these with the parameters if ever needed.
 */
const LIMITS = { memoryKib: 65_536, passes: 10, parallelism: 8, saltBytes: [8, 64], hashBytes: [16, 64] } as const;

const PHC = /^\$argon2id\$v=19\$m=([1-9]\d{0,9}),t=([1-9]\d{0,9}),p=([1-9]\d{0,9})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const LONE_SURROGATE = /\p{Cs}/u;

interface Stored {
  params: Argon2idParams;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** A new PHC string for `password`, with a fresh random salt. Throws Invalid for an unusable password. */
export async function hashPassword(password: string): Promise<string> {
  const bytes = passwordBytes(password);
  if (bytes === "too_long")
    throw new Invalid([{ field: "password", message: `パスワードは${PASSWORD_MAX_BYTES}バイト以内にしてください` }]);
  if (bytes === "ill_formed") throw new Invalid([{ field: "password", message: "パスワードに使用できない文字が含まれています" }]);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await argon2id(bytes, salt, CURRENT, HASH_BYTES);
  const { memoryKib: m, passes: t, parallelism: p } = CURRENT;
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${toB64(salt)}$${toB64(hash)}`;
}

/**
 * Whether `password` matches the stored PHC string. False, never an exception, for a malformed or
 * out-of-bounds string and for a password hashPassword() would refuse (no hashing is done then).
 */
export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const stored = parsePhc(phc);
  const bytes = passwordBytes(password);
  if (stored === undefined || typeof bytes === "string") return false;
  const actual = await argon2id(bytes, stored.salt, stored.params, stored.hash.length);
  return constantTimeEqual(actual, stored.hash);
}

/** True when the stored string is below today's parameters (or unreadable): rehash after login. */
export function needsRehash(phc: string): boolean {
  const stored = parsePhc(phc);
  if (stored === undefined) return true;
  const { params, salt, hash } = stored;
  return (
    params.memoryKib < CURRENT.memoryKib ||
    params.passes < CURRENT.passes ||
    params.parallelism < CURRENT.parallelism ||
    salt.length < SALT_BYTES ||
    hash.length < HASH_BYTES
  );
}

function passwordBytes(password: string): Uint8Array | "too_long" | "ill_formed" {
  // UTF-8 never takes fewer bytes than UTF-16 code units: refuse the obvious before normalising.
  if (password.length > PASSWORD_MAX_BYTES) return "too_long";
  // TextEncoder would turn a lone surrogate into U+FFFD, making distinct strings hash alike.
  if (LONE_SURROGATE.test(password)) return "ill_formed";
  const bytes = new TextEncoder().encode(password.normalize("NFKC"));
  return bytes.length > PASSWORD_MAX_BYTES ? "too_long" : bytes;
}

function parsePhc(phc: string): Stored | undefined {
  const match = PHC.exec(phc);
  if (match === null) return undefined;
  const [, m = "", t = "", p = "", salt64 = "", hash64 = ""] = match;
  const params = { memoryKib: Number(m), passes: Number(t), parallelism: Number(p) };
  const salt = fromB64(salt64);
  const hash = fromB64(hash64);
  if (salt === undefined || hash === undefined) return undefined;
  const within = (n: number, [min, max]: readonly [number, number]) => n >= min && n <= max;
  const ok =
    params.memoryKib >= 8 * params.parallelism &&
    params.memoryKib <= LIMITS.memoryKib &&
    params.passes <= LIMITS.passes &&
    params.parallelism <= LIMITS.parallelism &&
    within(salt.length, LIMITS.saltBytes) &&
    within(hash.length, LIMITS.hashBytes);
  return ok ? { params, salt, hash } : undefined;
}

/** PHC's base64: the standard alphabet without padding. */
function toB64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
}

/** Only the canonical encoding decodes: atob ignores stray low bits in the last character. */
function fromB64(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return toB64(bytes) === text ? bytes : undefined;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
