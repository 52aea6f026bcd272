// Secrets the platform must read back (TOTP secrets) sealed at rest with AES-256-GCM (Web Crypto,
// workerd and Node alike) under DATA_ENCRYPTION_KEY, a Worker secret: a copy of the database alone
// reveals none of them.
//
// A box is `v1.<iv>.<ciphertext>` (base64url, the 16-byte GCM tag at the end of the ciphertext),
// with a random 12-byte IV per box. The caller's `context` (e.g. `totp:<user id>`) is bound in as
// additional data, so a box copied to another user's row, or to another purpose, fails to open.
//
// Key rotation, for later: the prefix names the key. A second key would arrive as a new binding
// (v2), seal() would use the newest, open() would pick the key by prefix, and a sweep would reseal
// the v1 boxes before the old key is removed. Only v1 exists today.
import { decodeBase64, decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

export const SECRET_BOX_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** The box did not open: wrong key, wrong context, or altered (never says which). */
export class SecretBoxError extends Error {
  constructor(message = "the sealed secret cannot be opened (wrong key or context, or altered)") {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** The AES-256-GCM key from its base64 form (`openssl rand -base64 32`); throws unless 32 bytes. */
export async function importDataKey(base64: string): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = bytes(decodeBase64(base64.trim()));
  } catch {
    throw new Error("DATA_ENCRYPTION_KEY must be base64 (openssl rand -base64 32)");
  }
  if (raw.length !== KEY_BYTES) throw new Error(`DATA_ENCRYPTION_KEY must be ${KEY_BYTES} bytes, not ${raw.length}`);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** A copy on its own ArrayBuffer, the only kind Web Crypto's types accept. */
const bytes = (view: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(view);

const additionalData = (context: string) => new TextEncoder().encode(`${SECRET_BOX_VERSION}:${context}`);

export async function seal(key: CryptoKey, plaintext: Uint8Array, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(context) }, key, bytes(plaintext));
  return `${SECRET_BOX_VERSION}.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(new Uint8Array(ciphertext))}`;
}

export async function open(key: CryptoKey, box: string, context: string): Promise<Uint8Array> {
  const [version, ivText, ciphertextText, ...rest] = box.split(".");
  if (version !== SECRET_BOX_VERSION || ivText === undefined || ciphertextText === undefined || rest.length > 0) {
    throw new SecretBoxError("not a v1 secret box");
  }
  try {
    const iv = bytes(decodeBase64urlIgnorePadding(ivText));
    const ciphertext = bytes(decodeBase64urlIgnorePadding(ciphertextText));
    if (iv.length !== IV_BYTES) throw new SecretBoxError();
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: additionalData(context) }, key, ciphertext);
    return new Uint8Array(plain);
  } catch {
    throw new SecretBoxError();
  }
}
