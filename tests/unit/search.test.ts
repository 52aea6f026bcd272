import { describe, expect, it } from "vitest";
import { Body } from "../../edge/domain/content-schema.ts";
import {
  foldKana,
  indexDocs,
  nearness,
  prepareQuery,
  readingKey,
  searchIndex,
  searchOrSuggest,
  stripInvisible,
} from "../../edge/domain/search.ts";
import { catalogue, searchAgencies } from "../../edge/services/catalogue.ts";

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

describe("invisible marks", () => {
  // LRM, RLM, RLO, ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen, a variation selector.
  const marks = ["\u200e", "\u200f", "\u202e", "\u200b", "\u200d", "\u200c", "\u2060", "\ufeff", "\u00ad", "\ufe0f"];
  it.each(marks.map((m) => [m.codePointAt(0)?.toString(16), m]))("U+%s is removed before matching", (_, mark) => {
    expect(names(`${mark}ひ${mark}おき${mark}`)[0]).toBe("日置市");
    expect(names(`日${mark}置`)[0]).toBe("日置市");
    expect(names(`hi${mark}oki`)[0]).toBe("日置市");
  });
  it("strips every format character (Cf) and keeps the rest", () => {
    expect(stripInvisible("\ufeff\u200e日置市\u2066\u2069")).toBe("日置市");
    expect(foldKana("\u200bヒ\u200dオキ")).toBe("ひおき");
  });
  it("a query of nothing but marks is empty", () => {
    expect(names("\u200b\u200e\ufeff")).toEqual([]);
  });
});

describe("whole words in romaji", () => {
  const words = indexDocs([
    { id: "u-kyoto-kyoiku", name: "京都教育大学", kana: "きょうときょういくだいがく" },
    { id: "132292", name: "西東京市", kana: "にしとうきょうし" },
    { id: "130001", name: "東京都", kana: "とうきょうと" },
  ]);
  it("ranks a reading that starts, then one that ends a place's name, before one inside a word", () => {
    expect(searchIndex(words, "tokyo").map((d) => d.name)).toEqual(["東京都", "西東京市", "京都教育大学"]);
    expect(searchIndex(words, "とうきょう").map((d) => d.name)).toEqual(["東京都", "西東京市", "京都教育大学"]);
  });
});

describe("alias readings", () => {
  const offices = indexDocs([
    { id: "132292", name: "西東京市", kana: "にしとうきょうし" },
    {
      id: "mlit",
      name: "国土交通省",
      kana: "こくどこうつうしょう",
      aliases: ["国交省", "近畿地方整備局", "東京航空局", "九州地整"],
      aliasKana: { 国交省: "こっこうしょう", 近畿地方整備局: "きんきちほうせいびきょく", 東京航空局: "とうきょうこうくうきょく" },
    },
    { id: "130001", name: "東京都", kana: "とうきょうと" },
  ]);
  const found = (q: string) => searchOrSuggest(offices, q).hits.map((h) => [h.doc.name, h.via]);
  it.each(["kinki", "きんき", "キンキ", "ｷﾝｷ", "KINKI", "kinkichihou", "きんきちほうせいびきょく"])(
    "%s finds 国土交通省 via 近畿地方整備局",
    (q) => {
      expect(found(q)).toEqual([["国土交通省", "近畿地方整備局"]]);
    },
  );
  it("a whole reading counts as the alias itself: こっこうしょう, kokkosho → 国交省", () => {
    expect(found("こっこうしょう")).toEqual([["国土交通省", "国交省"]]);
    expect(found("kokkousyou")).toEqual([["国土交通省", "国交省"]]);
  });
  it("an alias's reading ranks after the agencies' own readings and whole words (tokyo)", () => {
    expect(found("tokyo")).toEqual([
      ["東京都", null],
      ["西東京市", null],
      ["国土交通省", "東京航空局"],
    ]);
  });
  it("an alias without a reading is found by its written form only", () => {
    expect(found("九州地整")).toEqual([["国土交通省", "九州地整"]]);
    expect(found("kyushu")).toEqual([]);
  });
  it("a typo of an alias's reading is a suggestion via that alias", () => {
    expect(searchOrSuggest(offices, "kinkii")).toEqual({
      hits: [{ doc: expect.objectContaining({ id: "mlit" }), via: "近畿地方整備局" }],
      suggested: true,
    });
  });
  it("the content schema takes hiragana readings of the body's own aliases only", () => {
    const body = {
      id: "mlit",
      name: "国土交通省",
      kana: "こくどこうつうしょう",
      kind: "national",
      prefCode: null,
      aliases: ["近畿地方整備局"],
      note: null,
    };
    expect(Body.parse(body).aliasKana).toEqual({});
    expect(Body.safeParse({ ...body, aliasKana: { 近畿地方整備局: "きんきちほうせいびきょく" } }).success).toBe(true);
    expect(Body.safeParse({ ...body, aliasKana: { 近畿地方整備局: "kinki" } }).success).toBe(false);
    expect(Body.safeParse({ ...body, aliasKana: { 近畿地方整備局: "キンキ" } }).success).toBe(false);
    const stray = Body.safeParse({ ...body, aliasKana: { 中部地方整備局: "ちゅうぶちほうせいびきょく" } });
    expect(stray.error?.issues[0]?.message).toContain("中部地方整備局");
  });
  it("readings computed ahead (the search page's aliasKeys) match as the content's do", () => {
    const ahead = indexDocs([
      {
        id: "mlit",
        name: "国土交通省",
        kana: "こくどこうつうしょう",
        aliases: ["国交省", "近畿地方整備局"],
        aliasKeys: ["", readingKey("きんきちほうせいびきょく")],
      },
    ]);
    expect(searchOrSuggest(ahead, "きんき").hits).toMatchObject([{ doc: { id: "mlit" }, via: "近畿地方整備局" }]);
    expect(searchOrSuggest(ahead, "kokkosho").hits).toEqual([]);
  });
});

