// What changed in content/ between two versions, as data (compareContent) and as the Markdown an
// operator reviews (renderContentReport). Pure: the caller reads the files (scripts/content-report.ts
// from git and the working tree, tests from literals). The old side may predate today's schema
// (no certainty, no searches.json), so both sides are read loosely: a missing field is "not said".
import { statusOn } from "../edge/domain/agency.ts";

// --- the inputs --------------------------------------------------------------------------------

export interface ReportSource {
  id: string;
  title?: string;
  publisher?: string;
  url?: string;
  asOf?: string;
  asOfInferred?: boolean;
}

export interface ReportCitation {
  document: string;
  locator?: string;
  certainty?: string;
  states?: Record<string, unknown>;
}

export interface ReportAdoption {
  agencyId: string;
  state?: "adopted" | "none";
  startsOn: string | null;
  startsOnPrecision: "day" | "month" | null;
  basis: string | null;
  scope?: { rules?: unknown; departments?: unknown; issuers?: unknown; note?: unknown } | null;
  submission?: { methods?: unknown; to?: unknown; note?: unknown } | null;
  guarantors?: string[];
  sources: ReportCitation[];
  conflicts?: { field: string; note: string }[];
}

export interface ReportSearch {
  agencyId: string;
  searchedOn: string;
  note?: string;
}

/** One version of content/: the files the report reads, as parsed JSON. */
export interface ContentSnapshot {
  sources: ReportSource[];
  adoptions: ReportAdoption[];
  searches: ReportSearch[];
  prefectures: { code: number; lgcode: string; name: string }[];
  municipalities: { code: string; name: string; prefCode: number }[];
  bodies: { id: string; name: string; prefCode: number | null }[];
}

const FILES = {
  sources: "sources.json",
  adoptions: "adoptions.json",
  searches: "searches.json",
  prefectures: "prefectures.json",
  municipalities: "municipalities.json",
  bodies: "bodies.json",
} as const;

/** The file names a snapshot is made of (under content/). */
export const SNAPSHOT_FILES: readonly string[] = Object.values(FILES);

/**
 * A snapshot from the parsed files by name (a missing file is an empty list, as searches.json is
 * before it existed). Items that are not objects with their id are skipped: content:check reports them.
 */
export function snapshotFrom(files: Readonly<Record<string, unknown>>): ContentSnapshot {
  const list = <T>(name: string, key: string): T[] => {
    const raw = files[name];
    if (!Array.isArray(raw)) return [];
    return raw.filter((x): x is T => typeof x === "object" && x !== null && key in x);
  };
  return {
    sources: list<ReportSource>(FILES.sources, "id"),
    adoptions: list<ReportAdoption>(FILES.adoptions, "agencyId").map((a) => ({
      ...a,
      sources: Array.isArray(a.sources) ? a.sources : [],
    })),
    searches: list<ReportSearch>(FILES.searches, "agencyId"),
    prefectures: list(FILES.prefectures, "lgcode"),
    municipalities: list(FILES.municipalities, "code"),
    bodies: list(FILES.bodies, "id"),
  };
}

// --- the comparison ------------------------------------------------------------------------------

export type Status = "adopted" | "scheduled" | "none" | "unknown";

export interface AgencyRef {
  id: string;
  name: string;
  /** The prefecture it sits in (its code), null for nationwide bodies. */
  prefCode: number | null;
  prefecture: string | null;
}

