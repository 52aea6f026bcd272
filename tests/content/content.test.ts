// The fact files: they validate, a corrupted copy is caught, and the seeds' facts are right.
import { describe, expect, it } from "vitest";
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import guarantors from "../../content/guarantors.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
import searches from "../../content/searches.json" with { type: "json" };
import sources from "../../content/sources.json" with { type: "json" };
import { type Agency, buildAgencies } from "../../edge/domain/agency.ts";
import { type ContentFiles, checkContent } from "../../edge/domain/content-check.ts";
import { Adoption, Body, Municipality, Prefecture, SourceDocument } from "../../edge/domain/content-schema.ts";

const files: ContentFiles = {
  "sources.json": sources,
  "prefectures.json": prefectures,
  "municipalities.json": municipalities,
  "bodies.json": bodies,
  "adoptions.json": adoptions,
  "guarantors.json": guarantors,
  "searches.json": searches,
};
const clone = <T>(value: T): T => structuredClone(value);
const facts = {
  searches: (searches as unknown[]).map((s) => s as { agencyId: string; searchedOn: string; note: string }),
  prefectures: Prefecture.array().parse(prefectures),
  municipalities: Municipality.array().parse(municipalities),
  bodies: Body.array().parse(bodies),
  adoptions: Adoption.array().parse(adoptions),
  sources: SourceDocument.array().parse(sources),
};
const today = "2026-11-21";
const agencies = buildAgencies(facts, today);
function agency(name: string, prefecture?: string): Agency {
  const found = agencies.filter(
    (a) => (a.name === name || a.aliases.includes(name)) && (prefecture === undefined || a.prefecture === prefecture),
  );
  if (found.length !== 1) throw new Error(`${found.length} agencies named ${name}`);
  return found[0] as Agency;
}
const docs = (a: Agency) => a.sources.map((s) => s.document.slice(0, 3));

