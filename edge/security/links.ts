// Signed links in e-mails (jose, HS256 under a key derived from DATA_ENCRYPTION_KEY): a link opens
// one application's issued guarantees without logging in, until it expires (14 days). The token
// names what it opens, why the mail was sent (and which guarantee it was about), and its audience;
// it carries nothing secret itself, and the database keeps no copy of it (the outbox stores what
// the link opens and signs it when the mail is rendered).
import { errors, jwtVerify, SignJWT } from "jose";
import type { Bindings } from "../env.ts";
import { linkSigningKey } from "./data-keys.ts";

export const LINK_LIFETIME_DAYS = 14;
const AUDIENCE = "guarantee-link";
const ISSUER = "denshi-hosho";

/** Why the mail carrying the link was sent, so the page it opens can say so. */
export const linkPurposes = ["issued", "change", "correction", "cancel", "key_rotated"] as const;
export type LinkPurpose = (typeof linkPurposes)[number];

export interface LinkClaims {
  /** The application whose guarantees the link opens. */
  applicationId: string;
  /** The company that owns it (checked again on use). */
  companyId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** The mail's purpose and the guarantee it was about (absent in links signed before they existed). */
  purpose?: LinkPurpose;
  contractNumber?: string;
}

export async function signLink(env: Bindings, claims: LinkClaims): Promise<string> {
  return new SignJWT({
    cid: claims.companyId,
    ...(claims.purpose === undefined ? {} : { pur: claims.purpose }),
    ...(claims.contractNumber === undefined ? {} : { num: claims.contractNumber }),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.applicationId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(claims.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(await linkSigningKey(env));
}

export type LinkReading = { ok: true; claims: LinkClaims } | { ok: false; reason: "expired" | "invalid" };

/** Checks signature, algorithm, audience, issuer and expiry (against the request's clock). */
export async function readLink(env: Bindings, token: string, now: Date): Promise<LinkReading> {
  if (token.length > 2048 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, reason: "invalid" };
  try {
    const { payload } = await jwtVerify(token, await linkSigningKey(env), {
      algorithms: ["HS256"],
      audience: AUDIENCE,
      issuer: ISSUER,
      currentDate: now,
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (typeof payload.sub !== "string" || typeof payload["cid"] !== "string" || payload.exp === undefined || payload.iat === undefined) {
      return { ok: false, reason: "invalid" };
    }
    const purpose = linkPurposes.find((p) => p === payload["pur"]);
    const contractNumber = typeof payload["num"] === "string" ? payload["num"] : undefined;
    return {
      ok: true,
      claims: {
        applicationId: payload.sub,
        companyId: payload["cid"],
        issuedAt: new Date(payload.iat * 1000),
        expiresAt: new Date(payload.exp * 1000),
        ...(purpose === undefined ? {} : { purpose }),
        ...(contractNumber === undefined ? {} : { contractNumber }),
      },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}