export interface AgencyEntry extends AgencyRef {
  status: Status;
  startsOn: string | null;
  startsOnPrecision: "day" | "month" | null;
  basis: string | null;
  sources: { document: string; certainty: string | null }[];
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface AgencyChange extends AgencyRef {
  changes: FieldChange[];
  sourcesAdded: string[];
  sourcesRemoved: string[];
}

export interface SourceChange {
  id: string;
  field: string;
  before: string;
  after: string;
}

export interface ConflictEntry extends AgencyRef {
  field: string;
  note: string;
  /** No conflict on this field in the old version of the agency. */
  isNew: boolean;
}

export interface StaleSource {
  source: ReportSource;
  /** Every agency that cites it. */
  citedBy: number;
  /** The agencies citing it whose every source is older than a year. */
  restingOnly: AgencyRef[];
}

export interface PrefectureTotals {
  code: number | null;
  name: string;
  /** The prefecture's government and municipalities. */
  governments: number;
  governmentsBefore: number;
  governmentsAfter: number;
  bodiesBefore: number;
  bodiesAfter: number;
}

export interface Totals {
  adoptions: [number, number];
  byStatus: Record<Exclude<Status, "unknown">, [number, number]>;
  sources: [number, number];
  webSources: [number, number];
  citations: [number, number];
  /** Citations by certainty; "unset" for citations without one (content before issue 9). */
  certainty: Record<string, [number, number]>;
  searches: [number, number];
  conflicts: [number, number];
  byPrefecture: PrefectureTotals[];
}

export interface ContentDiff {
  today: string;
  /** Sources as of a day before this are "older than a year". */
  staleBefore: string;
  newAgencies: AgencyEntry[];
  removedAgencies: AgencyEntry[];
  changedAgencies: AgencyChange[];
  newSources: ReportSource[];
  removedSources: ReportSource[];
  changedSources: SourceChange[];
  conflicts: ConflictEntry[];
  staleSources: StaleSource[];
  staleSearches: (AgencyRef & { searchedOn: string })[];
  totals: Totals;
}

/** `day` minus `days` days (ISO dates). */
export function daysBefore(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A fact as printed: a string as it is, null for "not said", anything else as JSON. */
const show = (value: unknown): string =>
  value === undefined || value === null ? "null" : typeof value === "string" ? value : JSON.stringify(value);

function agencyIndex(...snapshots: ContentSnapshot[]): Map<string, AgencyRef> {
  const refs = new Map<string, AgencyRef>();
  for (const s of snapshots) {
    const prefName = new Map(s.prefectures.map((p) => [p.code, p.name]));
    for (const p of s.prefectures) refs.set(p.lgcode, { id: p.lgcode, name: p.name, prefCode: p.code, prefecture: p.name });
    for (const m of s.municipalities)
      refs.set(m.code, { id: m.code, name: m.name, prefCode: m.prefCode, prefecture: prefName.get(m.prefCode) ?? null });
    for (const b of s.bodies)
      refs.set(b.id, {
        id: b.id,
        name: b.name,
        prefCode: b.prefCode,
        prefecture: b.prefCode === null ? null : (prefName.get(b.prefCode) ?? null),
      });
  }
  return refs;
}

/** Order for listings: by prefecture (nationwide bodies last), then id. */
const byPlace = (a: AgencyRef, b: AgencyRef) => (a.prefCode ?? 99) - (b.prefCode ?? 99) || byText(a.id, b.id);

/** The facts of an adoption the report compares, each as a printable value. */
function facts(a: ReportAdoption): [string, string][] {
  return [
    ["state", a.state ?? "adopted"],
    ["startsOn", show(a.startsOn)],
    ["startsOnPrecision", show(a.startsOnPrecision)],
    ["basis", show(a.basis)],
    ["scope.rules", show(a.scope?.rules)],
    ["scope.departments", show(a.scope?.departments)],
    ["scope.issuers", show(a.scope?.issuers)],
    ["scope.note", show(a.scope?.note)],
    ["submission.methods", show(a.submission?.methods)],
    ["submission.to", show(a.submission?.to)],
    ["submission.note", show(a.submission?.note)],
    ["guarantors", show(a.guarantors ?? [])],
  ];
}

/** Compare two versions of content/ as of `today` (ISO date, Japan). */
export function compareContent(before: ContentSnapshot, after: ContentSnapshot, today: string): ContentDiff {
  const refs = agencyIndex(before, after);
  const ref = (id: string): AgencyRef => refs.get(id) ?? { id, name: id, prefCode: null, prefecture: null };
  const oldAdoptions = new Map(before.adoptions.map((a) => [a.agencyId, a]));
  const newAdoptions = new Map(after.adoptions.map((a) => [a.agencyId, a]));
  const entry = (a: ReportAdoption): AgencyEntry => ({
    ...ref(a.agencyId),
    status: statusOn({ startsOn: a.startsOn, state: a.state }, today),
    startsOn: a.startsOn,
    startsOnPrecision: a.startsOnPrecision,
    basis: a.basis,
    sources: a.sources.map((c) => ({ document: c.document, certainty: c.certainty ?? null })),
  });

  const newAgencies = after.adoptions
    .filter((a) => !oldAdoptions.has(a.agencyId))
    .map(entry)
    .sort(byPlace);
  const removedAgencies = before.adoptions
    .filter((a) => !newAdoptions.has(a.agencyId))
    .map(entry)
    .sort(byPlace);

  const changedAgencies: AgencyChange[] = [];
  for (const a of after.adoptions) {
    const old = oldAdoptions.get(a.agencyId);
    if (old === undefined) continue;
    const was = new Map(facts(old));
    const changes = facts(a).flatMap(([field, value]) => {
      const prior = was.get(field) ?? "null";
      return prior === value ? [] : [{ field, before: prior, after: value }];
    });
    const oldDocs = new Set(old.sources.map((c) => c.document));
    const newDocs = new Set(a.sources.map((c) => c.document));
    const sourcesAdded = [...newDocs].filter((d) => !oldDocs.has(d));
    const sourcesRemoved = [...oldDocs].filter((d) => !newDocs.has(d));
    if (changes.length + sourcesAdded.length + sourcesRemoved.length > 0)
      changedAgencies.push({ ...ref(a.agencyId), changes, sourcesAdded, sourcesRemoved });
  }
  changedAgencies.sort(byPlace);

  const oldSources = new Map(before.sources.map((s) => [s.id, s]));
  const newSourceIds = new Set(after.sources.map((s) => s.id));
  const newSources = after.sources.filter((s) => !oldSources.has(s.id)).sort((x, y) => byText(x.id, y.id));
  const removedSources = before.sources.filter((s) => !newSourceIds.has(s.id)).sort((x, y) => byText(x.id, y.id));
  const changedSources: SourceChange[] = [];
  for (const s of after.sources) {
    const old = oldSources.get(s.id);
    if (old === undefined) continue;
    for (const field of ["title", "publisher", "url", "asOf", "asOfInferred"] as const) {
      if (show(old[field]) !== show(s[field])) changedSources.push({ id: s.id, field, before: show(old[field]), after: show(s[field]) });
    }
  }

  const conflicts: ConflictEntry[] = after.adoptions
    .flatMap((a) =>
      (a.conflicts ?? []).map((c) => ({
        ...ref(a.agencyId),
        field: c.field,
        note: c.note,
        isNew: !(oldAdoptions.get(a.agencyId)?.conflicts ?? []).some((o) => o.field === c.field),
      })),
    )
    .sort((x, y) => byPlace(x, y) || byText(x.field, y.field));

  const staleBefore = daysBefore(today, 365);
  const isStale = (s: ReportSource | undefined) => s?.asOf !== undefined && s.asOf < staleBefore;
  const sourceById = new Map(after.sources.map((s) => [s.id, s]));
  const staleSources: StaleSource[] = after.sources
    .filter(isStale)
    .sort((x, y) => byText(x.asOf ?? "", y.asOf ?? "") || byText(x.id, y.id))
    .map((source) => {
      const citing = after.adoptions.filter((a) => a.sources.some((c) => c.document === source.id));
      return {
        source,
        citedBy: citing.length,
        restingOnly: citing
          .filter((a) => a.sources.every((c) => isStale(sourceById.get(c.document))))
          .map((a) => ref(a.agencyId))
          .sort(byPlace),
      };
    });
  const staleSearches = after.searches
    .filter((s) => s.searchedOn < staleBefore)
    .map((s) => ({ ...ref(s.agencyId), searchedOn: s.searchedOn }))
    .sort((x, y) => byText(x.searchedOn, y.searchedOn) || byPlace(x, y));

  return {
    today,
    staleBefore,
    newAgencies,
    removedAgencies,
    changedAgencies,
    newSources,
    removedSources,
    changedSources,
    conflicts,
    staleSources,
    staleSearches,
    totals: totals(before, after, today, ref),
  };
}

function totals(before: ContentSnapshot, after: ContentSnapshot, today: string, ref: (id: string) => AgencyRef): Totals {
  const pair = (f: (s: ContentSnapshot) => number): [number, number] => [f(before), f(after)];
  const citations = (s: ContentSnapshot) => s.adoptions.flatMap((a) => a.sources);
  const certainties = new Set(["stated", "announced", "listed"]);
  for (const c of [...citations(before), ...citations(after)]) certainties.add(c.certainty ?? "unset");
  const status = (s: ContentSnapshot, st: Status) =>
    s.adoptions.filter((a) => statusOn({ startsOn: a.startsOn, state: a.state }, today) === st).length;

  const governmentIds = new Map(
    [before, after].map((s) => [s, new Set([...s.prefectures.map((p) => p.lgcode), ...s.municipalities.map((m) => m.code)])]),
  );
  const sourcedIn = (s: ContentSnapshot, prefCode: number | null, governments: boolean) =>
    s.adoptions.filter((a) => ref(a.agencyId).prefCode === prefCode && governmentIds.get(s)?.has(a.agencyId) === governments).length;
  const byPrefecture: PrefectureTotals[] = [...after.prefectures]
    .sort((x, y) => x.code - y.code)
    .map((p) => ({
      code: p.code,
      name: p.name,
      governments: 1 + after.municipalities.filter((m) => m.prefCode === p.code).length,
      governmentsBefore: sourcedIn(before, p.code, true),
      governmentsAfter: sourcedIn(after, p.code, true),
      bodiesBefore: sourcedIn(before, p.code, false),
      bodiesAfter: sourcedIn(after, p.code, false),
    }));
  byPrefecture.push({
    code: null,
    name: "nationwide bodies",
    governments: 0,
    governmentsBefore: 0,
    governmentsAfter: 0,
    bodiesBefore: sourcedIn(before, null, false),
    bodiesAfter: sourcedIn(after, null, false),
  });

  return {
    adoptions: pair((s) => s.adoptions.length),
    byStatus: {
      adopted: pair((s) => status(s, "adopted")),
      scheduled: pair((s) => status(s, "scheduled")),
      none: pair((s) => status(s, "none")),
    },
    sources: pair((s) => s.sources.length),
    webSources: pair((s) => s.sources.filter((x) => x.id.startsWith("w-")).length),
    citations: pair((s) => citations(s).length),
    certainty: Object.fromEntries(
      [...certainties].map((c) => [c, pair((s) => citations(s).filter((x) => (x.certainty ?? "unset") === c).length)]),
    ),
    searches: pair((s) => s.searches.length),
    conflicts: pair((s) => s.adoptions.reduce((n, a) => n + (a.conflicts?.length ?? 0), 0)),
    byPrefecture,
  };
}

// --- the Markdown ----------------------------------------------------------------------------------

export interface ReportMeta {
  /** How the old side was named (`--since`, a tag, origin/main, HEAD). */
  since: string;
  /** What it resolved to (a short commit and its date), shown beside it. */
  sinceCommit?: string;
  /** What the new side is (the working tree, with its HEAD). */
  now?: string;
  /** The command that made the report, for whoever regenerates it. */
  command?: string;
}

/** A table cell: no line breaks, no column separators. */
const cell = (text: string) => text.replace(/\r?\n/g, " ").replaceAll("|", "\\|");
const code = (text: string) => `\`${text.replaceAll("`", "'")}\``;
const arrow = ([a, b]: [number, number]) => (a === b ? `${a}` : `${a} → ${b}`);
const signed = ([a, b]: [number, number]) => (b - a > 0 ? `+${b - a}` : b - a < 0 ? `${b - a}` : "±0");
const start = (e: { startsOn: string | null; startsOnPrecision: "day" | "month" | null }) =>
  e.startsOn === null ? "—" : e.startsOnPrecision === "month" ? e.startsOn.slice(0, 7) : e.startsOn;
const where = (a: AgencyRef) => a.prefecture ?? "nationwide";
const named = (a: AgencyRef) => `${a.name} (${a.id})`;

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ["None."];
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

/** The headline figures, one line each: what the summary and the CLI print. */
export function headline(diff: ContentDiff): string[] {
  const t = diff.totals;
  const sum = (f: (p: PrefectureTotals) => number) => t.byPrefecture.reduce((n, p) => n + f(p), 0);
  const newConflicts = diff.conflicts.filter((c) => c.isNew).length;
  return [
    `Adoptions (agencies with a sourced status): ${arrow(t.adoptions)} (${signed(t.adoptions)}): local governments ${arrow([
      sum((p) => p.governmentsBefore),
      sum((p) => p.governmentsAfter),
    ])} of ${sum((p) => p.governments)}, bodies ${arrow([sum((p) => p.bodiesBefore), sum((p) => p.bodiesAfter)])}`,
    `New agencies: ${diff.newAgencies.length}; removed: ${diff.removedAgencies.length}; agencies with changed facts or sources: ${diff.changedAgencies.length}`,
    `Sources: ${arrow(t.sources)} (web pages ${arrow(t.webSources)}); new ${diff.newSources.length}, removed ${diff.removedSources.length}, changed ${new Set(diff.changedSources.map((c) => c.id)).size}`,
    `Citations: ${arrow(t.citations)}: ${Object.entries(t.certainty)
      .filter(([, v]) => v[0] + v[1] > 0)
      .map(([c, v]) => `${c} ${arrow(v)}`)
      .join(", ")}`,
    `Conflicts: ${diff.conflicts.length} (${newConflicts} new)`,
    `Sources older than a year: ${diff.staleSources.length} (agencies resting only on them: ${new Set(diff.staleSources.flatMap((s) => s.restingOnly.map((a) => a.id))).size}); searches older than a year: ${diff.staleSearches.length}`,
  ];
}

export function renderContentReport(diff: ContentDiff, meta: ReportMeta): string {
  const out: string[] = [];
  const t = diff.totals;
  out.push("# Content report", "");
  out.push(
    `- Before: \`content/\` at ${code(meta.since)}${meta.sinceCommit === undefined ? "" : ` (${meta.sinceCommit})`}`,
    `- After: ${meta.now ?? "the working tree"}`,
    `- Today (Japan): ${diff.today}; "older than a year" means as of before ${diff.staleBefore}`,
  );
  if (meta.command !== undefined) out.push(`- Made by ${code(meta.command)}`);
  out.push("", "## Summary", "", ...headline(diff).map((l) => `- ${l}`));

  out.push("", `## New agencies (${diff.newAgencies.length})`, "");
  out.push(
    ...table(
      ["prefecture", "agency", "id", "status", "start", "basis", "sources"],
      diff.newAgencies.map((a) => [
        where(a),
        a.name,
        a.id,
        a.status,
        start(a),
        a.basis ?? "—",
        a.sources.map((s) => `${s.document} (${s.certainty ?? "no certainty"})`).join(", "),
      ]),
    ),
  );

  out.push("", `## Removed agencies (${diff.removedAgencies.length})`, "");
  out.push(
    ...table(
      ["prefecture", "agency", "id", "status before", "start before", "sources before"],
      diff.removedAgencies.map((a) => [where(a), a.name, a.id, a.status, start(a), a.sources.map((s) => s.document).join(", ")]),
    ),
  );

  out.push("", `## Changed facts (${diff.changedAgencies.length} agencies)`, "");
  if (diff.changedAgencies.length === 0) out.push("None.");
  for (const a of diff.changedAgencies) {
    out.push(`### ${named(a)}${a.prefecture === null ? ", nationwide" : a.prefecture === a.name ? "" : `, ${a.prefecture}`}`, "");
    for (const c of a.changes) out.push(`- ${c.field}: ${code(c.before)} → ${code(c.after)}`);
    if (a.sourcesAdded.length > 0) out.push(`- sources added: ${a.sourcesAdded.join(", ")}`);
    if (a.sourcesRemoved.length > 0) out.push(`- sources removed: ${a.sourcesRemoved.join(", ")}`);
    out.push("");
  }
  if (out.at(-1) === "") out.pop();

  const sourceRow = (s: ReportSource) => [
    s.id,
    s.publisher ?? "",
    s.title ?? "",
    `${s.asOf ?? "—"}${s.asOfInferred === true ? " (inferred)" : ""}`,
    s.url ?? "",
  ];
  out.push("", `## New sources (${diff.newSources.length})`, "");
  out.push(...table(["id", "publisher", "title", "as of", "url"], diff.newSources.map(sourceRow)));
  out.push("", `## Removed sources (${diff.removedSources.length})`, "");
  out.push(...table(["id", "publisher", "title", "as of", "url"], diff.removedSources.map(sourceRow)));
  if (diff.changedSources.length > 0) {
    out.push("", `## Changed sources (${new Set(diff.changedSources.map((c) => c.id)).size})`, "");
    out.push(
      ...table(
        ["id", "field", "before", "after"],
        diff.changedSources.map((c) => [c.id, c.field, c.before, c.after]),
      ),
    );
  }

  out.push("", `## Conflicts (${diff.conflicts.length}, ${diff.conflicts.filter((c) => c.isNew).length} new)`, "");
  out.push(
    ...table(
      ["", "agency", "prefecture", "field", "note"],
      diff.conflicts.map((c) => [c.isNew ? "NEW" : "", named(c), where(c), c.field, c.note]),
    ),
  );

  out.push("", `## Facts older than a year (${diff.staleSources.length} sources)`, "");
  out.push(`Sources as of before ${diff.staleBefore}, and the agencies whose every source is that old (recheck these first).`, "");
  out.push(
    ...table(
      ["source", "publisher", "title", "as of", "cited by", "agencies resting only on old sources"],
      diff.staleSources.map((s) => [
        s.source.id,
        s.source.publisher ?? "",
        s.source.title ?? "",
        s.source.asOf ?? "",
        String(s.citedBy),
        s.restingOnly.length === 0 ? "—" : `${s.restingOnly.length}: ${s.restingOnly.map(named).join(", ")}`,
      ]),
    ),
  );

  out.push("", `## Searches older than a year (${diff.staleSearches.length})`, "");
  out.push(
    ...table(
      ["searched on", "agency", "prefecture"],
      diff.staleSearches.map((s) => [s.searchedOn, named(s), where(s)]),
    ),
  );

  out.push("", "## Totals", "");
  out.push(
    ...table(
      ["", "before", "after", "change"],
      [
        ["adoptions (agencies with a sourced status)", t.adoptions],
        ["adopted (as of today)", t.byStatus.adopted],
        ["scheduled (as of today)", t.byStatus.scheduled],
        ["not adopted (state none)", t.byStatus.none],
        ["sources", t.sources],
        ["web sources (w-)", t.webSources],
        ["citations", t.citations],
        ...Object.entries(t.certainty)
          .filter(([, v]) => v[0] + v[1] > 0)
          .map(([c, v]): [string, [number, number]] => [`citations ${c}`, v]),
        ["searches in vain", t.searches],
        ["conflicts", t.conflicts],
      ].map(([label, v]) => {
        const p = v as [number, number];
        return [String(label), String(p[0]), String(p[1]), signed(p)];
      }),
    ),
  );
  out.push("", "### By prefecture: agencies with a sourced status", "");
  out.push(
    "Local governments are the prefecture and its municipalities (the prefecture page's 資料で状況が分かる団体); bodies are national and public bodies located there.",
    "",
  );
  const sum = (f: (p: PrefectureTotals) => number) => t.byPrefecture.reduce((n, p) => n + f(p), 0);
  out.push(
    ...table(
      ["prefecture", "local governments", "of", "bodies"],
      [
        ...t.byPrefecture.map((p) => [
          p.name,
          p.code === null ? "—" : arrow([p.governmentsBefore, p.governmentsAfter]),
          p.code === null ? "—" : String(p.governments),
          arrow([p.bodiesBefore, p.bodiesAfter]),
        ]),
        [
          "**total**",
          arrow([sum((p) => p.governmentsBefore), sum((p) => p.governmentsAfter)]),
          String(sum((p) => p.governments)),
          arrow([sum((p) => p.bodiesBefore), sum((p) => p.bodiesAfter)]),
        ],
      ],
    ),
  );
  out.push("");
  return out.join("\n");
}
