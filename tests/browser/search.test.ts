// Search as people type (issue 8): the search page's box is a combobox (arrows, Enter, Escape) like
// the checker's, each result row is one link that a tap anywhere on opens, near spellings come as
// もしかして, office names lead to their body, and the home page's box suggests as you type.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ locale: "ja-JP", viewport: { width: 390, height: 844 } });
});
afterAll(async () => {
  await browser.close();
});

const activeOption = () =>
  page.evaluate(() => {
    const input = document.activeElement;
    const id = input?.getAttribute("aria-activedescendant");
    const option = id === null || id === undefined ? null : document.getElementById(id);
    return option === null ? null : { text: option.textContent ?? "", selected: option.getAttribute("aria-selected") };
  });

async function typeInto(label: string | RegExp, text: string) {
  const box = page.getByRole("combobox", { name: label });
  await box.fill("");
  await box.pressSequentially(text, { delay: 20 });
  return box;
}

describe("the search page's combobox", () => {
  it("is a combobox that lists suggestions as you type, picked with the arrows and Enter", async () => {
    await page.goto(`${base}/agencies/`);
    await page.locator("#agency-search").waitFor();
    await expect.poll(() => page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", "ひおき");
    const listbox = page.getByRole("listbox", { name: "発注者の候補" });
    await expect.poll(() => box.getAttribute("aria-expanded")).toBe("true");
    expect(await box.getAttribute("aria-controls")).toBe(await listbox.getAttribute("id"));
    const options = listbox.getByRole("option");
    expect(await options.count()).toBeGreaterThan(0);
    expect(await options.first().textContent()).toContain("日置市");

    expect(await activeOption()).toBeNull();
    await box.press("ArrowDown");
    expect(await activeOption()).toMatchObject({ selected: "true" });
    expect((await activeOption())?.text).toContain("日置市");
    if ((await options.count()) > 1) {
      await box.press("ArrowDown");
      expect((await activeOption())?.text).not.toContain("日置市");
      await box.press("ArrowUp");
      expect((await activeOption())?.text).toContain("日置市");
    }
    await box.press("Escape");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.getAttribute("aria-activedescendant")).toBeNull();
    await box.press("ArrowDown"); // reopens and highlights the first
    expect((await activeOption())?.text).toContain("日置市");
    await box.press("Enter");
    await page.waitForURL(/\/agencies\/462161\/$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("日置市");
  });

  it("Enter without a pick filters the list and closes the suggestions", async () => {
    await page.goto(`${base}/agencies/`);
    await expect.poll(() => page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", "hioki");
    await expect.poll(() => box.getAttribute("aria-expanded")).toBe("true");
    await box.press("Enter");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(page.url()).toContain("/agencies/?q=hioki");
    await expect.poll(() => page.locator("[data-results] a").first().textContent()).toContain("日置市");
  });

  it("leads an office name to its body and says why", async () => {
    await page.goto(`${base}/agencies/`);
    await expect.poll(() => page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", "近畿地整");
    const first = page.getByRole("listbox", { name: "発注者の候補" }).getByRole("option").first();
    await expect.poll(() => first.textContent()).toContain("国土交通省");
    expect(await first.textContent()).toContain("「近畿地整」で一致");
    await box.press("Enter");
    const row = page.locator("[data-results] a").first();
    await expect.poll(() => row.textContent()).toContain("国土交通省");
    expect(await row.textContent()).toContain("「近畿地整」で一致");
  });

  it("offers near spellings for a typo (もしかして)", async () => {
    await page.goto(`${base}/agencies/?q=${encodeURIComponent("ひおぎ")}`);
    await expect.poll(() => page.locator("#search-summary").textContent()).toContain("もしかして");
    expect(await page.locator("[data-results] a").first().textContent()).toContain("日置市");
    await page.goto(`${base}/agencies/?q=${encodeURIComponent("鳥巣")}`);
    await expect.poll(() => page.locator("#search-summary").textContent()).toContain("もしかして");
    const firstThree = await page.locator("[data-results] a .result-name").evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent));
    expect(firstThree).toContain("鳥栖市");
  });
});

describe("a result row", () => {
  it("is one link of at least 44 px, and a tap anywhere on it opens the agency", async () => {
    await page.goto(`${base}/agencies/?q=hioki`);
    const rows = page.locator("[data-results] > li");
    await expect.poll(() => rows.first().textContent()).toContain("日置市");
    const shapes = await rows.evaluateAll((lis) =>
      lis.slice(0, 10).map((li) => {
        const links = li.querySelectorAll("a");
        const row = li.getBoundingClientRect();
        const link = links[0]?.getBoundingClientRect();
        return {
          links: links.length,
          height: link?.height ?? 0,
          covers: link !== undefined && link.width >= row.width - 1 && link.height >= row.height - 1,
        };
      }),
    );
    for (const s of shapes) expect(s).toMatchObject({ links: 1, covers: true });
    for (const s of shapes) expect(s.height).toBeGreaterThanOrEqual(44);
    // A tap at the row's right end, away from the name, still opens 日置市's page.
    await rows.first().scrollIntoViewIfNeeded();
    const box = await rows.first().boundingBox();
    if (box === null) throw new Error("no result row");
    await page.mouse.click(box.x + box.width - 8, box.y + box.height - 6);
    await page.waitForURL(/\/agencies\/462161\/$/);
  });
});

describe("the home page's box", () => {
  it("suggests as you type; the arrows and Enter open the agency", async () => {
    await page.goto(`${base}/`);
    const box = await typeInto(/発注者を探す/, "近畿地方整備局");
    const listbox = page.getByRole("listbox", { name: "発注者の候補" });
    await expect.poll(() => box.getAttribute("aria-expanded"), { timeout: 10_000 }).toBe("true");
    expect(await listbox.getByRole("option").first().textContent()).toContain("国土交通省");
    await box.press("ArrowDown");
    expect((await activeOption())?.text).toContain("国土交通省");
    await box.press("Enter");
    await page.waitForURL(/\/agencies\/mlit\/$/);
  });
  it("a tap on a suggestion opens it, and Enter without a pick opens the search page", async () => {
    await page.goto(`${base}/`);
    await typeInto(/発注者を探す/, "ひおぎ");
    const option = page.getByRole("listbox", { name: "発注者の候補" }).getByRole("option").first();
    await expect.poll(() => option.textContent(), { timeout: 10_000 }).toContain("日置市");
    expect(await option.textContent()).toContain("もしかして");
    await option.click();
    await page.waitForURL(/\/agencies\/462161\/$/);
    await page.goto(`${base}/`);
    const again = await typeInto(/発注者を探す/, "hioki");
    await again.press("Enter");
    await page.waitForURL(/\/agencies\/\?q=hioki$/);
    await expect.poll(() => page.locator("[data-results] a").first().textContent()).toContain("日置市");
  });
});
