// Integrity of the fact files in content/, as one pure function: each file parses with its
// schema, ids are unique across prefectures, municipalities and bodies, every adoption names one
// known agency once, every cited document exists, every date lies between the first 電子保証
// (2022-05) and two years from today, web sources have their address, and sources that disagree
// are marked as conflicts. Used by scripts/check-content.ts and tests.
import { z } from "zod";
import {
  Adoption,
  Body,
  Guarantor,
  Municipality,
  Prefecture,
  SEED_SOURCE_ID,
  Search,
  SourceDocument,
  WEB_SOURCE_ID,
} from "./content-schema.ts";

export interface ContentFiles {
  "sources.json": unknown;
  "prefectures.json": unknown;
  "municipalities.json": unknown;
  "bodies.json": unknown;
  "adoptions.json": unknown;
  "guarantors.json": unknown;
  "searches.json": unknown;
}

/** Every fact file checkContent reads, in content/. */
export const CONTENT_FILES = [
  "sources.json",
  "prefectures.json",
  "municipalities.json",
  "bodies.json",
  "adoptions.json",
  "guarantors.json",
  "searches.json",
] as const satisfies readonly (keyof ContentFiles)[];

/** The first 電子保証 (国土交通省, May 2022): no fact can be older. */
export const FIRST_DAY = "2022-05-01";

/** Two years after `today` (ISO): the latest date a scheduled start can have. */
export function latestDay(today: string): string {
  return `${Number(today.slice(0, 4)) + 2}${today.slice(4)}`;
}

/** Whether two stated starts agree: a month-precise one leaves its whole month open. */
export function startsAgree(
  a: { startsOn: string; precision: "day" | "month" },
  b: { startsOn: string; precision: "day" | "month" },
): boolean {
  return a.precision === "month" || b.precision === "month" ? a.startsOn.slice(0, 7) === b.startsOn.slice(0, 7) : a.startsOn === b.startsOn;
}

