// Japanese phrases about an agency's adoption, shared by the static pages and the client scripts
// (only era.ts is imported, so the browser bundle stays small).
import { formatWareki } from "../../edge/domain/era.ts";

/** 令和7年（2025年）6月1日, or 令和6年（2024年）1月 when only the month is known. */
export function startDate(startsOn: string, precision: "day" | "month" | null): string {
  return formatWareki(startsOn, { western: true, precision: precision === "month" ? "month" : "day" });
}

/** "令和7年（2025年）6月1日から", "…から導入予定", "開始日は資料に記載なし", or "" for no adoption. */
export function startPhrase(status: string, startsOn: string | null, precision: "day" | "month" | null): string {
  if (status !== "adopted" && status !== "scheduled") return "";
  if (startsOn === null) return "開始日は資料に記載なし";
  return `${startDate(startsOn, precision)}から${status === "scheduled" ? "導入予定" : ""}`;
}
