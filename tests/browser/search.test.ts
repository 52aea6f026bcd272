// Search as people type (issue 8): the search page's box is a combobox (arrows, Enter, Escape) like
// the checker's, each result row is one link that a tap anywhere on opens, near spellings come as
// もしかして, office names (also by their reading) lead to their body, and the home page's, the
// checker's and the application form's boxes suggest as you type, もしかして included.
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { login } from "./app-pages.ts";
import { usePhonePage } from "./chromium.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const phone = usePhonePage();

const activeOption = (page: Page = phone.page) =>
  page.evaluate(() => {
    const input = document.activeElement;
    const id = input?.getAttribute("aria-activedescendant");
    const option = id === null || id === undefined ? null : document.getElementById(id);
    return option === null ? null : { text: option.textContent ?? "", selected: option.getAttribute("aria-selected") };
  });

async function typeInto(label: string | RegExp, text: string, page: Page = phone.page) {
  const box = page.getByRole("combobox", { name: label });
  await box.fill("");
  await box.pressSequentially(text, { delay: 20 });
  return box;
}

describe("the search page's combobox", () => {
  it("is a combobox that lists suggestions as you type, picked with the arrows and Enter", async () => {
    await phone.page.goto(`${base}/agencies/`);
    await phone.page.locator("#agency-search").waitFor();
    await expect.poll(() => phone.page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", "ひおき");
    const listbox = phone.page.getByRole("listbox", { name: "発注者の候補" });
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
    await phone.page.waitForURL(/\/agencies\/462161\/$/);
    expect(await phone.page.getByRole("heading", { level: 1 }).textContent()).toContain("日置市");
  });

  it("Enter without a pick filters the list and closes the suggestions", async () => {
    await phone.page.goto(`${base}/agencies/`);
    await expect.poll(() => phone.page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", "hioki");
    await expect.poll(() => box.getAttribute("aria-expanded")).toBe("true");
    await box.press("Enter");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(phone.page.url()).toContain("/agencies/?q=hioki");
    await expect.poll(() => phone.page.locator("[data-results] a").first().textContent()).toContain("日置市");
  });

  it("leads an office name to its body and says why", async () => {
    await phone.page.goto(`${base}/agencies/`);
    await expect.poll(() => phone.page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", "近畿地整");
    const first = phone.page.getByRole("listbox", { name: "発注者の候補" }).getByRole("option").first();
    await expect.poll(() => first.textContent()).toContain("国土交通省");
    expect(await first.textContent()).toContain("「近畿地整」で一致");
    await box.press("Enter");
    const row = phone.page.locator("[data-results] a").first();
    await expect.poll(() => row.textContent()).toContain("国土交通省");
    expect(await row.textContent()).toContain("「近畿地整」で一致");
  });

  it("offers near spellings for a typo (もしかして)", async () => {
    await phone.page.goto(`${base}/agencies/?q=${encodeURIComponent("ひおぎ")}`);
    await expect.poll(() => phone.page.locator("#search-summary").textContent()).toContain("もしかして");
    expect(await phone.page.locator("[data-results] a").first().textContent()).toContain("日置市");
    await phone.page.goto(`${base}/agencies/?q=${encodeURIComponent("鳥巣")}`);
    await expect.poll(() => phone.page.locator("#search-summary").textContent()).toContain("もしかして");
    const firstThree = await phone.page
      .locator("[data-results] a .result-name")
      .evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent));
    expect(firstThree).toContain("鳥栖市");
  });
});

describe("a result row", () => {
  it("is one link of at least 44 px, and a tap anywhere on it opens the agency", async () => {
    await phone.page.goto(`${base}/agencies/?q=hioki`);
    const rows = phone.page.locator("[data-results] > li");
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
    // A tap at the row's right end, away from the name, still opens 日置市's phone.page.
    await rows.first().scrollIntoViewIfNeeded();
    const box = await rows.first().boundingBox();
    if (box === null) throw new Error("no result row");
    await phone.page.mouse.click(box.x + box.width - 8, box.y + box.height - 6);
    await phone.page.waitForURL(/\/agencies\/462161\/$/);
  });
});

describe("the home page's box", () => {
  it("suggests as you type; the arrows and Enter open the agency", async () => {
    await phone.page.goto(`${base}/`);
    const box = await typeInto(/発注者を探す/, "近畿地方整備局");
    const listbox = phone.page.getByRole("listbox", { name: "発注者の候補" });
    await expect.poll(() => box.getAttribute("aria-expanded"), { timeout: 10_000 }).toBe("true");
    expect(await listbox.getByRole("option").first().textContent()).toContain("国土交通省");
    await box.press("ArrowDown");
    expect((await activeOption())?.text).toContain("国土交通省");
    await box.press("Enter");
    await phone.page.waitForURL(/\/agencies\/mlit\/$/);
  });
  it("a tap on a suggestion opens it, and Enter without a pick opens the search page", async () => {
    await phone.page.goto(`${base}/`);
    await typeInto(/発注者を探す/, "ひおぎ");
    const option = phone.page.getByRole("listbox", { name: "発注者の候補" }).getByRole("option").first();
    await expect.poll(() => option.textContent(), { timeout: 10_000 }).toContain("日置市");
    expect(await option.textContent()).toContain("もしかして");
    await option.click();
    await phone.page.waitForURL(/\/agencies\/462161\/$/);
    await phone.page.goto(`${base}/`);
    const again = await typeInto(/発注者を探す/, "hioki");
    await again.press("Enter");
    await phone.page.waitForURL(/\/agencies\/\?q=hioki$/);
    await expect.poll(() => phone.page.locator("[data-results] a").first().textContent()).toContain("日置市");
  });
});

describe("office names by their reading", () => {
  it.each(["kinki", "きんき"])("%s lists 国土交通省 with 「近畿地方整備局」で一致, in the suggestions and the list", async (q) => {
    await phone.page.goto(`${base}/agencies/`);
    await expect.poll(() => phone.page.locator("#agency-search").getAttribute("data-index-ms")).not.toBeNull();
    const box = await typeInto("発注者の名前・読み", q);
    const option = phone.page.getByRole("listbox", { name: "発注者の候補" }).getByRole("option").filter({ hasText: "国土交通省" });
    await expect.poll(() => option.first().textContent()).toContain("「近畿地方整備局」で一致");
    await box.press("Enter"); // no pick: filters the list below
    const row = phone.page.locator("[data-results] a").filter({ hasText: "国土交通省" }).first();
    await expect.poll(() => row.textContent()).toContain("「近畿地方整備局」で一致");
    expect(await row.getAttribute("href")).toBe("/agencies/mlit/");
  });
});

/** Presses ArrowDown until the highlighted option names `name` (at most `max` times). */
async function arrowTo(page: Page, box: ReturnType<Page["getByRole"]>, name: string, max = 8) {
  for (let i = 0; i < max; i++) {
    await box.press("ArrowDown");
    if ((await activeOption(page))?.text.includes(name)) return;
  }
  throw new Error(`${name} was never highlighted`);
}

describe("the checker's box", () => {
  it("offers near spellings (もしかして): 鳥巣 → 鳥栖市, chosen with the arrows and Enter", async () => {
    await phone.page.goto(`${base}/check/`);
    const box = await typeInto(/^発注者/, "鳥巣");
    const listbox = phone.page.getByRole("listbox", { name: "発注者の候補" });
    await expect.poll(() => box.getAttribute("aria-expanded"), { timeout: 10_000 }).toBe("true");
    const names = await listbox.locator(".option-name").evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent));
    expect(names).toContain("鳥栖市");
    expect(await listbox.getByRole("option").filter({ hasText: "鳥栖市" }).first().textContent()).toContain("もしかして");
    await arrowTo(phone.page, box, "鳥栖市");
    await box.press("Enter");
    expect(await box.inputValue()).toBe("鳥栖市");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await phone.page.locator("#agency-selected").textContent()).toContain("選択中: 鳥栖市");
    expect(new URL(phone.page.url()).search).toBe("?agency=412031");
  });
  it("ひおぎ → 日置市 by a tap, and the check runs for it", async () => {
    await phone.page.goto(`${base}/check/`);
    await typeInto(/^発注者/, "ひおぎ");
    const option = phone.page.getByRole("listbox", { name: "発注者の候補" }).getByRole("option").first();
    await expect.poll(() => option.textContent(), { timeout: 10_000 }).toContain("日置市");
    expect(await option.textContent()).toContain("もしかして");
    await option.click();
    expect(await phone.page.getByRole("combobox", { name: /^発注者/ }).inputValue()).toBe("日置市");
    await phone.page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await phone.page.getByLabel("業務の種類").selectOption({ label: "工事" });
    await phone.page.getByLabel("入札公告日", { exact: false }).fill("2025-06-01");
    await phone.page.getByRole("button", { name: /判定/ }).click();
    await expect.poll(() => phone.page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("eligible");
  });
});

