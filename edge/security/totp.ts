// TOTP (RFC 6238) as authenticator apps speak it: SHA-1, 6 digits, 30-second steps, one step of
// clock skew either way. Codes are HOTP over the time step (@oslojs/otp), computed from the
// request's clock (ctx.now) rather than Date.now(), so tests and the replay guard agree on "now".
// No replay protection here: the caller stores the accepted step (edge/services/totp.ts).
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { encode } from "uqr";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted before and after the current one (a phone's clock a little off). */
export const TOTP_SKEW_STEPS = 1;
/** 160 bits, the HMAC-SHA-1 key length RFC 4226 recommends. */
const SECRET_BYTES = 20;
/**
 * The name the authenticator app shows. ASCII on purpose: a Japanese issuer is percent-encoded
 * twice into the URI (label and parameter), which makes the QR code much denser, and some apps
 * still show it garbled.
 */
export const TOTP_ISSUER = "Denshi-Hosho";

export const newTotpSecret = (): Uint8Array => crypto.getRandomValues(new Uint8Array(SECRET_BYTES));

/** The secret as typed into an app by hand: base32, upper case, no padding. */
export const base32Secret = (secret: Uint8Array): string => encodeBase32UpperCaseNoPadding(secret);
export const secretFromBase32 = (text: string): Uint8Array => decodeBase32IgnorePadding(text.replace(/\s/g, "").toUpperCase());

/** The RFC 6238 time step that contains `at`. */
export const timeStep = (at: Date): number => Math.floor(at.getTime() / (TOTP_PERIOD_SECONDS * 1000));

export const totpCode = (secret: Uint8Array, step: number): string => generateHOTP(secret, BigInt(step), TOTP_DIGITS);

/**
 * The time step whose code `code` is, within the skew window around `at`, or null. Every step in
 * the window is computed and compared without an early exit, so timing does not tell which
 * matched; should two steps share a code, the later one is taken (it burns more for replay).
 */
export function matchingStep(secret: Uint8Array, code: string, at: Date): number | null {
  const now = timeStep(at);
  let found: number | null = null;
  for (let step = now - TOTP_SKEW_STEPS; step <= now + TOTP_SKEW_STEPS; step++) {
    if (sameCode(totpCode(secret, step), code)) found = step;
  }
  return found;
}

function sameCode(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The otpauth:// URI an app reads from the QR code (Google's Key URI Format). */
export const keyUri = (secret: Uint8Array, account: string): string =>
  createTOTPKeyURI(TOTP_ISSUER, account, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);

/**
 * The QR code of `text` as an SVG string to inline in a page: medium error correction, the
 * 4-module quiet zone the QR standard asks for, one path of horizontal runs, an accessible name.
 */
export function qrSvg(text: string, label = "二要素認証の登録用 QR コード（認証アプリで読み取ってください）"): string {
  const qr = encode(text, { ecc: "M", border: 4 });
  const runs: string[] = [];
  for (const [y, row] of qr.data.entries()) {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== true) {
        x++;
        continue;
      }
      const start = x;
      while (row[x] === true) x++;
      runs.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  }
  const title = label.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll('"', "&quot;");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${qr.size} ${qr.size}" role="img" aria-label="${title}" shape-rendering="crispEdges">` +
    `<title>${title}</title><rect width="${qr.size}" height="${qr.size}" fill="#fff"/><path fill="#000" d="${runs.join("")}"/></svg>`
  );
}
