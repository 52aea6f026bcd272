// The adoption map, computed at build time: @svg-maps/japan's 47 prefecture outlines (CC BY 4.0)
// shaded by adoption, with adopting municipalities as points at their town halls. The outlines
// are a drawing, not a projection, so lat/lng are fitted to it: an affine map from each
// prefecture's median town-hall position to the area centroid of its largest outline, by least
// squares; Okinawa's islands are too thin for that fit, so its points are placed on its own outline.
import japan from "@svg-maps/japan";
import type { Agency } from "../../edge/domain/agency.ts";
import { figuresByPrefecture, prefecturePath } from "./adoption-stats.ts";

type Point = [number, number];

/** The package's shape (its own typings point at an uninstalled types package). */
interface SvgMap {
  viewBox: string;
  locations: { id: string; name: string; path: string }[];
}
const outlines = japan as unknown as SvgMap;

/** Absolute polygons of a path made of relative `m` (with implicit lines) and `z`, as this map uses. */
export function parsePath(d: string): Point[][] {
  const tokens = d.match(/[mzMZ]|-?\d*\.?\d+(?:e-?\d+)?/g) ?? [];
  const rings: Point[][] = [];
  let ring: Point[] = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let first = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? "";
    if (t === "m" || t === "M") {
      if (ring.length > 0) rings.push(ring);
      ring = [];
      first = true;
      continue;
    }
    if (t === "z" || t === "Z") {
      if (ring.length > 0) rings.push(ring);
      ring = [];
      x = startX;
      y = startY;
      continue;
    }
    const dx = Number(t);
    const dy = Number(tokens[++i]);
    x += dx;
    y += dy;
    if (first) {
      startX = x;
      startY = y;
      first = false;
    }
    ring.push([x, y]);
  }
  if (ring.length > 0) rings.push(ring);
  return rings;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/**
 * The rings as a compact path: absolute positions rounded to 0.1 (so a border shared by two
 * prefectures stays identical on both sides), repeated points dropped, written as relative moves.
 */
export function compactPath(rings: readonly Point[][]): string {
  const parts: string[] = [];
  let cx = 0;
  let cy = 0;
  for (const ring of rings) {
    const pts: Point[] = [];
    for (const [x, y] of ring) {
      const r: Point = [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
      const last = pts.at(-1);
      if (last === undefined || last[0] !== r[0] || last[1] !== r[1]) pts.push(r);
    }
    if (pts.length < 3) continue;
    const [first, ...rest] = pts as [Point, ...Point[]];
    let d = `m${fmt(first[0] - cx)} ${fmt(first[1] - cy)}`;
    let [px, py] = first;
    for (const [x, y] of rest) {
      d += ` ${fmt(x - px)} ${fmt(y - py)}`;
      [px, py] = [x, y];
    }
    parts.push(`${d}z`);
    [cx, cy] = first; // after z the current point is the ring's start
  }
  return parts.join("");
}

/** Signed area and centroid of a closed polygon (shoelace). */
export function polygonCentroid(ring: readonly Point[]): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i] ?? [0, 0];
    const [x1, y1] = ring[(i + 1) % ring.length] ?? [0, 0];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  a /= 2;
  return a === 0 ? { area: 0, x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0 } : { area: Math.abs(a), x: cx / (6 * a), y: cy / (6 * a) };
}

export function pointInRings(rings: readonly Point[][], [px, py]: Point): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] ?? [0, 0];
      const [xj, yj] = ring[j] ?? [0, 0];
      if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The drawn vertex nearest to `p`, moved a little toward its ring's centre (inside for any sane ring). */
export function nearestInside(rings: readonly Point[][], p: Point): Point {
  let best: { v: Point; ring: readonly Point[]; d: number } | undefined;
  for (const ring of rings) {
    for (const v of ring) {
      const d = Math.hypot(v[0] - p[0], v[1] - p[1]);
      if (best === undefined || d < best.d) best = { v, ring, d };
    }
  }
  if (best === undefined) return p;
  const c = polygonCentroid(best.ring);
  for (const t of [0.05, 0.1, 0.2, 0.35, 0.5]) {
    const candidate: Point = [best.v[0] + (c.x - best.v[0]) * t, best.v[1] + (c.y - best.v[1]) * t];
    if (pointInRings(rings, candidate)) return candidate;
  }
  return best.v;
}

/** `p` at 0.1 precision, choosing a neighbouring grid point if rounding alone would leave the outline. */
function roundInside(rings: readonly Point[][], p: Point): Point {
  const base: Point = [Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10];
  if (!pointInRings(rings, p) || pointInRings(rings, base)) return base;
  for (const dx of [0, -0.1, 0.1, -0.2, 0.2]) {
    for (const dy of [0, -0.1, 0.1, -0.2, 0.2]) {
      const candidate: Point = [Math.round((base[0] + dx) * 10) / 10, Math.round((base[1] + dy) * 10) / 10];
      if (pointInRings(rings, candidate)) return candidate;
    }
  }
  return base;
}

