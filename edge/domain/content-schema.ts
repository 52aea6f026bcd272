// Schemas of the fact files in content/. Each file is validated by tests/content and by the
// Astro content collections, so a bad or duplicated entry fails the build.
import { z } from "zod";
import { AgencyKind, Basis, ElectronicGuaranteeKind, GuarantorId, Issuer, WorkType } from "./vocabulary.ts";

const isoDate = z.iso.date();
const hiragana = z.string().regex(/^[\u3041-\u309f\u30fc\s・ー]+$/u, "読みはひらがなで記入してください");
const agencyId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id は英小文字・数字・ハイフン");

/** A seed file's name, e.g. "001_0b938be883b26a85.txt". */
export const SEED_SOURCE_ID = /^\d{3}_[0-9a-f]{16}\.txt$/;
/** A public web page's id: "w-" and the first 8 hex digits of the SHA-1 of its URL. */
export const WEB_SOURCE_ID = /^w-[0-9a-f]{8}$/;

/**
 * A source: a seed document (one leaflet or notice) or a public web page (an agency's announcement,
 * a guarantor's news, a trade-press article), with the date its facts are true as of.
 */
export const SourceDocument = z.strictObject({
  /** What `sources[].document` cites: the seed file name, or w-… for a web page. */
  id: z.string().refine((id) => SEED_SOURCE_ID.test(id) || WEB_SOURCE_ID.test(id), "id は資料ファイル名か w- と16進8桁"),
  title: z.string().min(1),
  publisher: z.string().min(1),
  /**
   * The publisher's web page where a person can look further: an address the document itself
   * prints (never guessed); null when it prints none (e.g. 島根県's notice).
   */
  link: z
    .strictObject({
      url: z.url({ protocol: /^https$/ }),
      /** What the page is, in Japanese: the link's text. */
      label: z.string().min(1),
      /** Where the document prints the address. */
      locator: z.string().min(1),
    })
    .nullable(),
  /** A web source's own address (required for w- ids; seeds have none). */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** The stored copy the facts were read from, where it is not `url` itself (a search engine's cache). */
  copy: z.url({ protocol: /^https?$/ }).optional(),
  /** The date the document's facts are stated as of. */
  asOf: isoDate,
  /** True when the document carries no date and asOf is inferred (see asOfNote). */
  asOfInferred: z.boolean(),
  asOfNote: z.string().nullable(),
});
export type SourceDocument = z.infer<typeof SourceDocument>;

export const Prefecture = z.strictObject({
  code: z.number().int().min(1).max(47),
  /** 6-digit 全国地方公共団体コード: also the agency id of the prefectural government. */
  lgcode: z.string().regex(/^\d{6}$/),
  name: z.string().min(2),
  kana: hiragana,
  short: z.string().min(1),
  en: z.string().min(1),
  lat: z.number(),
  lng: z.number(),
});
export type Prefecture = z.infer<typeof Prefecture>;

export const Municipality = z.strictObject({
  /** 6-digit 全国地方公共団体コード: also the agency id. */
  code: z.string().regex(/^\d{6}$/),
  name: z.string().min(1),
  kana: hiragana,
  prefCode: z.number().int().min(1).max(47),
  kind: z.enum(["city", "special_ward", "town", "village"]),
  designated: z.boolean(),
  lat: z.number(),
  lng: z.number(),
  url: z.url().nullable(),
});
export type Municipality = z.infer<typeof Municipality>;

/**
 * National bodies, independent agencies and other public bodies named in the seeds: the fields, without
 * the cross-field check (Astro's content collection extends this; a refined object cannot be extended).
 */
export const BodyFields = z.strictObject({
  id: agencyId,
  name: z.string().min(1),
  kana: hiragana,
  kind: AgencyKind.extract(["national", "independent_agency", "public_body"]),
  prefCode: z.number().int().min(1).max(47).nullable(),
  /** Other spellings that should find this body (including a seed's misprint). */
  aliases: z.array(z.string().min(1)),
  /**
   * Readings (hiragana) of some aliases, by alias: an office or a short name typed by its sound
   * (きんき, kinki → 近畿地方整備局). Each key must be one of the aliases.
   */
  aliasKana: z.record(z.string().min(1), hiragana).default({}),
  note: z.string().nullable(),
});

/** A body, with its alias readings checked against its aliases. */
export const Body = BodyFields.superRefine((body, ctx) => {
  for (const alias of Object.keys(body.aliasKana)) {
    if (!body.aliases.includes(alias))
      ctx.addIssue({ code: "custom", path: ["aliasKana", alias], message: `読みの「${alias}」が aliases にありません` });
  }
});
export type Body = z.infer<typeof Body>;

export const ScopeRule = z.strictObject({
  works: z.array(WorkType).min(1),
  guarantees: z.array(ElectronicGuaranteeKind).min(1),
  /** true where the source limits these works to these guarantees (「…のみ」): the others are excluded, not merely unstated. */
  exclusive: z.boolean().optional(),
});

/** One agency's adoption of 電子保証, as the seeds state it. Absent facts are null, never guessed. */
/** How sure a source is: the agency itself, a guarantor's news or the trade press, a guarantor's list. */
export const Certainty = z.enum(["stated", "announced", "listed"]);
export type Certainty = z.infer<typeof Certainty>;

/** The fields an adoption's sources can disagree on; a disagreement must be marked in `conflicts`. */
export const ConflictField = z.enum(["state", "startsOn", "basis"]);

export const Adoption = z.strictObject({
  agencyId,
  /** "none": a source says the agency has not adopted (as of its date); absent means adopted. */
  state: z.enum(["adopted", "none"]).optional(),
  /** null when the source lists the agency as adopted without a start date (seed 003's body list). */
  startsOn: isoDate.nullable(),
  /** "month" when the source gives only a month ("R5.6"): startsOn is then the 1st. */
  startsOnPrecision: z.enum(["day", "month"]).nullable(),
  basis: Basis.nullable(),
  scope: z.strictObject({
    /** Which work types get which guarantees electronically; null when the source does not say. */
    rules: z.array(ScopeRule).min(1).nullable(),
    departments: z.array(z.string().min(1)).nullable(),
    issuers: z.array(Issuer).min(1).nullable(),
    note: z.string().nullable(),
  }),
  submission: z.strictObject({
    methods: z.array(z.enum(["email", "upload", "other"])).nullable(),
    /** Where the key goes, per guarantee where the source distinguishes. */
    to: z.array(z.strictObject({ guarantees: z.array(ElectronicGuaranteeKind).nullable(), office: z.string().min(1) })),
    note: z.string().nullable(),
  }),
  /** The guarantors the sources name as handling it (empty when none is named). */
  guarantors: z.array(GuarantorId),
  usage: z
    .strictObject({
      asOf: isoDate,
      advanceGuarantees: z.number().int().nonnegative(),
      electronic: z.number().int().nonnegative(),
      ratePercent: z.number().min(0).max(100),
    })
    .nullable(),
  /** Japanese note on what stays uncertain (seed conflicts, cut tables, OCR fixes). */
  uncertain: z.string().nullable(),
  sources: z
    .array(
      z.strictObject({
        document: z.string().min(1),
        /** Where in the document (page, table row, Q&A) and what it says there. */
        locator: z.string().min(1),
        certainty: Certainty,
        /**
         * What this source states, where the agency has more than one source: the check compares
         * them with each other and with the adoption's own values.
         */
        states: z
          .strictObject({
            state: z.enum(["adopted", "none"]).optional(),
            startsOn: isoDate.optional(),
            startsOnPrecision: z.enum(["day", "month"]).optional(),
            basis: Basis.optional(),
          })
          .optional(),
      }),
    )
    .min(1),
  /** Disagreements between the sources, each settled for the newer source (Japanese note shown on the page). */
  conflicts: z.array(z.strictObject({ field: ConflictField, note: z.string().min(1) })).optional(),
});
export type Adoption = z.infer<typeof Adoption>;

export const Branch = z.strictObject({
  id: agencyId,
  name: z.string().min(1),
  tel: z.string().nullable(),
  fax: z.string().nullable(),
  postalCode: z
    .string()
    .regex(/^\d{3}-\d{4}$/)
    .nullable(),
  address: z.string().nullable(),
  email: z.string().nullable(),
  source: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
});
export type Branch = z.infer<typeof Branch>;

export const Guarantor = z.strictObject({
  id: GuarantorId,
  name: z.string().min(1),
  shortName: z.string().min(1),
  portal: z.string().min(1),
  url: z.url().nullable(),
  address: z.string().nullable(),
  branches: z.array(Branch),
});
export type Guarantor = z.infer<typeof Guarantor>;

/** The last search for an agency that no source speaks of: an honest "unknown" with its date. */
export const Search = z.strictObject({
  agencyId,
  searchedOn: isoDate,
  /** What was searched (in Japanese), for the next person to search further. */
  note: z.string().min(1),
});
export type Search = z.infer<typeof Search>;
