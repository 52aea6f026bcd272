// Share cards: the 1200×630 images that chat apps and mail clients show for a link to the guide
// (Open Graph). The pages' facts become a few Japanese lines here (pure, from the catalogue); the
// build draws them with satori and resvg in Node (site/integrations/share-cards.ts), since satori
// cannot run where the pages are prerendered (workerd).
import type { Agency } from "../../edge/domain/agency.ts";
import { formatWareki } from "../../edge/domain/era.ts";
import { labels } from "../../edge/domain/terms.ts";
import { figuresByPrefecture, isListed } from "./adoption-stats.ts";
import { startDate } from "./agency-text.ts";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** The budget per image: chat apps fetch them on a phone's link too. */
export const CARD_MAX_BYTES = 60 * 1024;
export const SITE_NAME = "電子保証ガイド";
/** Where the build input (the cards' facts) is written by site/pages/og/cards.json.ts; deleted after drawing. */
export const CARDS_INPUT_PATH = "/og/cards.json";

export interface HomeCard {
  kind: "home";
  id: "home";
  /** Adopted agencies (導入済み), as the home page counts them. */
  adopted: number;
  /** 令和8年12月1日: the day of the count. */
  asOf: string;
}

export interface PrefectureCard {
  kind: "prefecture";
  /** Two digits, as in the page path (46). */
  id: string;
  name: string;
  /** null where no agency located there has a sourced status (資料なし, as on the map). */
  adopted: number | null;
  /** Of `adopted`, the local governments (the prefecture and its municipalities), as the page's own count. */
  governments: number;
  scheduled: number;
}

export interface AgencyCard {
  kind: "agency";
  id: string;
  name: string;
  /** What kind of body and where: 鹿児島県 for a municipality, 独立行政法人等・鹿児島県 for a body. */
  context: string;
  status: "adopted" | "scheduled";
  /** 令和7年（2025年）6月1日, 令和6年（2024年）1月 (month only where the source says only the month), or 記載なし. */
  start: string;
  /** 入札公告日, 契約締結日 or 記載なし. */
  basis: string;
}

export type ShareCard = HomeCard | PrefectureCard | AgencyCard;

/** The image's path in the built site: /og/home/home.png, /og/prefecture/46.png, /og/agency/462161.png. */
export const shareImagePath = (card: Pick<ShareCard, "kind" | "id">): string => `/og/${card.kind}/${card.id}.png`;

/** Which agency pages carry a card: those with an adoption of their own (導入済み, 導入予定). */
export const hasShareCard = (agency: Agency): boolean => isListed(agency);

/** The alternative text of a card's image (og:image:alt): what it says, in one line. */
export function shareImageAlt(card: ShareCard): string {
  switch (card.kind) {
    case "home":
      return `${SITE_NAME}: 導入済みの発注者 ${card.adopted.toLocaleString("ja-JP")} 団体・機関（${card.asOf}時点）`;
    case "prefecture":
      return `${card.name}の電子保証 導入状況: ${prefectureFigure(card)}${card.scheduled > 0 ? `、予定 ${card.scheduled} 団体` : ""}${
        card.adopted === null || card.adopted === card.governments ? "" : `、${prefectureBreakdown(card)}`
      }`;
    case "agency":
      return `${card.name}の電子保証: ${labels.status[card.status]}、開始日 ${card.start}、基準 ${card.basis}`;
  }
}

export const prefectureFigure = (card: PrefectureCard): string => (card.adopted === null ? "資料なし" : `導入 ${card.adopted} 団体`);

export function homeCard(agencies: readonly Agency[], builtOn: string): HomeCard {
  return { kind: "home", id: "home", adopted: agencies.filter((a) => a.adoption.status === "adopted").length, asOf: formatWareki(builtOn) };
}

const LOCAL_GOVERNMENT = new Set(["prefecture", "city", "special_ward", "town", "village"]);

