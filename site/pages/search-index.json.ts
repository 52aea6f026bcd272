// The compact agency list for the search box and the checker (format: site/lib/search-format.ts).
import type { APIRoute } from "astro";
import { siteCatalogue } from "../lib/catalogue.ts";
import { encodeSearchData } from "../lib/search-encode.ts";

export const prerender = true;

export const GET: APIRoute = async () => {
  const { agencies, prefectures, builtOn } = await siteCatalogue();
  return new Response(JSON.stringify(encodeSearchData(agencies, prefectures, builtOn)), {
    headers: { "content-type": "application/json; charset=utf-8" },
  });
};
