// Keys that are wrong in the two ways an agency gets them wrong.
import { checkSymbol, formatKey } from "../../edge/domain/auth-key.ts";

/** A key of valid format and check symbol that is not `key` (a lookup must refuse it: 404). */
export function otherKey(key: string): string {
  const plain = key.replaceAll("-", "");
  const body = (plain[0] === "A" ? "B" : "A") + plain.slice(1, 15);
  return formatKey(body + checkSymbol(body));
}

/** `key` with its first symbol mistyped: the check symbol catches it before any lookup (400). */
export function typo(key: string): string {
  const first = key[0] ?? "0";
  return `${first === "7" ? "8" : "7"}${key.slice(1)}`;
}