type M3 = [number, number, number, number, number, number, number, number, number];
const det = ([a, b, c, d, e, f, g, h, i]: M3) => a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);

/** Least squares for v ≈ a·lng + b·lat + c over the samples (3×3 normal equations, Cramer's rule). */
export function fitAxis(samples: readonly { lng: number; lat: number; v: number }[]): [number, number, number] {
  let [s11, s12, s13, s22, s23, s33, t1, t2, t3] = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const { lng, lat, v } of samples) {
    s11 += lng * lng;
    s12 += lng * lat;
    s13 += lng;
    s22 += lat * lat;
    s23 += lat;
    s33 += 1;
    t1 += lng * v;
    t2 += lat * v;
    t3 += v;
  }
  const D = det([s11, s12, s13, s12, s22, s23, s13, s23, s33]);
  return [
    det([t1, s12, s13, t2, s22, s23, t3, s23, s33]) / D,
    det([s11, t1, s13, s12, t2, s23, s13, t3, s33]) / D,
    det([s11, s12, t1, s12, s22, t2, s13, s23, t3]) / D,
  ];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Shading classes by number of adopting agencies located in the prefecture. */
/**
 * Shades by adopting agencies, each neighbour at least 3:1 in contrast (WCAG relative luminance:
 * white 1.00, #5b8fcf 0.26, #123a6f 0.04: 3.4:1 and 3.4:1; tests/unit/prefecture-map.test.ts). A
 * prefecture the sources say nothing about is not "0": it is 資料なし, white with a hatch
 * (NO_SOURCES) and said so in its label.
 */
export const SHADES = [
  { min: 0, label: "0", fill: "#ffffff" },
  { min: 1, label: "1〜9", fill: "#5b8fcf" },
  { min: 10, label: "10以上", fill: "#123a6f" },
] as const;
export const shadeOf = (adopted: number) => SHADES.reduce((acc, s, i) => (adopted >= s.min ? i : acc), 0);
/** The shade index of a prefecture without any sourced agency. */
export const NO_SOURCES = -1;

export interface MapPrefecture {
  code: number;
  name: string;
  path: string;
  /** An index into SHADES, or NO_SOURCES. */
  shade: number;
  /** Agencies here with a sourced status: 0 means the guide has no sources for this prefecture. */
  sourced: number;
  adopted: number;
  scheduled: number;
  href: string;
}

export interface MapPoint {
  x: number;
  y: number;
  name: string;
  url: string;
  status: "adopted" | "scheduled";
  /** Whether the fitted point fell inside its own prefecture's outline (a check of the fit). */
  inside: boolean;
  /** Whether it had to be pulled in toward the prefecture's centre to be inside. */
  snappedInside: boolean;
}

export interface MapModel {
  viewBox: string;
  prefectures: MapPrefecture[];
  points: MapPoint[];
  /** Root-mean-square distance (map units) between fitted and drawn prefecture centres. */
  fitRms: number;
}

const MUNICIPAL = new Set(["city", "special_ward", "town", "village"]);
// Okinawa is drawn in place, but its thin islands need their own fit (see buildMapModel).
const INSET = new Set([47]);

