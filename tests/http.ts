// Small HTTP helpers shared by the workerd API tests and the Worker (e2e) tests.

/** `name=value` of the first Set-Cookie, as a browser would send it back. */
export const cookieOf = (res: Response): string => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

/** How many responses had each status: `{ 200: 49, 500: 1 }`. */
export function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}