export interface ContentReport {
  problems: string[];
  counts: {
    sources: number;
    agencies: number;
    kinds: Record<string, number>;
    adoptions: number;
    undatedAdoptions: number;
    notAdopted: number;
    searches: number;
    /** Citations by certainty. */
    certainty: Record<string, number>;
    branches: Record<string, number>;
  };
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function checkContent(files: ContentFiles, today: string = new Date().toISOString().slice(0, 10)): ContentReport {
  const problems: string[] = [];
  const last = latestDay(today);
  const inRange = (where: string, date: string | null | undefined) => {
    if (date != null && (date < FIRST_DAY || date > last)) problems.push(`${where}: date ${date} outside ${FIRST_DAY}..${last}`);
  };

  function load<T>(file: keyof ContentFiles, schema: z.ZodType<T>): T[] {
    const raw = files[file];
    if (!Array.isArray(raw)) {
      problems.push(`${file}: expected a JSON array`);
      return [];
    }
    const out: T[] = [];
    raw.forEach((item: unknown, i) => {
      const r = schema.safeParse(item);
      if (r.success) out.push(r.data);
      else problems.push(`${file}[${i}]: ${z.prettifyError(r.error).replaceAll("\n", " ")}`);
    });
    return out;
  }
  const unique = (what: string, keys: readonly string[]) => {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) problems.push(`duplicate ${what}: ${k}`);
      seen.add(k);
    }
  };
  const sorted = (what: string, keys: readonly string[]) => {
    for (let i = 1; i < keys.length; i++) {
      if (byCodeUnit(keys[i - 1] ?? "", keys[i] ?? "") > 0) {
        problems.push(`${what} not sorted at ${keys[i]}`);
        return;
      }
    }
  };

  const sources = load("sources.json", SourceDocument);
  const prefectures = load("prefectures.json", Prefecture);
  const municipalities = load("municipalities.json", Municipality);
  const bodies = load("bodies.json", Body);
  const adoptions = load("adoptions.json", Adoption);
  const guarantors = load("guarantors.json", Guarantor);
  const searches = load("searches.json", Search);

  unique(
    "source id",
    sources.map((s) => s.id),
  );
  const sourceIds = new Set(sources.map((s) => s.id));
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  for (const s of sources) {
    inRange(`source ${s.id} asOf`, s.asOf);
    if (WEB_SOURCE_ID.test(s.id) && s.url === undefined) problems.push(`source ${s.id}: a web source needs its url`);
    if (SEED_SOURCE_ID.test(s.id) && s.url !== undefined) problems.push(`source ${s.id}: a seed document has no url`);
  }
  unique(
    "source url",
    sources.flatMap((s) => (s.url === undefined ? [] : [s.url])),
  );
  const cite = (where: string, document: string) => {
    if (!sourceIds.has(document)) problems.push(`${where}: unknown source document ${document}`);
  };

  if (prefectures.length !== 47) problems.push(`expected 47 prefectures, got ${prefectures.length}`);
  unique(
    "prefecture code",
    prefectures.map((p) => String(p.code)),
  );
  sorted(
    "prefectures.json",
    prefectures.map((p) => String(p.code).padStart(2, "0")),
  );
  sorted(
    "municipalities.json",
    municipalities.map((m) => m.code),
  );
  unique(
    "municipality name within a prefecture",
    municipalities.map((m) => `${m.prefCode}/${m.name}`),
  );
  const prefCodes = new Set(prefectures.map((p) => p.code));
  for (const m of municipalities) if (!prefCodes.has(m.prefCode)) problems.push(`municipality ${m.code}: unknown prefCode ${m.prefCode}`);
  for (const b of bodies)
    if (b.prefCode !== null && !prefCodes.has(b.prefCode)) problems.push(`body ${b.id}: unknown prefCode ${b.prefCode}`);

  const agencies = [
    ...prefectures.map((p) => ({ id: p.lgcode, kind: "prefecture" })),
    ...municipalities.map((m) => ({ id: m.code, kind: m.kind as string })),
    ...bodies.map((b) => ({ id: b.id, kind: b.kind as string })),
  ];
  unique(
    "agency id (prefectures, municipalities, bodies)",
    agencies.map((a) => a.id),
  );
  const agencyIds = new Set(agencies.map((a) => a.id));

  unique(
    "adoption agencyId",
    adoptions.map((a) => a.agencyId),
  );
  sorted(
    "adoptions.json",
    adoptions.map((a) => a.agencyId),
  );
  for (const a of adoptions) {
    if (!agencyIds.has(a.agencyId)) problems.push(`adoption ${a.agencyId}: unknown agency`);
    if ((a.startsOn === null) !== (a.startsOnPrecision === null)) {
      problems.push(`adoption ${a.agencyId}: startsOn and startsOnPrecision must both be set or both be null`);
    }
    if (a.startsOnPrecision === "month" && a.startsOn?.endsWith("-01") !== true)
      problems.push(`adoption ${a.agencyId}: month precision but not the 1st`);
    unique(`guarantor in adoption ${a.agencyId}`, a.guarantors);
    unique(
      `source in adoption ${a.agencyId}`,
      a.sources.map((s) => s.document),
    );
    for (const s of a.sources) cite(`adoption ${a.agencyId}`, s.document);
    inRange(`adoption ${a.agencyId} startsOn`, a.startsOn);
    inRange(`adoption ${a.agencyId} usage`, a.usage?.asOf);
    if (a.state === "none" && (a.startsOn !== null || a.basis !== null))
      problems.push(`adoption ${a.agencyId}: not adopted, so no start or basis`);
    for (const c of a.sources) {
      inRange(`adoption ${a.agencyId} ${c.document} startsOn`, c.states?.startsOn);
      if ((c.states?.startsOn === undefined) !== (c.states?.startsOnPrecision === undefined))
        problems.push(`adoption ${a.agencyId} ${c.document}: states.startsOn and startsOnPrecision go together`);
    }
    checkConflicts(a);
  }

  for (const s of searches) {
    if (!agencyIds.has(s.agencyId)) problems.push(`search ${s.agencyId}: unknown agency`);
    if (adoptions.some((a) => a.agencyId === s.agencyId))
      problems.push(`search ${s.agencyId}: the agency has sources, so it is not unknown`);
    inRange(`search ${s.agencyId}`, s.searchedOn);
    if (s.searchedOn > today) problems.push(`search ${s.agencyId}: searched in the future (${s.searchedOn})`);
  }
  unique(
    "search agencyId",
    searches.map((s) => s.agencyId),
  );

  /**
   * Sources that disagree (on adopted or not, the start, the basis) must be marked in `conflicts`,
   * and the adoption must take the newest source's value.
   */
  function checkConflicts(a: Adoption) {
    const marked = new Set((a.conflicts ?? []).map((c) => c.field));
    const stated = a.sources
      .filter((c) => c.states !== undefined)
      .map((c) => ({ ...c.states, asOf: sourceById.get(c.document)?.asOf ?? "", document: c.document }))
      .sort((x, y) => (x.asOf < y.asOf ? -1 : x.asOf > y.asOf ? 1 : 0));
    const state = a.state ?? "adopted";
    const states = new Set(stated.map((c) => c.state ?? "adopted"));
    if (states.size > 1 && !marked.has("state"))
      problems.push(`adoption ${a.agencyId}: sources disagree on whether it adopted, not marked in conflicts`);
    const newestState = stated.at(-1)?.state ?? (stated.length > 0 ? "adopted" : state);
    if (states.size > 1 && newestState !== state)
      problems.push(`adoption ${a.agencyId}: state is not the newest source's (${newestState})`);
    const starts = stated.flatMap((c) =>
      c.startsOn === undefined || c.startsOnPrecision === undefined
        ? []
        : [{ startsOn: c.startsOn, precision: c.startsOnPrecision, asOf: c.asOf }],
    );
    const own = a.startsOn === null || a.startsOnPrecision === null ? null : { startsOn: a.startsOn, precision: a.startsOnPrecision };
    const disagree =
      starts.some((x) => starts.some((y) => !startsAgree(x, y))) || (own !== null && starts.some((x) => !startsAgree(x, own)));
    if (disagree && !marked.has("startsOn"))
      problems.push(`adoption ${a.agencyId}: sources disagree on the start, not marked in conflicts`);
    const newestStart = starts.at(-1);
    if (disagree && own !== null && newestStart !== undefined && !startsAgree(own, newestStart))
      problems.push(`adoption ${a.agencyId}: startsOn is not the newest source's (${newestStart.startsOn})`);
    const bases = stated.flatMap((c) => (c.basis === undefined ? [] : [c.basis]));
    const basisDisagree = new Set(bases).size > 1 || (a.basis !== null && bases.some((b) => b !== a.basis));
    if (basisDisagree && !marked.has("basis"))
      problems.push(`adoption ${a.agencyId}: sources disagree on the basis, not marked in conflicts`);
    if (basisDisagree && bases.length > 0 && a.basis !== bases.at(-1))
      problems.push(`adoption ${a.agencyId}: basis is not the newest source's (${bases.at(-1)})`);
    for (const field of marked) {
      const real = field === "state" ? states.size > 1 : field === "startsOn" ? disagree : basisDisagree;
      if (!real) problems.push(`adoption ${a.agencyId}: conflict on ${field} marked, but the sources agree`);
    }
  }

  unique(
    "guarantor id",
    guarantors.map((g) => g.id),
  );
  unique(
    "branch id",
    guarantors.flatMap((g) => g.branches.map((b) => b.id)),
  );
  for (const g of guarantors) for (const b of g.branches) cite(`branch ${b.id}`, b.source);

  const kinds: Record<string, number> = {};
  for (const a of agencies) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
  return {
    problems,
    counts: {
      sources: sources.length,
      agencies: agencies.length,
      kinds,
      adoptions: adoptions.length,
      undatedAdoptions: adoptions.filter((a) => a.startsOn === null && a.state !== "none").length,
      notAdopted: adoptions.filter((a) => a.state === "none").length,
      searches: searches.length,
      certainty: Object.fromEntries(
        (["stated", "announced", "listed"] as const).map((c) => [
          c,
          adoptions.flatMap((a) => a.sources).filter((s) => s.certainty === c).length,
        ]),
      ),
      branches: Object.fromEntries(guarantors.map((g) => [g.id, g.branches.length])),
    },
  };
}
