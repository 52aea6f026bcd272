// How the logged-in pages write amounts, dates and instants: yen with separators, dates in the
// 令和 era with the Western year, instants in Japan time.
import { formatWareki, isCalendarDate } from "../../edge/domain/era.ts";

/** 1234567 → "1,234,567円". */
export const yen = (n: number | null | undefined): string =>
  n === null || n === undefined ? "—" : `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}円`;

/** 2025-06-01 → "令和7年（2025年）6月1日"; anything else as given. */
export const wareki = (iso: string | null | undefined): string =>
  iso === null || iso === undefined || iso === "" ? "—" : isCalendarDate(iso) ? formatWareki(iso, { western: true }) : iso;

/** An ISO instant → "令和7年（2025年）6月1日 14:05" in Japan time (UTC+9, no DST). */
export function instant(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const jst = new Date(t + 9 * 3600_000).toISOString();
  return `${formatWareki(jst.slice(0, 10), { western: true })} ${jst.slice(11, 16)}`;
}

/** Seconds to wait, as a person reads it: "約3分", "45秒". */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}秒`;
  if (seconds < 3600) return `約${Math.ceil(seconds / 60)}分`;
  return `約${Math.ceil(seconds / 3600)}時間`;
}
