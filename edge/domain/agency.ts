// The Agency model of the public contract (API.md), built from the fact files in content/.
import { z } from "zod";
import type { Adoption, Body, Municipality, Prefecture, Search, SourceDocument } from "./content-schema.ts";
import type { AgencyRule } from "./eligibility.ts";
import { AdoptionStatus, AgencyKind, Basis, ElectronicGuaranteeKind, GuarantorId, Issuer, labels, WorkType } from "./vocabulary.ts";

export const AgencySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kana: z.string().describe("読み（ひらがな）"),
    kind: AgencyKind,
    kindLabel: z.string(),
    prefecture: z.string().nullable().describe("都道府県名（全国的な機関は null）"),
    prefectureCode: z.number().int().nullable(),
    url: z.string().describe("ガイド内のページのパス"),
    aliases: z.array(z.string()),
    aliasKana: z.record(z.string(), z.string()).describe("別名の読み（ひらがな）: 読みのある別名ごと"),
    location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
    adoption: z.object({
      status: AdoptionStatus,
      startsOn: z.iso.date().nullable(),
      startsOnPrecision: z.enum(["day", "month"]).nullable(),
      basis: Basis.nullable(),
      scope: z
        .object({
          rules: z
            .array(
              z.object({
                works: z.array(WorkType),
                guarantees: z.array(ElectronicGuaranteeKind),
                exclusive: z.boolean().optional().describe("資料がこの業務をこの保証に限っている（「…のみ」）"),
              }),
            )
            .nullable(),
          departments: z.array(z.string()).nullable(),
          issuers: z.array(Issuer).nullable(),
          note: z.string().nullable(),
        })
        .nullable(),
      submission: z
        .object({
          methods: z.array(z.enum(["email", "upload", "other"])).nullable(),
          to: z.array(z.object({ guarantees: z.array(ElectronicGuaranteeKind).nullable(), office: z.string() })),
          note: z.string().nullable(),
        })
        .nullable(),
      guarantors: z.array(GuarantorId),
      usage: z.object({ asOf: z.iso.date(), advanceGuarantees: z.number(), electronic: z.number(), ratePercent: z.number() }).nullable(),
      uncertain: z.string().nullable(),
      conflicts: z
        .array(z.object({ field: z.enum(["state", "startsOn", "basis"]), note: z.string() }))
        .describe("資料どうしの食い違い（新しい資料の記載を採用）"),
      searchedOn: z.iso.date().nullable().describe("資料が見つからなかった発注者について、最後に公開資料を探した日"),
    }),
    sources: z.array(
      z.object({
        document: z.string().describe("出典資料の id（資料ファイル名、またはウェブページの w-…）"),
        asOf: z.iso.date(),
        title: z.string(),
        publisher: z.string(),
        url: z.string().nullable().describe("ウェブページの出典のアドレス（資料ファイルは null）"),
        certainty: z
          .enum(["stated", "announced", "listed"])
          .describe("stated: 発注者自身 / announced: 保証事業会社のお知らせ・業界紙 / listed: 保証事業会社の導入団体一覧"),
        locator: z.string(),
      }),
    ),
  })
  .meta({ id: "Agency" });

export type Agency = z.infer<typeof AgencySchema>;

export interface AgencyFacts {
  prefectures: readonly Prefecture[];
  municipalities: readonly Municipality[];
  bodies: readonly Body[];
  adoptions: readonly Adoption[];
  sources: readonly SourceDocument[];
  /** The last searches for agencies no source speaks of (content/searches.json). */
  searches?: readonly Search[];
}

export const agencyPath = (id: string): string => `/agencies/${id}/`;

/**
 * adopted from its start date on; scheduled before it; a listed agency without a date is adopted;
 * none where the newest source says it has not adopted.
 */
export function statusOn(adoption: Pick<Adoption, "startsOn" | "state"> | undefined, today: string): AdoptionStatus {
  if (adoption === undefined) return "unknown";
  if (adoption.state === "none") return "none";
  if (adoption.startsOn === null) return "adopted";
  return adoption.startsOn <= today ? "adopted" : "scheduled";
}