describe("the application form's box", () => {
  it("offers near spellings (もしかして) as the search page does, picked by keyboard or tap", async () => {
    const page = phone.page;
    await login(page, base, demo.contractor.email, demo.contractor.password);
    await page.goto(`${base}/app/applications/new/`);
    const agencyId = page.locator("input[data-agency-id]");

    const box = await typeInto("発注者", "ひおぎ", page);
    const listbox = page.getByRole("listbox", { name: "発注者の候補" });
    await expect.poll(() => box.getAttribute("aria-expanded"), { timeout: 10_000 }).toBe("true");
    const first = listbox.getByRole("option").first();
    expect(await first.textContent()).toContain("日置市");
    expect(await first.textContent()).toContain("もしかして");
    await arrowTo(page, box, "日置市");
    await box.press("Enter");
    expect(await box.inputValue()).toBe("日置市");
    expect(await agencyId.inputValue()).toBe("462161");

    await typeInto("発注者", "鳥巣", page);
    const tosu = listbox.getByRole("option").filter({ hasText: "鳥栖市" }).first();
    await expect.poll(() => tosu.textContent()).toContain("もしかして");
    await tosu.click();
    expect(await box.inputValue()).toBe("鳥栖市");
    expect(await agencyId.inputValue()).toBe("412031");

    // An office's reading too: きんき → 国土交通省, said why.
    await typeInto("発注者", "きんき", page);
    const mlit = listbox.getByRole("option").filter({ hasText: "国土交通省" }).first();
    await expect.poll(() => mlit.textContent()).toContain("「近畿地方整備局」で一致");
  });
});
