import type { RequestContext } from "../context.ts";

export interface PublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: string;
  crv: string;
  x: string;
  y: string;
}

/**
 * The public halves of the guarantors' certificate-signing keys, current and retired ones that a
 * live certificate still uses. No key exists until certificates are issued (the verification
 * issue creates, encrypts and rotates them), so the set is empty today.
 */
export async function publicSigningKeys(_: { ctx: RequestContext }): Promise<PublicJwk[]> {
  return [];
}