/**
 * One card per prefecture, with the map's figures (every agency located there, 資料なし without
 * sources) and, apart, the local governments alone that the prefecture page counts.
 */
export function prefectureCards(agencies: readonly Agency[], prefectures: readonly { code: number; name: string }[]): PrefectureCard[] {
  return figuresByPrefecture(agencies, prefectures).map((f) => ({
    kind: "prefecture",
    id: String(f.code).padStart(2, "0"),
    name: f.name,
    adopted: f.sourced === 0 ? null : f.adopted,
    governments: agencies.filter((a) => a.prefectureCode === f.code && a.adoption.status === "adopted" && LOCAL_GOVERNMENT.has(a.kind))
      .length,
    scheduled: f.scheduled,
  }));
}

/** What the prefecture's figure counts: 自治体 13 団体・公共的団体など 2 団体, or only the local governments. */
export const prefectureBreakdown = (card: PrefectureCard): string =>
  card.adopted === null || card.adopted === card.governments
    ? "自治体のうち、公表資料で確認できる数"
    : `うち自治体 ${card.governments} 団体・公共的団体など ${card.adopted - card.governments} 団体（公表資料で確認できる数）`;

/** The card of an adopted or scheduled agency, or null for any other (their pages carry none). */
export function agencyCard(agency: Agency): AgencyCard | null {
  const { status, startsOn, startsOnPrecision, basis } = agency.adoption;
  if (status !== "adopted" && status !== "scheduled") return null;
  const where = agency.prefecture !== null && agency.prefecture !== agency.name ? agency.prefecture : null;
  const what = LOCAL_GOVERNMENT.has(agency.kind) ? null : agency.kindLabel;
  return {
    kind: "agency",
    id: agency.id,
    name: agency.name,
    context: [what, where].filter((s) => s !== null).join("・") || agency.kindLabel,
    status,
    start: startsOn === null ? "記載なし" : startDate(startsOn, startsOnPrecision),
    basis: basis === null ? "記載なし" : labels.basis[basis],
  };
}

/** Every card the build draws: the home page, 47 prefectures, each adopted or scheduled agency. */
export function shareCards(catalogue: {
  agencies: readonly Agency[];
  prefectures: readonly { code: number; name: string }[];
  builtOn: string;
}): ShareCard[] {
  return [
    homeCard(catalogue.agencies, catalogue.builtOn),
    ...prefectureCards(catalogue.agencies, catalogue.prefectures),
    ...catalogue.agencies.flatMap((a) => agencyCard(a) ?? []),
  ];
}

// ---- Drawing: a satori element tree (plain objects, no React) in flat colours. ----

/** A satori element: what React.createElement would make. */
export interface CardNode {
  type: string;
  props: { style?: Record<string, string | number>; children?: CardNode | string | (CardNode | string)[] };
}

const h = (style: Record<string, string | number>, children?: CardNode["props"]["children"]): CardNode => ({
  type: "div",
  props: { style: { display: "flex", ...style }, ...(children === undefined ? {} : { children }) },
});

/** The site's colours (site/styles/global.css). */
const C = {
  ink: "#1a1d21",
  muted: "#4b5560",
  line: "#d5dbe1",
  panel: "#f4f6f8",
  brand: "#0b5cad",
  brandInk: "#ffffff",
  ok: "#0f6b3a",
  okBg: "#e3f4ea",
  warn: "#8a4b00",
  warnBg: "#fff1dc",
};
const PAD = 72;
const INNER = CARD_WIDTH - 2 * PAD;

/** A headline size that keeps a name on one line: full-width glyphs are about 1 em wide. */
export const headlineSize = (text: string, max: number): number => Math.min(max, Math.floor(INNER / Math.max(1, [...text].length)));

