// Human labels for the seed documents an FAQ or guide cites: from content/sources.json, with a
// small fallback so a page still names a document that the sources collection lacks.
import { getCollection } from "astro:content";
import { formatWareki } from "../../edge/domain/era.ts";

export interface DocLabel {
  id: string;
  title: string;
  publisher: string;
  /** The as-of date, e.g. "令和7年（2025年）5月1日", or null when unknown. */
  asOf: string | null;
  /** True when the document carries no date and the as-of date is inferred. */
  inferred: boolean;
  /** The publisher's own page that the document prints (content/sources.json `link`), or null. */
  link: { url: string; label: string } | null;
}

const FALLBACK: Record<string, { title: string; publisher: string }> = {
  "000_670f2bf8c67654b7.txt": { title: "電子保証のご案内（隠岐広域連合）", publisher: "西日本建設業保証株式会社" },
  "001_0b938be883b26a85.txt": { title: "電子保証のご案内（日置市）", publisher: "西日本建設業保証株式会社 鹿児島支店" },
  "002_394b2677d4251469.txt": { title: "保証証書（契約保証、前払金保証）の電子化について（通知）", publisher: "島根県土木部長" },
  "003_fa20bb5a45307e8d.txt": {
    title: "鳥栖市電子契約サービス操作説明資料／電子保証のご案内",
    publisher: "西日本建設業保証株式会社 佐賀支店",
  },
  "004_1ab6ac1482f43404.txt": { title: "「由利本荘市」で電子保証が始まりました！", publisher: "東日本建設業保証株式会社 秋田支店" },
};

let cache: Promise<Map<string, DocLabel>> | undefined;

async function load(): Promise<Map<string, DocLabel>> {
  const entries = await getCollection("sources");
  const map = new Map<string, DocLabel>();
  for (const [id, f] of Object.entries(FALLBACK)) map.set(id, { id, ...f, asOf: null, inferred: false, link: null });
  for (const { data } of entries) {
    map.set(data.id, {
      id: data.id,
      title: data.title,
      publisher: data.publisher,
      asOf: formatWareki(data.asOf, { western: true }),
      inferred: data.asOfInferred,
      link: data.link === null ? null : { url: data.link.url, label: data.link.label },
    });
  }
  return map;
}

/** Labels for the cited documents, in the order given; an unknown id gets a generic label, never its file name. */
export async function docLabels(ids: readonly string[]): Promise<DocLabel[]> {
  cache ??= load();
  const map = await cache;
  return ids.map((id) => map.get(id) ?? { id, title: "出典資料", publisher: "出典一覧を参照", asOf: null, inferred: false, link: null });
}
