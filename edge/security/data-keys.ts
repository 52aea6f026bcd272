// The keys derived from the one Worker secret DATA_ENCRYPTION_KEY (base64 of 32 bytes):
// - the AES-256-GCM key that seals secrets at rest (TOTP secrets, authentication keys);
// - an HMAC-SHA-256 key, derived with HKDF for one purpose only, that signs the e-mailed links.
// Deriving keeps production to one secret; HKDF's `info` makes the two keys independent, so a
// leaked link key reveals nothing sealed, and the other way round.
import { decodeBase64 } from "@oslojs/encoding";
import type { Bindings } from "../env.ts";
import { importDataKey } from "./secret-box.ts";

function secretOf(env: Bindings, purpose: string): string {
  const key = env.DATA_ENCRYPTION_KEY;
  if (key === undefined) throw new Error(`DATA_ENCRYPTION_KEY is not set: ${purpose} is impossible without it`);
  return key;
}

/** The AES-256-GCM key for secret boxes (edge/security/secret-box.ts). */
export function sealingKey(env: Bindings, purpose: string): Promise<CryptoKey> {
  return importDataKey(secretOf(env, purpose));
}

/** 32 bytes for HS256 signatures of e-mailed links, derived with HKDF-SHA-256. */
export async function linkSigningKey(env: Bindings): Promise<Uint8Array> {
  const raw = new Uint8Array(decodeBase64(secretOf(env, "signing links").trim()));
  const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("denshi-hosho link signing v1") },
    base,
    256,
  );
  return new Uint8Array(bits);
}
