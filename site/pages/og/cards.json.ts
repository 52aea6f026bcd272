// The share cards' facts, for the build step that draws them (site/integrations/share-cards.ts):
// prerendered from the same catalogue as the pages, then read and deleted from the output.
import type { APIRoute } from "astro";
import { siteCatalogue } from "../../lib/catalogue.ts";
import { shareCards } from "../../lib/share-card.ts";

export const prerender = true;

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(shareCards(await siteCatalogue())), { headers: { "content-type": "application/json; charset=utf-8" } });
