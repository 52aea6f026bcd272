// The public guide as a contractor uses it: search by kana, open an agency, run the checker.
import { describe, expect, inject, it } from "vitest";
import { usePhonePage } from "./chromium.ts";

const base = inject("baseUrl");
const phone = usePhonePage();

describe("search", () => {
  it.each(["ひおき", "ヒオキ", "ﾋｵｷ", "hioki"])("finds 日置市 first for %s as you type", async (q) => {
    await phone.page.goto(`${base}/agencies/`);
    const box = phone.page.getByRole("combobox", { name: "発注者の名前・読み" });
    await box.fill("");
    await box.pressSequentially(q, { delay: 20 });
    const first = phone.page.locator("[data-results] a").first();
    await expect.poll(() => first.textContent()).toContain("日置市");
  });
  it("takes the query from the home page's form (?q=)", async () => {
    await phone.page.goto(`${base}/agencies/?q=${encodeURIComponent("島根県")}`);
    await expect.poll(() => phone.page.locator("[data-results] a").first().textContent()).toContain("島根県");
  });
});

describe("an agency page", () => {
  it("shows the rule with its sources and runs no script beyond the service worker", async () => {
    await phone.page.goto(`${base}/agencies/?q=hioki`);
    await phone.page.locator("[data-results] a").first().click();
    await phone.page.waitForURL(/\/agencies\/462161\/$/);
    expect(await phone.page.getByRole("heading", { level: 1 }).textContent()).toContain("日置市");
    const text = (await phone.page.locator("main").textContent()) ?? "";
    expect(text).toContain("令和7年（2025年）6月1日");
    expect(text).toContain("入札公告日");
    expect(text).toContain("令和7年（2025年）5月1日"); // the source's 資料の時点
    const scripts = await phone.page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
    expect(scripts).toEqual([""]); // only the inline service-worker registration
  });
  it("says 'no information', not 'no', for an agency the seeds do not mention", async () => {
    await phone.page.goto(`${base}/agencies/011002/`);
    expect(await phone.page.locator("main").textContent()).toContain("情報なし");
    // 札幌市 was searched for in vain: the page says when (content/searches.json).
    expect(await phone.page.locator("[data-searched]").textContent()).toMatch(/令和8年（2026年）12月2日に公開資料/);
  });
  it("shows a web source with its page, its date and who says it (北上市, its own announcement)", async () => {
    await phone.page.goto(`${base}/agencies/032069/`);
    const source = phone.page.locator("[data-source]").first();
    expect(await source.textContent()).toContain("発注者自身の公表");
    expect(await source.locator(".source-url a").getAttribute("href")).toMatch(/^https:\/\/www\.city\.kitakami\.iwate\.jp\//);
    expect(await phone.page.locator("main").textContent()).toContain("令和7年（2025年）10月1日");
  });
  it("says on a prefecture page how many of its governments have a sourced status (北海道)", async () => {
    await phone.page.goto(`${base}/prefectures/01/`);
    expect(await phone.page.locator("[data-sourced]").textContent()).toMatch(
      /資料で状況が分かる団体: \d+ \/ 180.*ほかに \d+ 団体は公開資料を探しました/s,
    );
  });
  it("says 東京都 had not adopted as of the press report's date, and that it may have since", async () => {
    await phone.page.goto(`${base}/agencies/130001/`);
    const main = (await phone.page.locator("main").textContent()) ?? "";
    expect(main).toMatch(/時点の資料では電子保証を導入していません/);
    expect(main).toContain("その後に導入したかどうかは");
    expect(await phone.page.locator("[data-source]").count()).toBeGreaterThan(0);
  });
});

describe("sources a person can check, and the agency pages' marks", () => {
  it.each(["/", "/sources/", "/agencies/462161/", "/agencies/320005/"])("%s shows no internal file name", async (path) => {
    await phone.page.goto(`${base}${path}`);
    expect(await phone.page.locator("body").textContent()).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
  });
  it("日置市's page names its source by publisher, title and 資料の時点, links the publisher's page, and dates the status by it", async () => {
    await phone.page.goto(`${base}/agencies/462161/`);
    const first = phone.page.locator("[data-source]").first();
    const text = (await first.textContent()) ?? "";
    expect(text).toContain("西日本建設業保証株式会社 鹿児島支店");
    expect(text).toContain("【公共工事を受注される皆様へ】電子保証のご案内");
    expect(text).toMatch(/資料の時点\s*令和7年（2025年）5月1日/);
    expect(await first.getByRole("link", { name: /e-Net保証/ }).getAttribute("href")).toBe("https://www.wjcs.net/enet/enet.php");
    // Beside the status: the newest source's date (seed 003's table, 令和8年2月2日現在), not the build date.
    expect(await phone.page.locator("[data-evidence-date]").textContent()).toMatch(/資料の時点\s*令和8年（2026年）2月2日/);
    expect(await phone.page.locator("[data-page-updated]").textContent()).toContain("このページの更新日");
  });

  /** A scope table's cell by its row's work and its column's guarantee, as a person reads the table. */
  async function scopeCell(work: string, guarantee: string) {
    const headers = (await phone.page.locator("table.scope thead th").allTextContents()).map((h) => h.trim());
    const column = headers.indexOf(guarantee);
    expect(column, guarantee).toBeGreaterThan(0);
    const row = phone.page.locator("table.scope tbody tr").filter({ has: phone.page.getByRole("rowheader", { name: work, exact: true }) });
    return row.locator("th, td").nth(column);
  }
  it("島根県: × for 契約保証 of 土木設計業務等委託 (建設コンサルタント業務), read as 対象外, with a legend", async () => {
    await phone.page.goto(`${base}/agencies/320005/`);
    const cell = await scopeCell("建設コンサルタント業務", "契約保証");
    expect(((await cell.textContent()) ?? "").trim()).toMatch(/^×/);
    expect(await cell.ariaSnapshot()).toContain("対象外");
    expect(await cell.ariaSnapshot()).not.toContain("×");
    expect(((await (await scopeCell("建設コンサルタント業務", "前払金保証")).textContent()) ?? "").trim()).toMatch(/^○/);
    const legend = (await phone.page.locator("#scope-legend").textContent()) ?? "";
    for (const mark of ["○", "×", "記載なし"]) expect(legend).toContain(mark);
  });
  it("日置市: 記載なし, not ×, for 測量, which its source does not state", async () => {
    await phone.page.goto(`${base}/agencies/462161/`);
    for (const guarantee of ["前払金保証", "契約保証"]) {
      const cell = await scopeCell("測量", guarantee);
      expect(((await cell.textContent()) ?? "").trim()).toMatch(/^記載なし/);
      expect(await cell.ariaSnapshot()).toContain("資料に記載なし");
    }
    expect(await phone.page.locator("table.scope").textContent()).not.toContain("×");
  });
});

describe("the FAQ's citations", () => {
  it("link each source to its entry on the 出典一覧 page and, where it prints one, to the publisher's own page", async () => {
    await phone.page.goto(`${base}/faq/`);
    const citations = phone.page.locator("details.qa [data-doc-source]");
    expect(await citations.count()).toBeGreaterThan(0);
    const sourcePages = await citations.locator("a[href^='/sources/#doc-']").count();
    expect(sourcePages).toBe(await citations.count());
    // WJCS's leaflets (seeds 000, 003) print its home page; the answer's citation links it directly.
    const wjcs = "西日本建設業保証株式会社のホームページ";
    const question = phone.page
      .locator("details.qa")
      .filter({ has: phone.page.locator("[data-publisher-link]", { hasText: wjcs }) })
      .first();
    await question.locator("summary").click();
    const home = question.getByRole("link", { name: wjcs });
    expect(await home.getAttribute("href")).toBe("https://www.wjcs.net/");
    expect((await home.getAttribute("rel"))?.split(" ")).toContain("noopener");
    expect(await home.getAttribute("target")).toBeNull(); // the same tab
    // 島根県's notice prints no address: its citation has the 出典一覧 link only.
    const shimane = citations.filter({ hasText: "島根県土木部長" }).first();
    if ((await shimane.count()) > 0) expect(await shimane.locator("[data-publisher-link]").count()).toBe(0);
    // Every publisher link is one the sources print (content/sources.json), never a guessed one.
    const hrefs = new Set(
      await phone.page.locator("details.qa [data-publisher-link]").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
    );
    expect([...hrefs].sort()).toEqual(expect.arrayContaining(["https://www.wjcs.net/"]));
    for (const href of hrefs)
      expect(["https://www.wjcs.net/", "https://www.wjcs.net/enet/enet.php", "https://www.ejcs.co.jp/e-surety/"]).toContain(href);
  });
});

describe("the eligibility checker", () => {
  async function check(fields: Record<string, string>) {
    await phone.page.goto(`${base}/check/?agency=462161`);
    await phone.page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await phone.page.getByLabel("業務の種類").selectOption({ label: "工事" });
    for (const [label, value] of Object.entries(fields)) await phone.page.getByLabel(label, { exact: false }).fill(value);
    await phone.page.getByRole("button", { name: /判定/ }).click();
    return phone.page.locator("[data-result]");
  }
  it("says yes with the reason on or after 日置市's start", async () => {
    const result = await check({ 入札公告日: "2025-06-01" });
    await expect.poll(() => result.textContent()).toContain("対象です");
  });
  it("says no with the reason before it", async () => {
    const result = await check({ 入札公告日: "2025-05-31" });
    await expect.poll(() => result.textContent()).toContain("対象外");
    expect(await result.textContent()).toContain("入札公告日");
  });
  it("asks for the date the rule needs", async () => {
    await check({});
    await expect.poll(() => phone.page.locator("[aria-invalid=true]").count()).toBeGreaterThan(0);
  });
  it("ends every verdict with the next step: 対象 says where the notice goes, 対象外 says paper", async () => {
    await check({ 入札公告日: "2025-06-01" });
    await expect.poll(() => phone.page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("eligible");
    expect(await phone.page.locator("[data-next-step]").textContent()).toContain("認証キー等のお知らせ");
    await check({ 入札公告日: "2025-05-31" });
    await expect.poll(() => phone.page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("ineligible");
    expect(await phone.page.locator("[data-next-step]").textContent()).toContain("書面の保証証書");
  });
  it("says 要確認 for 測量 at 日置市, whose source names 工事・建設コンサルタント等業務 only", async () => {
    await phone.page.goto(`${base}/check/?agency=462161`);
    await phone.page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await phone.page.getByLabel("業務の種類").selectOption({ label: "測量" });
    await phone.page.getByLabel("入札公告日", { exact: false }).fill("2025-07-01");
    await phone.page.getByRole("button", { name: /判定/ }).click();
    await expect.poll(() => phone.page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("uncertain");
    const result = (await phone.page.locator("[data-result]").textContent()) ?? "";
    expect(result).toContain("要確認");
    expect(result).toContain("測量は記載がありません");
    expect(await phone.page.locator("[data-next-step]").textContent()).toContain("契約担当課");
  });
  it("says 要確認, not 対象外, for 札幌市, of which the sources say nothing", async () => {
    await phone.page.goto(`${base}/check/?agency=011002`);
    await phone.page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await phone.page.getByLabel("業務の種類").selectOption({ label: "工事" });
    await phone.page.getByLabel("契約締結日", { exact: false }).fill("2025-07-01");
    await phone.page.getByRole("button", { name: /判定/ }).click();
    await expect.poll(() => phone.page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("uncertain");
    expect(await phone.page.locator("[data-result]").textContent()).toContain("導入していないとは限りません");
  });
});
