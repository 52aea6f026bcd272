// Schemas of the fact files in content/. Each file is validated by tests/content and by the
// Astro content collections, so a bad or duplicated entry fails the build.
import { z } from "zod";
import { AgencyKind, Basis, ElectronicGuaranteeKind, GuarantorId, Issuer, WorkType } from "./vocabulary.ts";

const isoDate = z.iso.date();
const hiragana = z.string().regex(/^[\u3041-\u309f\u30fc\s・ー]+$/u, "読みはひらがなで記入してください");
const agencyId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id は英小文字・数字・ハイフン");

/** A seed document: one leaflet or notice, with the date its facts are true as of. */
export const SourceDocument = z.strictObject({
  /** The seed file name, e.g. "001_0b938be883b26a85.txt": what `sources[].document` cites. */
  id: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
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
export const Adoption = z.strictObject({
  agencyId,
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
  guarantors: z.array(GuarantorId).min(1),
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
        document: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
        /** Where in the document (page, table row, Q&A) and what it says there. */
        locator: z.string().min(1),
      }),
    )
    .min(1),
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
