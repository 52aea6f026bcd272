// Japanese era dates. 令和 began 2019-05-01 (令和N = 2018 + N); 平成 began 1989-01-08.
const ERAS = [
  { name: "令和", start: "2019-05-01", offset: 2018 },
  { name: "平成", start: "1989-01-08", offset: 1988 },
] as const;

function parts(iso: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match === null) throw new RangeError(`not an ISO date: ${iso}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function eraOf(iso: string): { name: string; year: number } {
  const era = ERAS.find((e) => iso >= e.start);
  const { y } = parts(iso);
  if (era === undefined) return { name: "西暦", year: y };
  return { name: era.name, year: y - era.offset };
}

const yearLabel = (year: number): string => (year === 1 ? "元" : String(year));

/** 2023-06-01 → 令和5年6月1日 (with `western`: 令和5年（2023年）6月1日). */
export function formatWareki(iso: string, options: { western?: boolean; precision?: "day" | "month" } = {}): string {
  const { y, m, d } = parts(iso);
  const era = eraOf(iso);
  const west = options.western === true ? `（${y}年）` : "";
  const day = options.precision === "month" ? "" : `${d}日`;
  return `${era.name}${yearLabel(era.year)}年${west}${m}月${day}`;
}

/** "R5.6" (the seeds' month notation) → 2023-06-01. */
export function parseReiwaMonth(text: string): string {
  const match = /^R(\d{1,2})\.(\d{1,2})$/.exec(text.trim());
  if (match === null) throw new RangeError(`not a Reiwa month: ${text}`);
  const month = Number(match[2]);
  if (month < 1 || month > 12) throw new RangeError(`bad month: ${text}`);
  return `${2018 + Number(match[1])}-${String(month).padStart(2, "0")}-01`;
}

/** Today's date in Japan (UTC+9, no DST) as YYYY-MM-DD. */
export function todayInJapan(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** Dates the platform accepts anywhere: public-works contracts of this century, not 令和7981年. */
export const EARLIEST_DATE = "2000-01-01";
export const LATEST_DATE = "2099-12-31";

/** True for a real calendar date written YYYY-MM-DD (no 2025-02-30, no 2025-13-01). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