describe("suggestions (もしかして)", () => {
  it("measures edits to the whole text and to its nearest start", () => {
    expect(nearness("hiogi", "hiokishi", 1)).toEqual({ whole: 1_000, prefix: 1 });
    expect(nearness("hiokii", "hioki", 1)).toEqual({ whole: 1, prefix: 1 });
    expect(nearness("hoiki", "hioki", 1)).toEqual({ whole: 1, prefix: 1 }); // a swap is one edit
    expect(nearness("鳥巣", "鳥栖", 1)).toEqual({ whole: 1, prefix: 1 });
    expect(nearness("zzzzz", "hioki", 2).prefix).toBe(1_000);
  });
  it("offers near spellings only when nothing matches, flagged as suggestions", () => {
    expect(searchOrSuggest(index, "ひおぎ")).toEqual({ hits: [{ doc: docs[0], via: null }], suggested: true });
    expect(searchOrSuggest(index, "hiokii").hits[0]?.doc.name).toBe("日置市");
    expect(searchOrSuggest(index, "ひおき").suggested).toBe(false);
    expect(searchIndex(index, "ひおぎ")).toEqual([]); // the strict search has no suggestions
  });
  it("offers nothing for hostile or far input", () => {
    for (const q of ["zzzzzz", "<script>alert(1)</script>", "' OR 1=1 --", "x".repeat(10_000), "ab"]) {
      expect(searchOrSuggest(index, q)).toEqual({ hits: [], suggested: false });
    }
  });
});

