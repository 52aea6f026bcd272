// Derives content/prefectures.json and content/municipalities.json from the localgovjp open data
// (CC0, 2021-11 edition) so that the project never reads ../shared/data at build or run time.
//
// Usage: npx node scripts/derive-municipalities.ts [dataDir]
//   dataDir defaults to ../shared/data relative to the repository root.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { Municipality, Prefecture } from "../edge/domain/content-schema.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = resolve(process.argv[2] ?? resolve(repoRoot, "../shared/data"));
const contentDir = resolve(repoRoot, "content");

/** The 20 designated cities (政令指定都市), keyed by prefecture name and city name. */
const DESIGNATED = new Set([
  "北海道/札幌市",
  "宮城県/仙台市",
  "埼玉県/さいたま市",
  "千葉県/千葉市",
  "神奈川県/横浜市",
  "神奈川県/川崎市",
  "神奈川県/相模原市",
  "新潟県/新潟市",
  "静岡県/静岡市",
  "静岡県/浜松市",
  "愛知県/名古屋市",
  "京都府/京都市",
  "大阪府/大阪市",
  "大阪府/堺市",
  "兵庫県/神戸市",
  "岡山県/岡山市",
  "広島県/広島市",
  "福岡県/北九州市",
  "福岡県/福岡市",
  "熊本県/熊本市",
]);

/**
 * Hand corrections for municipal changes after the data's 2021-11 edition (the data README asks
 * for them). Checked on 2026-11: none applies to the municipalities kept here.
 * - The last merger (廃置分合) was 2014-04-05 (栃木市 absorbing 岩舟町), the last town-to-city
 *   change 2018-10-01 (那珂川市), the last renaming 2019-05-01 (丹波篠山市); all predate the data
 *   edition, which already has 1,718 市町村 + 23 特別区 = 1,741 (792 市, 743 町, 183 村), the
 *   count the Ministry of Internal Affairs and Communications publishes
 *   (総務省「市町村数の変遷と明治・昭和の大合併の特徴」; ja.wikipedia「市町村」, as of 2023-03).
 * - 浜松市 reorganised its seven wards into three (中央区・浜名区・天竜区) on 2024-01-01
 *   (浜松市「区の再編」); wards of designated cities are excluded below, so nothing to correct.
 * An entry here replaces fields of the row with that lgcode; `null` drops the row.
 */
const CORRECTIONS: Record<string, { patch: Partial<Municipality> | null; reason: string; source: string }> = {};

