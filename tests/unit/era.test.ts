import { describe, expect, it } from "vitest";
import { formatWareki, parseReiwaMonth, todayInJapan } from "../../edge/domain/era.ts";

describe("era dates", () => {
  it("formats Reiwa dates with and without the Western year", () => {
    expect(formatWareki("2023-06-01")).toBe("令和5年6月1日");
    expect(formatWareki("2026-07-01", { western: true })).toBe("令和8年（2026年）7月1日");
    expect(formatWareki("2025-06-01", { precision: "month" })).toBe("令和7年6月");
  });
  it("uses 元年 for the first year and switches era on 2019-05-01", () => {
    expect(formatWareki("2019-05-01")).toBe("令和元年5月1日");
    expect(formatWareki("2019-04-30")).toBe("平成31年4月30日");
  });
  it("reads the seeds' R-month notation", () => {
    expect(parseReiwaMonth("R4.5")).toBe("2022-05-01");
    expect(parseReiwaMonth("R7.10")).toBe("2025-10-01");
    expect(() => parseReiwaMonth("R7.13")).toThrow();
    expect(() => parseReiwaMonth("H30.1")).toThrow();
  });
  it("gives today's date in Japan", () => {
    expect(todayInJapan(new Date("2026-11-21T15:30:00Z"))).toBe("2026-11-22");
    expect(todayInJapan(new Date("2026-11-21T14:59:59Z"))).toBe("2026-11-21");
  });
});