describe("the real catalogue", () => {
  const { index: all } = catalogue("2026-12-01");
  const first = (q: string, n = 1) => searchOrSuggest(all, q, 20).hits.slice(0, n);
  const top = (q: string, n = 1) => first(q, n).map((h) => h.doc.name);

  describe("office names find their body", () => {
    const bureaus = ["東北", "関東", "北陸", "中部", "近畿", "中国", "四国", "九州"];
    it.each(["北海道開発局", ...bureaus.map((r) => `${r}地方整備局`)])("%s → 国土交通省", (q) => {
      expect(first(q)).toMatchObject([{ doc: { id: "mlit", name: "国土交通省" }, via: q }]);
    });
    it.each(bureaus.flatMap((r) => [`${r}地整`, `${r}整備局`]))("short %s → 国土交通省", (q) => {
      expect(top(q)).toEqual(["国土交通省"]);
    });
    it("整備局 alone, and the beneficiary as printed on seed 003's certificate", () => {
      expect(top("整備局")).toEqual(["国土交通省"]);
      expect(top("国土交通省近畿地方整備局長")).toEqual(["国土交通省"]);
    });
    it.each([
      ["九州農政局", "農林水産省"],
      ["東海農政局", "農林水産省"],
      ["中国四国農政局", "農林水産省"],
      ["九州防衛局", "防衛省"],
      ["沖縄防衛局", "防衛省"],
      ["近畿中部防衛局", "防衛省"],
      ["九州地方環境事務所", "環境省"],
    ])("%s → %s", (q, body) => {
      expect(top(q)).toEqual([body]);
    });
    it("a body's own name ranks before an office of another body", () => {
      const kyushu = top("九州", 6);
      expect(kyushu.slice(0, 2)).toEqual(["九州大学", "九州工業大学"]);
      expect(kyushu).toContain("国土交通省");
    });
  });

  describe("office names by their reading", () => {
    it.each(["kinki", "きんき", "キンキ"])("%s finds 国土交通省 via 近畿地方整備局, with the other bodies' 近畿 offices", (q) => {
      const hits = first(q, 10);
      expect(hits).toContainEqual(expect.objectContaining({ doc: expect.objectContaining({ id: "mlit" }), via: "近畿地方整備局" }));
      expect(hits.map((h) => h.doc.id).sort()).toEqual(["env", "maff", "mlit", "mod"]);
    });
    it.each([
      ["きんきちほうせいびきょく", "近畿地方整備局"],
      ["kinkichisei", "近畿地整"],
      ["ほっかいどうかいはつきょく", "北海道開発局"],
      ["kokkosho", "国交省"],
    ])("%s → 国土交通省 (%s)", (q, via) => {
      expect(first(q)).toMatchObject([{ doc: { id: "mlit" }, via }]);
    });
    it("every alias reading in the content names one of the body's aliases", () => {
      const withReadings = catalogue("2026-12-01").agencies.filter((a) => Object.keys(a.aliasKana).length > 0);
      expect(withReadings.map((a) => a.id)).toContain("mlit");
      for (const a of withReadings) for (const alias of Object.keys(a.aliasKana)) expect(a.aliases).toContain(alias);
    });
  });

  describe("brand names in katakana", () => {
    it.each(["ネクスコ", "ねくすこ", "ﾈｸｽｺ", "nexco", "ＮＥＸＣＯ"])("%s finds the three NEXCO companies", (q) => {
      expect(
        first(q, 5)
          .map((h) => h.doc.id)
          .sort(),
      ).toEqual(["nexco-central", "nexco-east", "nexco-west"]);
    });
    it("ネクスコ西日本 finds 西日本高速道路 first", () => {
      expect(first("ネクスコ西日本")).toMatchObject([{ doc: { id: "nexco-west" }, via: "ネクスコ西日本" }]);
    });
  });

  describe("typos", () => {
    it.each(["ひおぎ", "hiokii", "ヒオギ", "hiogi"])("%s suggests 日置市 first", (q) => {
      const result = searchOrSuggest(all, q, 20);
      expect(result.suggested).toBe(true);
      expect(result.hits[0]?.doc.name).toBe("日置市");
    });
    it("鳥巣 suggests 鳥栖市 among the first three", () => {
      const result = searchOrSuggest(all, "鳥巣", 20);
      expect(result.suggested).toBe(true);
      expect(result.hits.slice(0, 3).map((h) => h.doc.name)).toContain("鳥栖市");
    });
    it("the API's search answers the same", () => {
      expect(searchAgencies("ひおぎ", 5, "2026-12-01")[0]?.name).toBe("日置市");
      expect(searchAgencies("鳥巣", 5, "2026-12-01").map((a) => a.name)).toContain("鳥栖市");
    });
  });

  it("romaji ranks whole words first: tokyo → 東京都, then 西東京市, before 京都教育大学", () => {
    const names = top("tokyo", 20);
    expect(names[0]).toBe("東京都");
    expect(names.indexOf("西東京市")).toBe(1);
    expect(names.indexOf("京都教育大学")).toBeGreaterThan(1);
  });

  it("invisible marks in a pasted name are ignored", () => {
    expect(top("\u200e日置市\u200f")).toEqual(["日置市"]);
    expect(top("\ufeff近畿\u200d地方整備局")).toEqual(["国土交通省"]);
  });
});
