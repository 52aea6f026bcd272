// ES256 signatures of certificates (compact JWS whose payload is the Certificate of API.md), with
// jose and Web Crypto. A private key exists in clear only in memory while signing: at rest it is a
// JWK sealed under DATA_ENCRYPTION_KEY, bound to its kid.
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Bindings } from "../env.ts";
import { sealingKey } from "./data-keys.ts";
import { open, seal } from "./secret-box.ts";

export const CERTIFICATE_JWS_TYPE = "certificate+jws";
const boxContext = (kid: string) => `signing-key:${kid}`;

export interface NewSigningKey {
  kid: string;
  publicJwk: Record<string, string>;
  privateBox: string;
}

export async function newSigningKey(env: Bindings): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub, "sha256");
  const publicJwk = { kty: String(pub.kty), crv: String(pub.crv), x: String(pub.x), y: String(pub.y), kid, alg: "ES256", use: "sig" };
  const priv = await exportJWK(privateKey);
  const sealing = await sealingKey(env, "sealing signing keys");
  const privateBox = await seal(sealing, new TextEncoder().encode(JSON.stringify(priv)), boxContext(kid));
  return { kid, publicJwk, privateBox };
}

/** A compact JWS of `payload` (JSON) under the sealed key `kid`. */
export async function signPayload(env: Bindings, key: { kid: string; privateBox: string }, payload: unknown): Promise<string> {
  const sealing = await sealingKey(env, "opening signing keys");
  const jwk = JSON.parse(new TextDecoder().decode(await open(sealing, key.privateBox, boxContext(key.kid)))) as JWK;
  const privateKey = await importJWK(jwk, "ES256");
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: CERTIFICATE_JWS_TYPE })
    .sign(privateKey);
}