export function buildMapModel(agencies: readonly Agency[], prefectures: readonly { code: number; name: string; en: string }[]): MapModel {
  const shapes = new Map(outlines.locations.map((l) => [l.id, l.path]));
  const centres = prefectures.map((p) => {
    const d = shapes.get(p.en.toLowerCase());
    if (d === undefined) throw new Error(`no outline for ${p.en}`);
    // Placed against the outline exactly as drawn (compacted), so "inside" means inside on screen.
    const rings = parsePath(compactPath(parsePath(d)));
    const largest = rings.map(polygonCentroid).reduce((a, b) => (b.area > a.area ? b : a));
    const halls = agencies.filter((a) => a.prefectureCode === p.code && MUNICIPAL.has(a.kind) && a.location !== null);
    const lng = median(halls.map((a) => a.location?.lng ?? 0));
    const lat = median(halls.map((a) => a.location?.lat ?? 0));
    return { code: p.code, d, rings, x: largest.x, y: largest.y, lng, lat };
  });
  const main = centres.filter((c) => !INSET.has(c.code));
  const ax = fitAxis(main.map((c) => ({ lng: c.lng, lat: c.lat, v: c.x })));
  const ay = fitAxis(main.map((c) => ({ lng: c.lng, lat: c.lat, v: c.y })));
  const project = (lng: number, lat: number): Point => [ax[0] * lng + ax[1] * lat + ax[2], ay[0] * lng + ay[1] * lat + ay[2]];
  const rms = Math.sqrt(
    main.reduce((n, c) => n + (project(c.lng, c.lat)[0] - c.x) ** 2 + (project(c.lng, c.lat)[1] - c.y) ** 2, 0) / main.length,
  );
  // Each prefecture is then shifted so its median hall sits on its drawn centre: the drawing is
  // not a projection, and a local shift removes most of the remaining error.
  const shifts = new Map(
    main.map((c) => {
      const [px, py] = project(c.lng, c.lat);
      return [c.code, [c.x - px, c.y - py] as Point];
    }),
  );
  // Okinawa's islands are too thin for the main fit (2 of 41 halls would land inside): map the
  // halls' lat/lng box onto the drawn box instead, leaving out the Daito islands, which are not drawn.
  const insetBoxes = new Map(
    centres
      .filter((c) => INSET.has(c.code))
      .map((c) => {
        const halls = agencies.filter(
          (a) => a.prefectureCode === c.code && MUNICIPAL.has(a.kind) && a.location !== null && a.location.lng < 130,
        );
        const pts = c.rings.flat();
        return [
          c.code,
          {
            lng: [Math.min(...halls.map((a) => a.location?.lng ?? 0)), Math.max(...halls.map((a) => a.location?.lng ?? 0))],
            lat: [Math.min(...halls.map((a) => a.location?.lat ?? 0)), Math.max(...halls.map((a) => a.location?.lat ?? 0))],
            x: [Math.min(...pts.map((q) => q[0])), Math.max(...pts.map((q) => q[0]))],
            y: [Math.min(...pts.map((q) => q[1])), Math.max(...pts.map((q) => q[1]))],
          },
        ] as const;
      }),
  );
  const place = (code: number, lng: number, lat: number): Point => {
    const box = insetBoxes.get(code);
    if (box !== undefined) {
      const fx = (lng - (box.lng[0] ?? 0)) / ((box.lng[1] ?? 1) - (box.lng[0] ?? 0) || 1);
      const fy = ((box.lat[1] ?? 0) - lat) / ((box.lat[1] ?? 1) - (box.lat[0] ?? 0) || 1);
      return [
        (box.x[0] ?? 0) + Math.min(1, Math.max(0, fx)) * ((box.x[1] ?? 0) - (box.x[0] ?? 0)),
        (box.y[0] ?? 0) + Math.min(1, Math.max(0, fy)) * ((box.y[1] ?? 0) - (box.y[0] ?? 0)),
      ];
    }
    const [x, y] = project(lng, lat);
    const [dx, dy] = shifts.get(code) ?? [0, 0];
    return [x + dx, y + dy];
  };
  const byCode = new Map(centres.map((c) => [c.code, c]));

  const mapPrefectures = figuresByPrefecture(agencies, prefectures).map((f) => ({
    code: f.code,
    name: f.name,
    path: compactPath(byCode.get(f.code)?.rings ?? []),
    shade: f.sourced === 0 ? NO_SOURCES : shadeOf(f.adopted),
    sourced: f.sourced,
    adopted: f.adopted,
    scheduled: f.scheduled,
    href: prefecturePath(f.code),
  }));
  const points: MapPoint[] = [];
  for (const a of agencies) {
    const status = a.adoption.status;
    if ((status !== "adopted" && status !== "scheduled") || !MUNICIPAL.has(a.kind) || a.location === null || a.prefectureCode === null)
      continue;
    const centre = byCode.get(a.prefectureCode);
    const rings = centre?.rings ?? [];
    let point = place(a.prefectureCode, a.location.lng, a.location.lat);
    // A coastal town hall can land just off the drawn coast: pull it in toward the centre.
    const inside = pointInRings(rings, point);
    if (!inside && centre !== undefined) {
      const from = point;
      for (let t = 0.1; t <= 1.001; t += 0.1) {
        const candidate: Point = [from[0] + (centre.x - from[0]) * t, from[1] + (centre.y - from[1]) * t];
        if (pointInRings(rings, candidate)) {
          point = candidate;
          break;
        }
      }
      // Remote islands (e.g. Amami) and concave coasts: the nearest drawn vertex, nudged inland.
      if (!pointInRings(rings, point)) point = nearestInside(rings, from);
    }
    const [x, y] = roundInside(rings, point);
    points.push({
      x,
      y,
      name: a.name,
      url: a.url,
      status,
      inside,
      snappedInside: !inside && pointInRings(rings, point),
    });
  }
  return { viewBox: outlines.viewBox, prefectures: mapPrefectures, points, fitRms: rms };
}
