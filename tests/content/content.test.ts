// The fact files: they validate, a corrupted copy is caught, and the seeds' facts are right.
import { describe, expect, it } from "vitest";
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import guarantors from "../../content/guarantors.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
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
};
const clone = <T>(value: T): T => structuredClone(value);
const facts = {
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
  it("never calls an unmentioned agency 'none'", () => {
    expect(agencies.filter((a) => a.adoption.status === "none")).toEqual([]);
    expect(agency("札幌市").adoption).toMatchObject({ status: "unknown", startsOn: null, guarantors: [] });
  });
  it("names a source document and a date for every adoption", () => {
    for (const a of agencies.filter((x) => x.adoption.status !== "unknown")) {
      expect(a.sources.length, a.name).toBeGreaterThan(0);
      for (const s of a.sources) expect(s.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  it("links each source to a publisher's page its document prints, quoted in the link's locator", () => {
    const links = Object.fromEntries(facts.sources.map((s) => [s.id.slice(0, 3), s.link?.url ?? null]));
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
