// The agency's verification page (/verify/): what it sends, what it shows, and the signature check.
// The page is a client of POST /api/v1/verify (in process, site/lib/api.ts); the JWS is checked
// here on the server against /.well-known/jwks.json, as docs/verifying-offline.md describes.
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import type { Api } from "../../lib/api.ts";
import type { Certificate, CertificateVersion } from "../../lib/views.ts";

export interface Verification {
  certificate: Certificate;
  versions: (CertificateVersion & { reason: string })[];
  jws: string;
}

/** The form's fields, as typed. */
export interface VerifyForm {
  contractNumber: string;
  authKey: string;
  agency: string;
}

export type SignatureCheck = { ok: true; kid: string | undefined } | { ok: false; reason: string };

/** Whether a guarantor's published key signed exactly this certificate. */
export async function checkSignature(api: Api, verification: Verification): Promise<SignatureCheck> {
  const jwks = await api.get<JSONWebKeySet>("/.well-known/jwks.json");
  if (!jwks.ok) return { ok: false, reason: "公開鍵（JWK Set）を取得できませんでした" };
  try {
    const { payload, protectedHeader } = await compactVerify(verification.jws, createLocalJWKSet(jwks.data), { algorithms: ["ES256"] });
    if (protectedHeader.typ !== "certificate+jws") return { ok: false, reason: "証書の署名ではありません" };
    const signed = JSON.parse(new TextDecoder().decode(payload)) as Certificate;
    if (canonical(signed) !== canonical(verification.certificate)) return { ok: false, reason: "署名された内容と表示の内容が一致しません" };
    return { ok: true, kid: protectedHeader.kid };
  } catch {
    return { ok: false, reason: "署名を確認できませんでした（内容が改変されたか、公開されていない鍵の署名です）" };
  }
}

/** JSON with sorted keys, to compare two objects by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Spaces of every width dropped, full width folded: how two agency names are compared. */
const folded = (s: string) => s.normalize("NFKC").replace(/\s+/gu, "");

/** True when the officer named an agency and the certificate's 被保証者 does not contain it. */
export function beneficiaryMismatch(certificate: Certificate, agency: string): boolean {
  const wanted = folded(agency);
  return wanted !== "" && !folded(certificate.beneficiary).includes(wanted);
}

/** The history table's 対象 column, as the PDF writes it. */
export const targetOf = (v: { reason: string; label: string }): string => (v.reason === "新規" ? "新規" : `変更（${v.label}）`);
