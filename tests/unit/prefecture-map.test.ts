import japan from "@svg-maps/japan";
import { describe, expect, it } from "vitest";
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
import sources from "../../content/sources.json" with { type: "json" };
import { buildAgencies } from "../../edge/domain/agency.ts";
import { Adoption, Body, Municipality, Prefecture, SourceDocument } from "../../edge/domain/content-schema.ts";
import { buildMapModel, compactPath, NO_SOURCES, parsePath, pointInRings, SHADES, shadeOf } from "../../site/lib/prefecture-map.ts";

const outlines = japan as unknown as { locations: { id: string; path: string }[] };

describe("outline paths", () => {
  it("keeps every point within 0.06 units when compacted, and shrinks the path", () => {
    for (const { path } of outlines.locations) {
      const rings = parsePath(path);
      const compact = compactPath(rings);
      expect(compact.length).toBeLessThan(path.length);
      const back = parsePath(compact).flat();
      // Every compacted point is a rounded original point.
      for (const [x, y] of back) expect(rings.flat().some(([ox, oy]) => Math.abs(ox - x) <= 0.06 && Math.abs(oy - y) <= 0.06)).toBe(true);
    }
  });
  it("tests points against rings", () => {
    const square = [
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10],
      ],
    ] as [number, number][][];
    expect(pointInRings(square, [5, 5])).toBe(true);
    expect(pointInRings(square, [15, 5])).toBe(false);
  });
});

describe("the adoption map", () => {
  const agencies = buildAgencies(
    {
      prefectures: Prefecture.array().parse(prefectures),
      municipalities: Municipality.array().parse(municipalities),
      bodies: Body.array().parse(bodies),
      adoptions: Adoption.array().parse(adoptions),
      sources: SourceDocument.array().parse(sources),
    },
    "2026-11-21",
  );
  const model = buildMapModel(agencies, Prefecture.array().parse(prefectures));
  it("puts every adopting municipality inside its own prefecture's outline", () => {
    const byName = new Map(model.prefectures.map((p) => [p.name, parsePath(p.path)]));
    for (const point of model.points) {
      const agency = agencies.find((a) => a.url === point.url);
      const rings = byName.get(agency?.prefecture ?? "") ?? [];
      expect(pointInRings(rings, [point.x, point.y]), point.name).toBe(true);
    }
    expect(model.points.length).toBeGreaterThan(200);
  });
  it("fits the drawing within a few map units", () => {
    expect(model.fitRms).toBeLessThan(6);
  });
  it("shades a prefecture without sources as 資料なし, not as 0 (青森県 and 新潟県 with their sources taken away)", () => {
    // Every prefecture has a source now (issue 9): take two prefectures' sources away to see the shade.
    const unsourced = agencies.map((a) =>
      a.prefectureCode === 2 || a.prefectureCode === 15
        ? { ...a, adoption: { ...a.adoption, status: "unknown" as const }, sources: [] }
        : a,
    );
    const byName = new Map(buildMapModel(unsourced, Prefecture.array().parse(prefectures)).prefectures.map((p) => [p.name, p]));
    expect(byName.get("青森県")).toMatchObject({ shade: NO_SOURCES, sourced: 0 });
    expect(byName.get("新潟県")).toMatchObject({ shade: NO_SOURCES, sourced: 0 });
    expect(byName.get("鹿児島県")?.shade).not.toBe(NO_SOURCES);
    expect(byName.get("秋田県")?.shade).not.toBe(NO_SOURCES); // 由利本荘市 (seed 004)
    for (const p of model.prefectures) expect(p.shade === NO_SOURCES).toBe(p.sourced === 0);
  });
});

describe("the map's shades", () => {
  /** WCAG 2 relative luminance of #rrggbb. */
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
  };
  it("keeps every pair of neighbouring classes at 3:1 or more", () => {
    for (let i = 1; i < SHADES.length; i++) {
      expect(contrast(SHADES[i - 1]?.fill ?? "", SHADES[i]?.fill ?? ""), SHADES[i]?.label).toBeGreaterThanOrEqual(3);
    }
  });
  it("puts every count in exactly one class", () => {
    expect([0, 1, 9, 10, 250].map(shadeOf)).toEqual([0, 1, 1, 2, 2]);
  });
});