describe("content integrity", () => {
  it("passes every schema and cross-file check", () => {
    const report = checkContent(files);
    expect(report.problems).toEqual([]);
    expect(report.counts.kinds).toMatchObject({ prefecture: 47, special_ward: 23 });
    expect(report.counts.agencies).toBeGreaterThan(1800);
  });
  it("catches a duplicated municipality", () => {
    const copy = clone(files);
    const list = copy["municipalities.json"] as unknown[];
    list.splice(1, 0, list[0]);
    expect(checkContent(copy).problems.join("\n")).toMatch(/duplicate/);
  });
  it("catches an adoption of an unknown agency and an unknown source", () => {
    const copy = clone(files);
    const list = copy["adoptions.json"] as { agencyId: string; sources: { document: string }[] }[];
    const first = list[0];
    if (first === undefined) throw new Error("no adoptions");
    first.agencyId = "0000000-nope";
    const second = list[1];
    if (second?.sources[0] === undefined) throw new Error("no sources");
    second.sources[0].document = "999_0000000000000000.txt";
    const problems = checkContent(copy).problems.join("\n");
    expect(problems).toMatch(/unknown agency/);
    expect(problems).toMatch(/unknown source document/);
  });
  it("catches a malformed entry", () => {
    const copy = clone(files);
    (copy["adoptions.json"] as { startsOn: string }[])[0] = {
      ...(copy["adoptions.json"] as { startsOn: string }[])[0],
      startsOn: "R5.6",
    } as never;
    expect(checkContent(copy).problems.length).toBeGreaterThan(0);
    expect(checkContent({ ...files, "bodies.json": { not: "an array" } }).problems).toContain("bodies.json: expected a JSON array");
  });
  it("calls an agency 'none' only where a source says so, and never an unmentioned one", () => {
    const none = agencies.filter((a) => a.adoption.status === "none");
    expect(none.map((a) => a.name).sort()).toEqual(["堺市", "大阪市", "東京都", "静岡市"].sort());
    for (const a of none)
      expect(
        facts.adoptions.find((x) => x.agencyId === a.id)?.sources.some((s) => s.states?.state === "none"),
        a.name,
      ).toBe(true);
    expect(agency("札幌市").adoption).toMatchObject({ status: "unknown", startsOn: null, guarantors: [] });
  });
  it("names a source document and a date for every adoption", () => {
    for (const a of agencies.filter((x) => x.adoption.status !== "unknown")) {
      expect(a.sources.length, a.name).toBeGreaterThan(0);
      for (const s of a.sources) expect(s.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  it("links each source to a publisher's page its document prints, quoted in the link's locator", () => {
    const seeds = facts.sources.filter((s) => s.url === undefined);
    const links = Object.fromEntries(seeds.map((s) => [s.id.slice(0, 3), s.link?.url ?? null]));
    expect(links).toEqual({
      "000": "https://www.wjcs.net/",
      "001": "https://www.wjcs.net/enet/enet.php",
      "002": null, // 島根県's notice prints no address of its own
      "003": "https://www.wjcs.net/",
      "004": "https://www.ejcs.co.jp/e-surety/",
    });
    const hosts = new Set(guarantors.flatMap((g) => (g.url === null ? [] : [new URL(g.url).host])));
    for (const s of facts.sources) {
      if (s.link === null) continue;
      expect(s.link.locator, s.id).toContain(s.link.url);
      expect(hosts.has(new URL(s.link.url).host), s.id).toBe(true);
    }
  });
});

describe("single-agency rules (seeds 000, 001, 002, 003, 004)", () => {
  it("隠岐広域連合: contracts from 2026-07-01, works and consulting, by e-mail (seed 000)", () => {
    const a = agency("隠岐広域連合");
    expect(a.adoption).toMatchObject({
      status: "adopted",
      startsOn: "2026-07-01",
      startsOnPrecision: "day",
      basis: "contract",
      guarantors: ["wjcs"],
    });
    expect(a.adoption.scope?.rules).toEqual([
      { works: ["construction", "consulting"], guarantees: ["advance", "intermediate", "contract"] },
    ]);
    expect(a.adoption.submission?.methods).toEqual(["email"]);
    expect(docs(a)).toEqual(["000"]);
  });
  it("日置市: bid announcements from 2025-06-01, by e-mail to the department (seeds 001, 003)", () => {
    const a = agency("日置市");
    expect(a.adoption).toMatchObject({ startsOn: "2025-06-01", startsOnPrecision: "day", basis: "bid" });
    expect(a.adoption.submission?.methods).toEqual(["email"]);
    expect(docs(a)).toEqual(expect.arrayContaining(["001", "003"]));
  });
  it("島根県: contracts from 2023-06-01, four departments, surety companies only, consulting advance only (seed 002)", () => {
    const a = agency("島根県");
    expect(a.adoption).toMatchObject({ startsOn: "2023-06-01", basis: "contract" });
    expect(a.adoption.scope?.departments).toEqual(["総務部", "防災部", "農林水産部", "土木部"]);
    expect(a.adoption.scope?.issuers).toEqual(["surety"]);
    expect([...a.adoption.guarantors].sort()).toEqual(["ejcs", "hkcs", "wjcs"]);
    const consulting = a.adoption.scope?.rules?.find((r) => r.works.includes("consulting"));
    expect(consulting?.guarantees).toEqual(["advance"]);
    expect(a.adoption.scope?.note).toMatch(/5月31日/);
  });
  it("鳥栖市: bid announcements from 2026-03-01; contract guarantee to 契約検査課, advance to each department (seed 003)", () => {
    const a = agency("鳥栖市");
    expect(a.adoption).toMatchObject({ startsOn: "2026-03-01", basis: "bid", status: "adopted" });
    const to = a.adoption.submission?.to ?? [];
    expect(to.find((t) => t.guarantees?.includes("contract"))?.office).toBe("契約検査課");
    expect(to.find((t) => t.guarantees?.includes("advance"))?.office).toMatch(/各担当課/);
    expect(buildAgencies(facts, "2026-02-02").find((x) => x.id === a.id)?.adoption.status).toBe("scheduled");
  });
  it("由利本荘市: bid announcements from 2026-04-01 through Net Desk (seed 004)", () => {
    const a = agency("由利本荘市");
    expect(a.adoption).toMatchObject({ startsOn: "2026-04-01", basis: "bid", guarantors: ["ejcs"] });
    expect(docs(a)).toEqual(["004"]);
  });
  it("国土交通省 from 2022-05 (seeds 001, 002)", () => {
    expect(agency("国土交通省").adoption).toMatchObject({ startsOn: "2022-05-01", startsOnPrecision: "month" });
  });
});

describe("the seeds' tables, with their extraction errors fixed", () => {
  const month = (name: string, prefecture: string) => agency(name, prefecture).adoption.startsOn?.slice(0, 7);
  it.each([
    ["姶良市", "鹿児島県", "2025-05"],
    ["阿久根市", "鹿児島県", "2023-04"],
    ["うるま市", "沖縄県", "2023-04"],
    ["名護市", "沖縄県", "2024-04"],
    ["すさみ町", "和歌山県", "2024-06"],
    ["みなべ町", "和歌山県", "2025-07"],
    ["あさぎり町", "熊本県", "2025-04"],
    ["苅田町", "福岡県", "2023-11"],
    ["宇土市", "熊本県", "2023-10"],
    ["北九州市", "福岡県", "2024-02"],
    ["小国町", "熊本県", "2024-04"],
    ["杵築市", "大分県", "2024-08"],
    ["綾町", "宮崎県", "2024-09"],
    ["五島市", "長崎県", "2026-01"],
  ])("%s (%s) from %s", (name, prefecture, expected) => {
    expect(month(name, prefecture)).toBe(expected);
  });
  it("keeps the misprints out of the names", () => {
    const names = new Set(agencies.map((a) => a.name));
    for (const wrong of ["始良市", "うま市", "すまみ町", "みなみ町", "あさぎ町", "天来市", "名瀬市", "崎門教育大学"])
      expect(names.has(wrong), wrong).toBe(false);
    expect(agency("天童市").adoption.status).toBe("unknown");
    expect(agency("河内町").adoption.status).toBe("unknown");
    expect(agency("鳴門教育大学").adoption.status).toBe("adopted");
  });
  it("carries the Saga usage figures as of 2026-01-31 (seed 003)", () => {
    expect(agency("佐賀県").adoption.usage).toEqual({ asOf: "2026-01-31", advanceGuarantees: 1870, electronic: 1554, ratePercent: 83.1 });
    expect(agency("玄海町").adoption).toMatchObject({ startsOn: "2025-07-01", usage: { electronic: 13 } });
  });
});

describe("facts from public pages (issue 9)", () => {
  type Cite = { document: string; locator: string; certainty: string; states?: Record<string, string> };
  type Entry = {
    agencyId: string;
    startsOn: string | null;
    startsOnPrecision: string | null;
    basis: string | null;
    sources: Cite[];
    conflicts?: unknown[];
  };
  type Source = { id: string; url?: string; asOf: string };
  const entry = (copy: ContentFiles, id: string): Entry => {
    const e = (copy["adoptions.json"] as Entry[]).find((a) => a.agencyId === id);
    if (e === undefined) throw new Error(`no adoption ${id}`);
    return e;
  };
  const webSource = (copy: ContentFiles): Source => {
    const s = (copy["sources.json"] as Source[]).find((x) => x.id.startsWith("w-"));
    if (s === undefined) throw new Error("no web source");
    return s;
  };
  const problems = (copy: ContentFiles) => checkContent(copy, today).problems.join("\n");

  it("cite a web page with its address, its date and a certainty for every fact", () => {
    const web = facts.sources.filter((s) => s.id.startsWith("w-"));
    expect(web.length).toBeGreaterThan(50);
    for (const s of web) {
      expect(s.url, s.id).toMatch(/^https?:\/\//);
      expect(s.url, s.id).not.toContain("cache.yimg.jp"); // the page itself, not the copy it was read from
    }
    for (const a of facts.adoptions) for (const c of a.sources) expect(["stated", "announced", "listed"]).toContain(c.certainty);
  });
  it("refuse a web source without its address, and a date before 2022-05 or over two years ahead", () => {
    const copy = clone(files);
    delete webSource(copy).url;
    expect(problems(copy)).toMatch(/needs its url/);
    const old = clone(files);
    webSource(old).asOf = "2021-12-01";
    expect(problems(old)).toMatch(/outside 2022-05-01\.\.2028-11-21/);
    const far = clone(files);
    entry(far, "462161").startsOn = "2029-01-01";
    expect(problems(far)).toMatch(/462161 startsOn: date 2029-01-01 outside/);
  });
  it("refuse a source cited twice, and two sources with one address", () => {
    const copy = clone(files);
    const e = entry(copy, "462161");
    e.sources.push({ ...(e.sources[0] as Cite) });
    expect(problems(copy)).toMatch(/duplicate source in adoption 462161/);
    const twice = clone(files);
    const list = twice["sources.json"] as Source[];
    list.push({ ...webSource(twice), id: "w-00000000" });
    expect(problems(twice)).toMatch(/duplicate source url/);
  });
  it("refuse sources that disagree unless the conflict is marked, and then the newer must stand", () => {
    // 北九州市: seed 001 (R6.2) and the city's own page (2024-02-01, by bid announcement).
    const copy = clone(files);
    const e = entry(copy, "401005");
    const page = e.sources.find((c) => c.document.startsWith("w-") && c.states?.["startsOn"] !== undefined);
    if (page?.states === undefined) throw new Error("no dated web cite");
    page.states["startsOn"] = "2024-06-01";
    expect(problems(copy)).toMatch(/401005: sources disagree on the start, not marked in conflicts/);
    e.conflicts = [{ field: "startsOn", note: "資料によって開始時期が異なる。" }];
    expect(problems(copy)).toMatch(/401005: startsOn is not the newest source's \(2024-06-01\)/);
    e.startsOn = "2024-06-01";
    e.startsOnPrecision = "day";
    expect(problems(copy)).not.toMatch(/401005/);
    // A conflict marked where the sources agree is refused too.
    const agree = clone(files);
    entry(agree, "401005").conflicts = [{ field: "basis", note: "x" }];
    expect(problems(agree)).toMatch(/401005: conflict on basis marked, but the sources agree/);
  });
  it("refuse a search record for an agency that has sources, or an unknown agency", () => {
    const copy = clone(files);
    (copy["searches.json"] as { agencyId: string; searchedOn: string; note: string }[]).push(
      { agencyId: "462161", searchedOn: "2026-12-01", note: "x" },
      { agencyId: "nope", searchedOn: "2026-12-01", note: "x" },
    );
    const p = problems(copy);
    expect(p).toMatch(/search 462161: the agency has sources/);
    expect(p).toMatch(/search nope: unknown agency/);
  });
  it("give every prefecture and designated city a sourced status or the date of the last search", () => {
    const searched = new Set((searches as { agencyId: string }[]).map((s) => s.agencyId));
    const designated = Municipality.array()
      .parse(municipalities)
      .filter((m) => m.designated);
    expect(designated).toHaveLength(20);
    const missing = [
      ...facts.prefectures.map((p) => ({ id: p.lgcode, name: p.name })),
      ...designated.map((m) => ({ id: m.code, name: m.name })),
    ].filter((x) => !searched.has(x.id) && !facts.adoptions.some((a) => a.agencyId === x.id));
    expect(missing).toEqual([]);
  });
  it("flip a scheduled start to adopted on its day, with nobody editing the data (fixed clock)", () => {
    const a = facts.adoptions.find((x) => x.agencyId === "462195"); // いちき串木野市, from 2026-04-01 (its own page)
    expect(a?.startsOn).toBe("2026-04-01");
    const on = (day: string) => buildAgencies(facts, day).find((x) => x.id === "462195")?.adoption.status;
    expect(on("2026-03-31")).toBe("scheduled");
    expect(on("2026-04-01")).toBe("adopted");
  });
});
