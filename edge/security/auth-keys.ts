// Authentication keys (認証キー) at rest: a new key is returned once in clear (to be shown), and
// stored as (1) its SHA-256, for verification, and (2) a secret box under DATA_ENCRYPTION_KEY bound
// to the guarantee and the key's generation, so the contractor can display it again.
//
// Why encrypt rather than derive (HMAC of the guarantee id under a master key): a rotated key must
// be new randomness, not a counter away from the old one; an encrypted key can be re-sealed under a
// new master key without changing what contractors already sent to agencies; and a derived key
// would make every key ever issued computable from the one secret forever. The price is one AES-GCM
// open per display, which is nothing.
import { formatKey, keyFromRandom } from "../domain/auth-key.ts";
import type { Bindings } from "../env.ts";
import { sealingKey } from "./data-keys.ts";
import { open, seal } from "./secret-box.ts";
import { sha256Hex } from "./tokens.ts";

export const authKeyBoxContext = (guaranteeId: string, generation: number) => `auth-key:${guaranteeId}:${generation}`;

export interface NewAuthKey {
  /** The canonical 16 symbols (never stored). */
  key: string;
  hash: string;
  box: string;
}

/** SHA-256 of the canonical key: what verification compares. */
export const authKeyHash = (canonicalKey: string) => sha256Hex(`auth-key:${canonicalKey}`);

export async function newAuthKey(env: Bindings, guaranteeId: string, generation: number): Promise<NewAuthKey> {
  const key = keyFromRandom(crypto.getRandomValues(new Uint8Array(16)));
  const sealing = await sealingKey(env, "sealing authentication keys");
  return {
    key,
    hash: await authKeyHash(key),
    box: await seal(sealing, new TextEncoder().encode(key), authKeyBoxContext(guaranteeId, generation)),
  };
}

/** The key as people read it (XXXX-XXXX-XXXX-XXXX), opened from its box. */
export async function openAuthKey(env: Bindings, guaranteeId: string, generation: number, box: string): Promise<string> {
  const sealing = await sealingKey(env, "opening authentication keys");
  const bytes = await open(sealing, box, authKeyBoxContext(guaranteeId, generation));
  return formatKey(new TextDecoder().decode(bytes));
}
