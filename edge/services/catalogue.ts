// The agency catalogue: content/ facts merged into Agency records once per isolate and day.
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
import searches from "../../content/searches.json" with { type: "json" };
import sources from "../../content/sources.json" with { type: "json" };
import { type Agency, type AgencyFacts, buildAgencies } from "../domain/agency.ts";
import { Adoption, Body, Municipality, Prefecture, Search, SourceDocument } from "../domain/content-schema.ts";
import { todayInJapan } from "../domain/era.ts";
import { type IndexedDoc, indexDocs, searchOrder, searchOrSuggest } from "../domain/search.ts";

export interface Catalogue {
  today: string;
  agencies: Agency[];
  byId: Map<string, Agency>;
  index: IndexedDoc<Agency>[];
}

// Parsed on first use, not at module load: Worker start-up time is limited, and most requests
// (health, guarantors) never need the catalogue.
let facts: AgencyFacts | undefined;
function loadFacts(): AgencyFacts {
  facts ??= {
    prefectures: Prefecture.array().parse(prefectures),
    municipalities: Municipality.array().parse(municipalities),
    bodies: Body.array().parse(bodies),
    adoptions: Adoption.array().parse(adoptions),
    sources: SourceDocument.array().parse(sources),
    searches: Search.array().parse(searches),
  };
  return facts;
}

let cached: Catalogue | undefined;

/** Status depends on today's date in Japan, so the catalogue is rebuilt when the day changes. */
export function catalogue(today: string = todayInJapan()): Catalogue {
  if (cached?.today === today) return cached;
  const agencies = buildAgencies(loadFacts(), today);
  // Search ties keep this order: adopted agencies before others.
  const ranked = searchOrder(agencies);
  cached = { today, agencies, byId: new Map(agencies.map((a) => [a.id, a])), index: indexDocs(ranked) };
  return cached;
}

/** Matches, best first; when nothing matches, the nearest spellings (もしかして), as on the search page. */
export function searchAgencies(q: string, limit: number, today: string = todayInJapan()): Agency[] {
  return searchOrSuggest(catalogue(today).index, q, limit).hits.map((h) => h.doc);
}
