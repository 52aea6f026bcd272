// An agency page's sources (site/lib/agency-sources.ts): shown by publisher, title, 資料の時点 and the
// publisher's page, never by file name; the status dated by the newest source.
import { describe, expect, it } from "vitest";
import type { Agency } from "../../edge/domain/agency.ts";
import { sourceViews, statusEvidence } from "../../site/lib/agency-sources.ts";
import { agencyIn, contentAgencies, contentDocuments } from "../support/catalogue.ts";

const documents = contentDocuments;
const agencies = contentAgencies();
const byId = (id: string): Agency => agencyIn(agencies, id);

describe("sources as a person can check them", () => {
  it("日置市: publisher, title, 資料の時点 and the publisher's page the document prints", () => {
    const [first] = sourceViews(byId("462161").sources, documents);
    expect(first).toMatchObject({
      href: "/sources/#doc-001",
      publisher: "西日本建設業保証株式会社 鹿児島支店",
      asOf: "2025-05-01",
      inferred: false,
      link: { url: "https://www.wjcs.net/enet/enet.php" },
    });
    expect(first?.title).toContain("電子保証のご案内");
  });
  it("never carries a seed's file name into what a page shows", () => {
    for (const a of agencies.filter((x) => x.sources.length > 0))
      for (const v of sourceViews(a.sources, documents)) expect(JSON.stringify(v)).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
  });
  it("dates a status by its newest source, and says when that source predates the start", () => {
    const hioki = byId("462161");
    expect(statusEvidence(sourceViews(hioki.sources, documents), hioki.adoption.startsOn)).toEqual({
      asOf: "2026-02-02",
      inferred: false,
      beforeStart: false,
    });
    const oki = byId("oki-koiki-rengo");
    expect(statusEvidence(sourceViews(oki.sources, documents), oki.adoption.startsOn)).toMatchObject({
      asOf: "2026-07-01",
      inferred: true,
    });
    const early = sourceViews(hioki.sources.slice(0, 1), documents);
    expect(statusEvidence(early, hioki.adoption.startsOn)).toMatchObject({ asOf: "2025-05-01", beforeStart: true });
    expect(statusEvidence([], null)).toBeNull();
  });
});
