// Build-time side of search-format.ts: the catalogue's agencies as compact columns and rule slices.
import { type Agency, ruleOf } from "../../edge/domain/agency.ts";
import { aliasKeysOf, readingKey, searchOrder } from "../../edge/domain/search.ts";
import { adoptionStatuses, agencyKinds, labels } from "../../edge/domain/terms.ts";
import { type RulesData, SEPARATOR, type SearchData } from "./search-format.ts";

function startsCell(agency: Agency): string {
  const { startsOn, startsOnPrecision } = agency.adoption;
  if (startsOn === null) return "";
  return startsOnPrecision === "month" ? startsOn.slice(0, 7) : startsOn;
}

function joined(values: string[]): string {
  const bad = values.find((v) => v.includes(SEPARATOR));
  if (bad !== undefined) throw new Error(`search index: "${bad}" contains ${SEPARATOR}`);
  return values.join(SEPARATOR);
}

export function encodeSearchData(
  agencies: readonly Agency[],
  prefectures: readonly { code: number; name: string }[],
  builtOn: string,
): SearchData {
  // The API's search order, so the page and GET /api/v1/agencies?q= rank alike.
  const rows = searchOrder(agencies);
  let code = 0;
  const ids = rows.map((a) => {
    if (!/^\d{6}$/.test(a.id)) return a.id;
    const delta = Number(a.id) - code;
    code = Number(a.id);
    return delta;
  });
  const aliases: SearchData["aliases"] = {};
  const aliasKeys: SearchData["aliasKeys"] = {};
  for (const [i, a] of rows.entries()) {
    if (a.aliases.length > 0) aliases[i] = a.aliases;
    const keys = aliasKeysOf(a);
    if (keys.some((k) => k !== "")) aliasKeys[i] = keys;
  }
  const names: string[] = [];
  for (const p of prefectures) names[p.code - 1] = p.name;
  return {
    builtOn,
    kinds: [...agencyKinds],
    kindLabels: agencyKinds.map((k) => labels.kind[k]),
    statuses: [...adoptionStatuses],
    statusLabels: adoptionStatuses.map((s) => labels.status[s]),
    prefectures: names,
    ids,
    names: joined(rows.map((a) => a.name)),
    kana: joined(rows.map((a) => a.kana)),
    keys: joined(rows.map((a) => readingKey(a.kana))),
    prefs: rows.map((a) => a.prefectureCode ?? 0),
    kind: rows.map((a) => agencyKinds.indexOf(a.kind)).join(""),
    status: rows.map((a) => adoptionStatuses.indexOf(a.adoption.status)).join(""),
    starts: rows.map(startsCell),
    aliases,
    aliasKeys,
  };
}

export function encodeRulesData(agencies: readonly Agency[], builtOn: string): RulesData {
  const rules: RulesData["rules"] = {};
  for (const agency of agencies) {
    if (agency.adoption.status === "unknown") continue;
    const { name: _name, ...rule } = ruleOf(agency);
    rules[agency.id] = rule;
  }
  return { builtOn, rules };
}
