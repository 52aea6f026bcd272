import { describe, expect, it } from "vitest";
import { foldKana, indexDocs, prepareQuery, readingKey, searchIndex } from "../../edge/domain/search.ts";

const docs = [
  { id: "462161", name: "日置市", kana: "ひおきし" },
  { id: "130001", name: "東京都", kana: "とうきょうと" },
  { id: "271004", name: "大阪市", kana: "おおさかし" },
  { id: "270008", name: "大阪府", kana: "おおさかふ" },
  { id: "131041", name: "新宿区", kana: "しんじゅくく" },
  { id: "mlit", name: "国土交通省", kana: "こくどこうつうしょう" },
  { id: "u-naruto", name: "鳴門教育大学", kana: "なるときょういくだいがく", aliases: ["崎門教育大学"] },
  { id: "342076", name: "府中市", kana: "ふちゅうし" },
  { id: "343099", name: "府中町", kana: "ふちゅうちょう" },
];
const index = indexDocs(docs);
const names = (q: string) => searchIndex(index, q).map((d) => d.name);

describe("query folding", () => {
  it.each(["ひおき", "ヒオキ", "ﾋｵｷ", "hioki", "ｈｉｏｋｉ", "HIOKI", "日置", "日置市", " ひおき "])("%s finds 日置市", (q) => {
    expect(names(q)[0]).toBe("日置市");
  });
  it("folds long vowels and Hepburn variants", () => {
    // Reading substrings also match (な る と きょ う いく), but after the prefix match.
    expect(names("tokyo")).toEqual(["東京都", "鳴門教育大学"]);
    expect(names("toukyou")[0]).toBe("東京都");
    expect(names("tōkyō")[0]).toBe("東京都");
    expect(names("sinzyuku")).toEqual(["新宿区"]);
    expect(readingKey("しんばし")).toBe(readingKey("しんばし"));
    expect(prepareQuery("shimbashi").key).toBe(readingKey("しんばし"));
  });
  it("normalises width and script", () => {
    expect(foldKana("ｶﾀｶﾅ ＡＢＣ")).toBe("かたかなabc");
  });
});

describe("ranking", () => {
  it("puts exact name matches first", () => {
    expect(names("大阪府")[0]).toBe("大阪府");
    expect(names("大阪市")[0]).toBe("大阪市");
    expect(names("府中町")[0]).toBe("府中町");
  });
  it("matches a name stem exactly before prefixes", () => {
    expect(names("府中")).toEqual(["府中市", "府中町"]);
  });
  it("finds a body under a misprinted alias", () => {
    expect(names("崎門教育大学")).toEqual(["鳴門教育大学"]);
  });
  it("matches inside names and, from three letters, inside readings", () => {
    expect(names("交通")).toEqual(["国土交通省"]);
    expect(names("koutsu")).toEqual(["国土交通省"]);
  });
  it("returns nothing for empty, hostile or unmatched input", () => {
    expect(names("")).toEqual([]);
    expect(names("   ")).toEqual([]);
    expect(names("<script>alert(1)</script>")).toEqual([]);
    expect(names("zzzzzz")).toEqual([]);
    expect(names("x".repeat(10_000))).toEqual([]);
  });
  it("honours the limit", () => {
    expect(searchIndex(index, "し", 2)).toHaveLength(2);
  });
});
