import japan from "@svg-maps/japan";
import { describe, expect, it } from "vitest";
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
import sources from "../../content/sources.json" with { type: "json" };
import { buildAgencies } from "../../edge/domain/agency.ts";
import { Adoption, Body, Municipality, Prefecture, SourceDocument } from "../../edge/domain/content-schema.ts";
import { buildMapModel, compactPath, parsePath, pointInRings } from "../../site/lib/prefecture-map.ts";

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
});
