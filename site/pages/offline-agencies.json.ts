// The offline table: the fields of every unknown agency page that a template can rebuild (format:
// OfflineTable in site/sw/substitute.d.ts). The service-worker build step adds the templates,
// checks every row against its built page and caches this file instead of those 1,530 pages.
import type { APIRoute } from "astro";
import { agencyView, encodeOfflineTable, municipalWebsites } from "../lib/agency-view.ts";
import { siteCatalogue } from "../lib/catalogue.ts";

export const prerender = true;

export const GET: APIRoute = async () => {
  const [{ agencies }, websites] = await Promise.all([siteCatalogue(), municipalWebsites()]);
  const table = encodeOfflineTable(agencies.map((agency) => agencyView(agency, websites)));
  return new Response(JSON.stringify(table), { headers: { "content-type": "application/json; charset=utf-8" } });
};
