// The content report (scripts/content-report-lib.ts) over synthetic old and new content: a new
// agency, a changed start, a new conflict, a stale source, totals by certainty and by prefecture.
import { describe, expect, it } from "vitest";
import {
  type ContentSnapshot,
  compareContent,
  daysBefore,
  type ReportAdoption,
  renderContentReport,
  snapshotFrom,
} from "../../scripts/content-report-lib.ts";

const TODAY = "2026-12-03";

const place = {
  prefectures: [
    { code: 5, lgcode: "050008", name: "秋田県" },
    { code: 6, lgcode: "060003", name: "山形県" },
  ],
  municipalities: [
    { code: "052108", name: "由利本荘市", prefCode: 5 },
    { code: "052019", name: "秋田市", prefCode: 5 },
    { code: "062014", name: "山形市", prefCode: 6 },
  ],
  bodies: [{ id: "mlit", name: "国土交通省", prefCode: null }],
};

function adoption(agencyId: string, rest: Partial<ReportAdoption> = {}): ReportAdoption {
  return {
    agencyId,
    startsOn: null,
    startsOnPrecision: null,
    basis: null,
    scope: { rules: null, departments: null, issuers: null, note: null },
    submission: { methods: null, to: [], note: null },
    guarantors: ["ejcs"],
    sources: [{ document: "004_1ab6ac1482f43404.txt", locator: "表紙" }],
    ...rest,
  };
}

const seed = {
  id: "004_1ab6ac1482f43404.txt",
  title: "由利本荘市で電子保証が始まりました",
  publisher: "東日本建設業保証",
  asOf: "2026-04-01",
};
const before: ContentSnapshot = {
  ...place,
  sources: [seed, { id: "003_aaaaaaaaaaaaaaaa.txt", title: "古い一覧", publisher: "西日本建設業保証", asOf: "2026-02-02" }],
  adoptions: [
    adoption("052108", { startsOn: "2026-04-01", startsOnPrecision: "month", basis: "bid" }),
    adoption("mlit", { startsOn: "2022-05-01", startsOnPrecision: "month", sources: [{ document: "003_aaaaaaaaaaaaaaaa.txt" }] }),
  ],
  searches: [],
};

const after: ContentSnapshot = {
  ...place,
  sources: [
    seed,
    { id: "w-11111111", title: "電子保証の導入について", publisher: "由利本荘市", url: "https://example.jp/a", asOf: "2026-05-10" },
    { id: "w-22222222", title: "電子保証が始まりました", publisher: "東日本建設業保証", url: "https://example.jp/b", asOf: "2024-11-08" },
  ],
  adoptions: [
    // a new agency resting only on a source older than a year
    adoption("050008", {
      startsOn: "2024-11-01",
      startsOnPrecision: "month",
      sources: [{ document: "w-22222222", certainty: "announced" }],
    }),
    // a changed start: the agency's own newer page disagrees with the seed, marked as a conflict
    adoption("052108", {
      startsOn: "2026-04-15",
      startsOnPrecision: "day",
      basis: "bid",
      sources: [
        {
          document: "004_1ab6ac1482f43404.txt",
          certainty: "listed",
          states: { startsOn: "2026-04-01", startsOnPrecision: "month" },
        },
        { document: "w-11111111", certainty: "stated", states: { startsOn: "2026-04-15", startsOnPrecision: "day" } },
      ],
      conflicts: [{ field: "startsOn", note: "一覧は4月、市のページは4月15日。新しい市のページによる" }],
    }),
    // a new agency scheduled after today
    adoption("062014", {
      startsOn: "2027-04-01",
      startsOnPrecision: "day",
      basis: "contract",
      sources: [{ document: "w-11111111", certainty: "stated" }],
    }),
  ],
  searches: [
    { agencyId: "052019", searchedOn: "2025-06-01", note: "秋田市 電子保証" },
    { agencyId: "060003", searchedOn: TODAY, note: "山形県 電子保証" },
  ],
};