/** Minimal RFC 4180 parser: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== "");
  if (!header) throw new Error("empty CSV");
  return body.map((r, n) => {
    if (r.length !== header.length) throw new Error(`CSV row ${n + 2}: ${r.length} fields, header has ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""]));
  });
}

const num = (s: string, what: string): number => {
  const n = Number(s);
  if (s.trim() === "" || !Number.isFinite(n)) throw new Error(`not a number for ${what}: "${s}"`);
  return n;
};
const kana = (s: string): string => s.replace(/[\s\u3000]+/g, "");

function fail(message: string): never {
  console.error(`derive-municipalities: ${message}`);
  process.exit(1);
}

function parseAll<T>(schema: z.ZodType<T>, items: unknown[], label: (x: unknown) => string): T[] {
  const problems: string[] = [];
  const out = items.map((item) => {
    const r = schema.safeParse(item);
    if (!r.success) problems.push(`${label(item)}: ${z.prettifyError(r.error)}`);
    return r.data as T;
  });
  if (problems.length > 0) fail(`invalid records:\n${problems.join("\n")}`);
  return out;
}

function assertUnique<T>(items: T[], key: (x: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) fail(`duplicate ${what}: ${k}`);
    seen.add(k);
  }
}

// Prefectures
const prefRows = parseCsv(readFileSync(resolve(dataDir, "prefjp-utf8.csv"), "utf8"));
const prefectures = parseAll(
  Prefecture,
  prefRows.map((r) => ({
    code: num(r.pid ?? "", "pid"),
    lgcode: (r.lgcode ?? "").padStart(6, "0"),
    name: r.pref,
    kana: kana(r.prefkana ?? ""),
    short: r.prefshort,
    en: r.pref_en,
    lat: num(r.lat ?? "", `${r.pref} lat`),
    lng: num(r.lng ?? "", `${r.pref} lng`),
  })),
  (x) => String((x as { name?: string }).name),
).sort((a, b) => a.code - b.code);
if (prefectures.length !== 47) fail(`expected 47 prefectures, got ${prefectures.length}`);
assertUnique(prefectures, (p) => String(p.code), "prefecture code");
assertUnique(prefectures, (p) => p.lgcode, "prefecture lgcode");
const prefByName = new Map(prefectures.map((p) => [p.name, p]));

// Municipalities
const KIND = { 市: "city", 区: "special_ward", 町: "town", 村: "village" } as const;
const govRows = parseCsv(readFileSync(resolve(dataDir, "localgovjp-utf8.csv"), "utf8"));
const wards: { parent: string; name: string }[] = [];
const draft: Municipality[] = [];
for (const r of govRows) {
  const name = r.city ?? "";
  const pref = prefByName.get(r.pref ?? "");
  if (!pref) fail(`unknown prefecture "${r.pref}" for ${name}`);
  if (pref.code !== num(r.pid ?? "", "pid")) fail(`pid/pref mismatch for ${name}`);
  // Administrative wards of designated cities ("札幌市 中央区") are not local public entities and
  // do not order works: drop them. Tokyo's special wards have no space and are kept.
  const ward = /^(\S+市)[\s\u3000]+(\S+区)$/.exec(name);
  if (ward) {
    if (!DESIGNATED.has(`${pref.name}/${ward[1]}`)) fail(`ward of a non-designated city: ${pref.name} ${name}`);
    wards.push({ parent: `${pref.name}/${ward[1]}`, name });
    continue;
  }
  // Kind from the final character only: 四日市市, 町田市, 十日町市 are cities; 大町町, 上市町 towns.
  const last = name.slice(-1) as keyof typeof KIND;
  const kind = KIND[last];
  if (!kind) fail(`cannot tell the kind of "${name}"`);
  if (kind === "special_ward" && pref.code !== 13) fail(`special ward outside Tokyo: ${pref.name} ${name}`);
  draft.push({
    code: r.lgcode ?? "",
    name,
    kana: kana(r.citykana ?? ""),
    prefCode: pref.code,
    kind,
    designated: DESIGNATED.has(`${pref.name}/${name}`),
    lat: num(r.lat ?? "", `${name} lat`),
    lng: num(r.lng ?? "", `${name} lng`),
    url: (r.url ?? "").trim() === "" ? null : (r.url ?? "").trim(),
  });
}

for (const [code, { patch }] of Object.entries(CORRECTIONS)) {
  const i = draft.findIndex((m) => m.code === code);
  if (i < 0) fail(`correction for unknown code ${code}`);
  if (patch === null) draft.splice(i, 1);
  else draft[i] = { ...(draft[i] as Municipality), ...patch };
}

const municipalities = parseAll(Municipality, draft, (x) => String((x as { name?: string }).name)).sort((a, b) =>
  a.code.localeCompare(b.code),
);
assertUnique(municipalities, (m) => m.code, "municipality code");
assertUnique(municipalities, (m) => `${m.prefCode}/${m.name}`, "municipality name within a prefecture");
const prefCodes = new Set(prefectures.map((p) => p.lgcode));
for (const m of municipalities) if (prefCodes.has(m.code)) fail(`municipality code collides with a prefecture: ${m.code}`);

const designated = municipalities.filter((m) => m.designated);
if (designated.length !== DESIGNATED.size) fail(`found ${designated.length} of ${DESIGNATED.size} designated cities`);
const parents = new Set(wards.map((w) => w.parent));
for (const d of DESIGNATED) if (!parents.has(d)) fail(`no wards listed for designated city ${d}`);

writeFileSync(resolve(contentDir, "prefectures.json"), `${JSON.stringify(prefectures, null, 2)}\n`);
writeFileSync(resolve(contentDir, "municipalities.json"), `${JSON.stringify(municipalities, null, 2)}\n`);

const count = (k: Municipality["kind"]) => municipalities.filter((m) => m.kind === k).length;
console.log(`source: ${dataDir}`);
console.log(`prefectures: ${prefectures.length}`);
console.log(
  `municipalities: ${municipalities.length} (city ${count("city")}, town ${count("town")}, village ${count("village")}, special_ward ${count("special_ward")}; designated ${designated.length})`,
);
console.log(`excluded administrative wards of designated cities: ${wards.length}`);
console.log(`hand corrections applied: ${Object.keys(CORRECTIONS).length}`);
