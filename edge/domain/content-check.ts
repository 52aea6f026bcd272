// Integrity of the fact files in content/, as one pure function: each file parses with its
// schema, ids are unique across prefectures, municipalities and bodies, every adoption names one
// known agency once, and every cited document exists. Used by scripts/check-content.ts and tests.
import { z } from "zod";
import { Adoption, Body, Guarantor, Municipality, Prefecture, SourceDocument } from "./content-schema.ts";

export interface ContentFiles {
  "sources.json": unknown;
  "prefectures.json": unknown;
  "municipalities.json": unknown;
  "bodies.json": unknown;
  "adoptions.json": unknown;
  "guarantors.json": unknown;
}

export interface ContentReport {
  problems: string[];
  counts: {
    sources: number;
    agencies: number;
    kinds: Record<string, number>;
    adoptions: number;
    undatedAdoptions: number;
    branches: Record<string, number>;
  };
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function checkContent(files: ContentFiles): ContentReport {
  const problems: string[] = [];

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

  unique(
    "source id",
    sources.map((s) => s.id),
  );
  const sourceIds = new Set(sources.map((s) => s.id));
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
      undatedAdoptions: adoptions.filter((a) => a.startsOn === null).length,
      branches: Object.fromEntries(guarantors.map((g) => [g.id, g.branches.length])),
    },
  };
}