/** Kind order for listings: national first, then prefectures, then municipalities. */
const KIND_ORDER: Record<AgencyKind, number> = {
  national: 0,
  prefecture: 1,
  city: 2,
  special_ward: 3,
  town: 4,
  village: 5,
  independent_agency: 6,
  public_body: 7,
};

export function buildAgencies(facts: AgencyFacts, today: string): Agency[] {
  const prefByCode = new Map(facts.prefectures.map((p) => [p.code, p]));
  const docById = new Map(facts.sources.map((s) => [s.id, s]));
  const adoptionById = new Map(facts.adoptions.map((a) => [a.agencyId, a]));
  const searchedOn = new Map((facts.searches ?? []).map((s) => [s.agencyId, s.searchedOn]));

  const make = (
    base: Pick<Agency, "id" | "name" | "kana" | "kind" | "aliases" | "aliasKana" | "location"> & { prefCode: number | null },
  ): Agency => {
    const adoption = adoptionById.get(base.id);
    const pref = base.prefCode === null ? undefined : prefByCode.get(base.prefCode);
    return {
      id: base.id,
      name: base.name,
      kana: base.kana,
      kind: base.kind,
      kindLabel: labels.kind[base.kind],
      prefecture: pref?.name ?? null,
      prefectureCode: pref?.code ?? null,
      url: agencyPath(base.id),
      aliases: base.aliases,
      aliasKana: base.aliasKana,
      location: base.location,
      adoption: {
        status: statusOn(adoption, today),
        startsOn: adoption?.startsOn ?? null,
        startsOnPrecision: adoption?.startsOnPrecision ?? null,
        basis: adoption?.basis ?? null,
        scope: adoption?.scope ?? null,
        submission: adoption?.submission ?? null,
        guarantors: adoption?.guarantors ?? [],
        usage: adoption?.usage ?? null,
        uncertain: adoption?.uncertain ?? null,
        conflicts: adoption?.conflicts ?? [],
        searchedOn: searchedOn.get(base.id) ?? null,
      },
      sources: (adoption?.sources ?? []).map((s) => {
        const doc = docById.get(s.document);
        if (doc === undefined) throw new Error(`unknown source document ${s.document}`);
        return {
          document: s.document,
          asOf: doc.asOf,
          title: doc.title,
          publisher: doc.publisher,
          url: doc.url ?? null,
          certainty: s.certainty,
          locator: s.locator,
        };
      }),
    };
  };

  const agencies = [
    ...facts.bodies.map((b) => make({ ...b, location: null })),
    ...facts.prefectures.map((p) =>
      make({
        id: p.lgcode,
        name: p.name,
        kana: p.kana,
        kind: "prefecture",
        aliases: [p.en],
        aliasKana: {},
        location: { lat: p.lat, lng: p.lng },
        prefCode: p.code,
      }),
    ),
    ...facts.municipalities.map((m) =>
      make({
        id: m.code,
        name: m.name,
        kana: m.kana,
        kind: m.kind,
        aliases: [],
        aliasKana: {},
        location: { lat: m.lat, lng: m.lng },
        prefCode: m.prefCode,
      }),
    ),
  ];
  return agencies.sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.prefectureCode ?? 0) - (b.prefectureCode ?? 0) || a.id.localeCompare(b.id),
  );
}

/** The slice of an agency the eligibility rule reads. */
export function ruleOf(agency: Agency): AgencyRule {
  return {
    name: agency.name,
    status: agency.adoption.status,
    startsOn: agency.adoption.startsOn,
    startsOnPrecision: agency.adoption.startsOnPrecision,
    basis: agency.adoption.basis,
    rules: agency.adoption.scope?.rules ?? null,
    departments: agency.adoption.scope?.departments ?? null,
    submission: agency.adoption.submission,
  };
}
