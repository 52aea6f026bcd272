// Statuses that depend on today flip without anyone editing data (issue 9): the API computes them
// per request (tests/content: buildAgencies with a fixed day); a page built before a start date says
// 導入予定 and its own script shows 導入済み from that day on, in Japan time. Checked here with the
// browser's clock fixed either side of midnight in Japan, on a real page served with one scheduled
// badge and lead added (the content has no future start today).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** 日置市's page as served, with a scheduled badge and lead starting 2027-04-01, at `now`. */
async function pageAt(now: string): Promise<Page> {
  const page = await browser.newPage({ locale: "ja-JP" });
  await page.clock.setFixedTime(new Date(now));
  await page.route(`${base}/agencies/462161/`, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(
      "<h1",
      '<p id="flip"><span class="badge scheduled" data-starts-on="2027-04-01" data-then="導入済み">導入予定</span>' +
        '<span id="lead" data-starts-on="2027-04-01" data-then="令和9年（2027年）4月1日から電子保証を導入しています。">令和9年（2027年）4月1日から導入予定です。</span></p><h1',
    );
    await route.fulfill({ response: res, body: html });
  });
  await page.goto(`${base}/agencies/462161/`);
  return page;
}

describe("a scheduled start, shown by a page built before it", () => {
  it("still says 導入予定 at 23:59 in Japan the day before (14:59 UTC)", async () => {
    const page = await pageAt("2027-03-31T14:59:00Z");
    expect(await page.locator("#flip .badge").textContent()).toBe("導入予定");
    expect(await page.locator("#flip .badge").getAttribute("class")).toContain("scheduled");
    expect(await page.locator("#lead").textContent()).toContain("導入予定です");
    await page.close();
  });
  it("says 導入済み from 00:00 in Japan on the start date (15:00 UTC the day before)", async () => {
    const page = await pageAt("2027-03-31T15:00:00Z");
    expect(await page.locator("#flip .badge").textContent()).toBe("導入済み");
    expect(await page.locator("#flip .badge").getAttribute("class")).toContain("adopted");
    expect(await page.locator("#lead").textContent()).toBe("令和9年（2027年）4月1日から電子保証を導入しています。");
    // The page's other facts are untouched.
    expect(await page.locator("h1").textContent()).toBe("日置市");
    await page.close();
  });
});
