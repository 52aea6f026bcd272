// The eligibility rule (ruleOf) of every agency with adoption facts, for the checker in the browser.
import type { APIRoute } from "astro";
import { siteCatalogue } from "../lib/catalogue.ts";
import { encodeRulesData } from "../lib/search-encode.ts";

export const prerender = true;

export const GET: APIRoute = async () => {
  const { agencies, builtOn } = await siteCatalogue();
  return new Response(JSON.stringify(encodeRulesData(agencies, builtOn)), {
    headers: { "content-type": "application/json; charset=utf-8" },
  });
};
