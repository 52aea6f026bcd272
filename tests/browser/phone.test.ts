// The guide on a 390 px phone: tap targets of 44 px in the header, the breadcrumbs and the map's
// prefecture list; a municipality point never takes a prefecture's tap; table cells keep their
// words whole (隠岐の島町, 契約締結日) and scroll sideways instead.
import { describe, expect, inject, it } from "vitest";
import { usePhonePage } from "./chromium.ts";

const base = inject("baseUrl");
const phone = usePhonePage();

/** Visible links matched by `selector` whose box is under 44 px high. */
async function small(selector: string): Promise<string[]> {
  return phone.page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => ({ text: (el.textContent ?? "").trim(), h: el.getBoundingClientRect().height }))
      .filter((t) => t.h < 44)
      .map((t) => `${t.text}: ${Math.round(t.h)}px`),
  );
}

describe("on a phone", () => {
  it("header links and breadcrumbs are 44 px tap targets", async () => {
    await phone.page.goto(`${base}/prefectures/32/`);
    expect(await phone.page.locator(".site-header a").count()).toBeGreaterThan(2);
    expect(await small(".site-header a")).toEqual([]);
    expect(await phone.page.locator("ol.breadcrumbs a").count()).toBeGreaterThan(0);
    expect(await small("ol.breadcrumbs a")).toEqual([]);
  });
  it("the map has a 44 px button per prefecture beside it, and points let a tap through to the prefecture", async () => {
    await phone.page.goto(`${base}/map/`);
    expect(await phone.page.locator(".pref-buttons a").count()).toBe(47);
    expect(await small(".pref-buttons a")).toEqual([]);
    expect(await phone.page.locator(".points").evaluate((el) => getComputedStyle(el).pointerEvents)).toBe("none");
    // A tap on a town hall's point (the first adopting municipality drawn) lands on a prefecture link.
    const point = phone.page.locator(".points circle").first();
    const box = await point.boundingBox();
    if (box === null) throw new Error("no point drawn");
    const hit = await phone.page.evaluate(
      ([x, y]) =>
        document
          .elementFromPoint(x as number, y as number)
          ?.closest("a")
          ?.getAttribute("href") ?? null,
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(hit).toMatch(/^\/prefectures\/\d{2}\/$/);
  });
  it("the FAQ opens one question at a time, and a link to a question opens it", async () => {
    await phone.page.goto(`${base}/faq/`);
    const all = phone.page.locator("details.qa");
    expect(await all.count()).toBeGreaterThan(5);
    expect(await phone.page.locator("details.qa[open]").count()).toBe(0);
    await all.first().locator("summary").click();
    expect(await all.first().getAttribute("open")).not.toBeNull();
    const id = await all.nth(3).locator(".qa-answer").getAttribute("id");
    await phone.page.goto(`${base}/faq/#${id}`);
    await expect.poll(() => all.nth(3).getAttribute("open")).not.toBeNull();
    expect(await small("details.qa summary")).toEqual([]);
  });
  it("the timeline opens at the latest months and says it scrolls", async () => {
    await phone.page.goto(`${base}/map/`);
    expect(await phone.page.locator(".scroll-hint").isVisible()).toBe(true);
    const seen = await phone.page.evaluate(() => {
      const box = document.querySelector(".timeline-scroll")?.getBoundingClientRect();
      const bars = [...document.querySelectorAll(".timeline-svg rect.bar")].map((b) => b.getBoundingClientRect());
      const last = bars.at(-1);
      const first = bars[0];
      const inside = (r: DOMRect | undefined) => box !== undefined && r !== undefined && r.left >= box.left - 1 && r.right <= box.right + 1;
      return { last: inside(last), first: inside(first) };
    });
    expect(seen).toEqual({ last: true, first: false });
  });
  it("keeps 隠岐の島町 and 契約締結日 on one line in 島根県's table", async () => {
    await phone.page.goto(`${base}/prefectures/32/`);
    const lines = await phone.page.evaluate(() => {
      const count = (text: string) => {
        const cell = [...document.querySelectorAll(".pref-table th, .pref-table td")].find((c) => (c.textContent ?? "").trim() === text);
        if (cell === undefined) return -1;
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      };
      return { oki: count("隠岐の島町"), basis: count("契約締結日") };
    });
    expect(lines).toEqual({ oki: 1, basis: 1 });
  });
});