describe("content report", () => {
  const diff = compareContent(before, after, TODAY);

  it("lists new and removed agencies with status, start and sources", () => {
    expect(diff.newAgencies.map((a) => [a.name, a.status, a.startsOn, a.sources.map((s) => s.document)])).toEqual([
      ["秋田県", "adopted", "2024-11-01", ["w-22222222"]],
      ["山形市", "scheduled", "2027-04-01", ["w-11111111"]],
    ]);
    expect(diff.removedAgencies.map((a) => a.id)).toEqual(["mlit"]);
  });

  it("gives each changed fact old → new, and the sources added", () => {
    expect(diff.changedAgencies).toHaveLength(1);
    const [change] = diff.changedAgencies;
    expect(change?.name).toBe("由利本荘市");
    expect(change?.changes).toEqual([
      { field: "startsOn", before: "2026-04-01", after: "2026-04-15" },
      { field: "startsOnPrecision", before: "month", after: "day" },
    ]);
    expect(change?.sourcesAdded).toEqual(["w-11111111"]);
    expect(change?.sourcesRemoved).toEqual([]);
  });

  it("lists new and removed sources", () => {
    expect(diff.newSources.map((s) => s.id)).toEqual(["w-11111111", "w-22222222"]);
    expect(diff.removedSources.map((s) => s.id)).toEqual(["003_aaaaaaaaaaaaaaaa.txt"]);
  });

  it("marks a conflict that the old version did not have as new", () => {
    expect(diff.conflicts).toEqual([expect.objectContaining({ id: "052108", field: "startsOn", isNew: true })]);
    const again = compareContent(after, after, TODAY);
    expect(again.conflicts.map((c) => c.isNew)).toEqual([false]);
    expect(again.changedAgencies).toEqual([]);
    expect(again.newAgencies).toEqual([]);
  });

  it("finds sources and searches older than a year, with the agencies resting only on them", () => {
    expect(diff.staleBefore).toBe("2025-12-03");
    expect(diff.staleSources.map((s) => [s.source.id, s.citedBy, s.restingOnly.map((a) => a.name)])).toEqual([
      ["w-22222222", 1, ["秋田県"]],
    ]);
    expect(diff.staleSearches.map((s) => [s.name, s.searchedOn])).toEqual([["秋田市", "2025-06-01"]]);
    // exactly 365 days old is not yet older than a year
    const edge = compareContent(before, { ...after, sources: after.sources.map((s) => ({ ...s, asOf: daysBefore(TODAY, 365) })) }, TODAY);
    expect(edge.staleSources).toEqual([]);
  });

  it("counts citations by certainty and agencies with a sourced status by prefecture, before → after", () => {
    const t = diff.totals;
    expect(t.adoptions).toEqual([2, 3]);
    expect(t.certainty).toEqual({ stated: [0, 2], announced: [0, 1], listed: [0, 1], unset: [2, 0] });
    expect(t.byStatus).toEqual({ adopted: [2, 2], scheduled: [0, 1], none: [0, 0] });
    expect(t.searches).toEqual([0, 2]);
    expect(t.conflicts).toEqual([0, 1]);
    expect(t.byPrefecture).toEqual([
      { code: 5, name: "秋田県", governments: 3, governmentsBefore: 1, governmentsAfter: 2, bodiesBefore: 0, bodiesAfter: 0 },
      { code: 6, name: "山形県", governments: 2, governmentsBefore: 0, governmentsAfter: 1, bodiesBefore: 0, bodiesAfter: 0 },
      { code: null, name: "nationwide bodies", governments: 0, governmentsBefore: 0, governmentsAfter: 0, bodiesBefore: 1, bodiesAfter: 0 },
    ]);
  });

  it("renders the Markdown an operator reviews", () => {
    const md = renderContentReport(diff, { since: "content-2026-11-01", sinceCommit: "abc1234, 2026-11-01" });
    expect(md).toContain("- Before: `content/` at `content-2026-11-01` (abc1234, 2026-11-01)");
    expect(md).toContain("## New agencies (2)");
    expect(md).toContain("| 秋田県 | 秋田県 | 050008 | adopted | 2024-11 | — | w-22222222 (announced) |");
    expect(md).toContain("| 山形県 | 山形市 | 062014 | scheduled | 2027-04-01 | contract | w-11111111 (stated) |");
    expect(md).toContain("### 由利本荘市 (052108), 秋田県\n\n- startsOn: `2026-04-01` → `2026-04-15`");
    expect(md).toContain("| NEW | 由利本荘市 (052108) | 秋田県 | startsOn | 一覧は4月、市のページは4月15日。新しい市のページによる |");
    expect(md).toContain("| w-22222222 | 東日本建設業保証 | 電子保証が始まりました | 2024-11-08 | 1 | 1: 秋田県 (050008) |");
    expect(md).toContain("| 2025-06-01 | 秋田市 (052019) | 秋田県 |");
    expect(md).toContain("| citations stated | 0 | 2 | +2 |");
    expect(md).toContain("| 秋田県 | 1 → 2 | 3 | 0 |");
    expect(md).toContain("- Conflicts: 1 (1 new)");
  });

  it("reads loose files: a file missing at the old ref is empty, a stray item is skipped", () => {
    const s = snapshotFrom({ "adoptions.json": [adoption("052108"), "junk", null], "sources.json": {} });
    expect(s.adoptions.map((a) => a.agencyId)).toEqual(["052108"]);
    expect(s.sources).toEqual([]);
    expect(s.searches).toEqual([]);
  });

  it("escapes table cells", () => {
    const odd = { ...after, sources: [...after.sources, { id: "w-33333333", title: "a | b\nc", publisher: "p", asOf: TODAY }] };
    expect(renderContentReport(compareContent(before, odd, TODAY), { since: "HEAD" })).toContain("| w-33333333 | p | a \\| b c |");
  });
});
