// Build-time view of the agencies for the pages: the content collections merged by the same
// pure function the API uses, with statuses as of the build date.
import { getCollection } from "astro:content";
import { type Agency, buildAgencies } from "../../edge/domain/agency.ts";
import { todayInJapan } from "../../edge/domain/era.ts";

/** The collection id added by the loader, for schemas that have no id field of their own. */
const strip = <T extends { id: string }>({ id: _id, ...rest }: T) => rest;

let cache: Promise<SiteCatalogue> | undefined;

export interface SiteCatalogue {
  builtOn: string;
  agencies: Agency[];
  byId: Map<string, Agency>;
  prefectures: Awaited<ReturnType<typeof getCollection<"prefectures">>>[number]["data"][];
  guarantors: Awaited<ReturnType<typeof getCollection<"guarantors">>>[number]["data"][];
  sources: Awaited<ReturnType<typeof getCollection<"sources">>>[number]["data"][];
}

async function load(): Promise<SiteCatalogue> {
  const [prefectures, municipalities, bodies, adoptions, sources, guarantors, searches] = await Promise.all([
    getCollection("prefectures"),
    getCollection("municipalities"),
    getCollection("bodies"),
    getCollection("adoptions"),
    getCollection("sources"),
    getCollection("guarantors"),
    getCollection("searches"),
  ]);
  const builtOn = todayInJapan();
  const agencies = buildAgencies(
    {
      prefectures: prefectures.map((e) => strip(e.data)),
      municipalities: municipalities.map((e) => strip(e.data)),
      bodies: bodies.map((e) => e.data),
      adoptions: adoptions.map((e) => strip(e.data)),
      sources: sources.map((e) => e.data),
      searches: searches.map((e) => strip(e.data)),
    },
    builtOn,
  );
  return {
    builtOn,
    agencies,
    byId: new Map(agencies.map((a) => [a.id, a])),
    prefectures: prefectures.map((e) => e.data).sort((a, b) => a.code - b.code),
    guarantors: guarantors.map((e) => e.data),
    sources: sources.map((e) => e.data),
  };
}

export function siteCatalogue(): Promise<SiteCatalogue> {
  cache ??= load();
  return cache;
}
