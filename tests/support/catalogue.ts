// The content's agencies as the site builds them, for unit tests over the real facts.
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
import sources from "../../content/sources.json" with { type: "json" };
import { type Agency, buildAgencies } from "../../edge/domain/agency.ts";
import { Adoption, Body, Municipality, Prefecture, SourceDocument } from "../../edge/domain/content-schema.ts";

export const contentDocuments = SourceDocument.array().parse(sources);
export const contentPrefectures = Prefecture.array().parse(prefectures);

/** Every agency of the content as of `today`. */
export function contentAgencies(today = "2026-11-21"): Agency[] {
  return buildAgencies(
    {
      prefectures: contentPrefectures,
      municipalities: Municipality.array().parse(municipalities),
      bodies: Body.array().parse(bodies),
      adoptions: Adoption.array().parse(adoptions),
      sources: contentDocuments,
    },
    today,
  );
}

/** One agency by id (throws when the content has none). */
export function agencyIn(agencies: readonly Agency[], id: string): Agency {
  const a = agencies.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no agency ${id}`);
  return a;
}
