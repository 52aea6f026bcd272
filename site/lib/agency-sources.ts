// The sources of an agency page as a person can check them: publisher, title, the date the document
// states its facts as of (資料の時点) and the publisher's page, never the seed's file name (which stays
// in the data and the API as `document`). Also the date of the evidence shown beside the status.
import type { Agency } from "../../edge/domain/agency.ts";
import { type Certainty, SEED_SOURCE_ID, type SourceDocument } from "../../edge/domain/content-schema.ts";

export interface SourceView {
  /** The document's entry on the 出典一覧 page. */
  href: string;
  title: string;
  publisher: string;
  /** 資料の時点 (ISO date). */
  asOf: string;
  /** The document is undated and asOf is inferred. */
  inferred: boolean;
  /** The publisher's page the document prints, or null. */
  link: { url: string; label: string } | null;
  /** Where in the document the facts stand. */
  locator: string;
  /** A web source's own page, or null. */
  url: string | null;
  certainty: Certainty;
}

/** Who says it, as the page explains a source's certainty. */
export const certaintyLabels: Record<Certainty, string> = {
  stated: "発注者自身の公表",
  announced: "保証事業会社のお知らせ・業界紙の報道",
  listed: "保証事業会社の導入発注者一覧",
};

/** The 出典一覧 page's anchor of a source: a seed's three-digit number (doc-001), a web page's id (doc-w-…). */
export const sourceAnchor = (document: string): string => `doc-${SEED_SOURCE_ID.test(document) ? document.slice(0, 3) : document}`;

/** The source's entry on the 出典一覧 page. */
export const sourceHref = (document: string): string => `/sources/#${sourceAnchor(document)}`;

export function sourceViews(cited: Agency["sources"], documents: readonly SourceDocument[]): SourceView[] {
  const byId = new Map(documents.map((d) => [d.id, d]));
  return cited.map((s) => {
    const doc = byId.get(s.document);
    return {
      href: sourceHref(s.document),
      title: s.title,
      publisher: s.publisher,
      asOf: s.asOf,
      inferred: doc?.asOfInferred ?? false,
      link: doc?.link == null ? null : { url: doc.link.url, label: doc.link.label },
      locator: s.locator,
      url: s.url,
      certainty: s.certainty,
    };
  });
}

export interface Evidence {
  /** The newest 資料の時点 among the agency's sources. */
  asOf: string;
  /** Every source of that date is undated (its date inferred). */
  inferred: boolean;
  /** The evidence predates the start: the sources announced it, the status follows from the start date. */
  beforeStart: boolean;
}

/** The date of the evidence for an agency's status: its newest source, or null when it has none. */
export function statusEvidence(views: readonly SourceView[], startsOn: string | null): Evidence | null {
  const asOf = views
    .map((v) => v.asOf)
    .sort()
    .at(-1);
  if (asOf === undefined) return null;
  const inferred = views.filter((v) => v.asOf === asOf).every((v) => v.inferred);
  return { asOf, inferred, beforeStart: startsOn !== null && asOf < startsOn };
}