function frame(section: string, body: CardNode[], footer: string): CardNode {
  return h(
    {
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      flexDirection: "column",
      background: "#ffffff",
      color: C.ink,
      fontFamily: "BIZ UDPGothic",
    },
    [
      h({ background: C.brand, color: C.brandInk, padding: `26px ${PAD}px`, alignItems: "center", justifyContent: "space-between" }, [
        h({ fontSize: 40 }, SITE_NAME),
        h({ fontSize: 30 }, section),
      ]),
      h({ flexDirection: "column", flexGrow: 1, padding: `44px ${PAD}px 0` }, body),
      h({ borderTop: `2px solid ${C.line}`, margin: `0 ${PAD}px`, padding: "22px 0 30px", fontSize: 28, color: C.muted }, footer),
    ],
  );
}

function row(label: string, value: string): CardNode {
  return h({ alignItems: "baseline", marginTop: 14 }, [h({ width: 130, fontSize: 36, color: C.muted }, label), h({ fontSize: 48 }, value)]);
}

export function cardNode(card: ShareCard): CardNode {
  switch (card.kind) {
    case "home":
      return frame(
        "発注者の導入状況と手続き",
        [
          // Two lines broken by hand: satori's line breaking would start the second with を.
          h({ flexDirection: "column", fontSize: 46, lineHeight: 1.5 }, [
            h({}, "電子保証を使える発注者、開始日、"),
            h({}, "対象と提出方法を調べられる公開ガイド"),
          ]),
          h({ alignItems: "baseline", marginTop: 40 }, [
            h({ fontSize: 44, color: C.ok }, "導入済み"),
            h({ fontSize: 120, color: C.ok, margin: "0 16px 0 24px", lineHeight: 1 }, card.adopted.toLocaleString("ja-JP")),
            h({ fontSize: 44, color: C.ok }, "団体・機関"),
          ]),
          h({ fontSize: 30, color: C.muted, marginTop: 20 }, `${card.asOf}時点・公表資料で確認できる数`),
        ],
        "保証事業会社・発注者の公表資料に基づく、出典つきの公開ガイドです",
      );
    case "prefecture":
      return frame(
        "都道府県別の導入状況",
        [
          h({ fontSize: headlineSize(card.name, 120), lineHeight: 1.2 }, card.name),
          card.adopted === null
            ? h({ flexDirection: "column", marginTop: 28 }, [
                h({ fontSize: 72, color: C.muted, lineHeight: 1.2 }, "資料なし"),
                h({ fontSize: 32, color: C.muted, marginTop: 20 }, "このガイドの資料に記載がありません（導入していないとは限りません）"),
              ])
            : h({ flexDirection: "column", marginTop: 28 }, [
                h({ alignItems: "baseline", color: C.ok }, [
                  h({ fontSize: 48 }, "導入"),
                  h({ fontSize: 112, margin: "0 16px 0 20px", lineHeight: 1 }, String(card.adopted)),
                  h({ fontSize: 48 }, "団体"),
                  ...(card.scheduled > 0 ? [h({ fontSize: 40, color: C.warn, marginLeft: 32 }, `予定 ${card.scheduled} 団体`)] : []),
                ]),
                h({ fontSize: 30, color: C.muted, marginTop: 20 }, prefectureBreakdown(card)),
              ]),
        ],
        "市区町村ごとの状況・開始日・基準を、出典つきで掲載しています",
      );
    case "agency": {
      const adopted = card.status === "adopted";
      return frame(
        "発注者の導入状況",
        [
          h({ fontSize: 32, color: C.muted }, card.context),
          h({ fontSize: headlineSize(card.name, 104), lineHeight: 1.25, marginTop: 4 }, card.name),
          h({ marginTop: 12, marginBottom: 10 }, [
            h(
              {
                fontSize: 40,
                color: adopted ? C.ok : C.warn,
                background: adopted ? C.okBg : C.warnBg,
                padding: "6px 26px",
                borderRadius: 10,
              },
              labels.status[card.status],
            ),
          ]),
          row("開始日", card.start),
          row("基準", card.basis),
        ],
        "対象となる工事・保証と提出方法を、出典つきで掲載しています",
      );
    }
  }
}
