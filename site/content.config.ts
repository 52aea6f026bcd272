// Content collections over the fact files in content/. Each entry is parsed with its schema
// from edge/domain, and a duplicated id throws: either way the build fails.

import { defineCollection } from "astro:content";
import { readFile } from "node:fs/promises";
import { glob } from "astro/loaders";
import { z } from "zod";
import { Adoption, Body, BodyFields, Guarantor, Municipality, Prefecture, Search, SourceDocument } from "../edge/domain/content-schema.ts";

type Shape = z.core.$ZodLooseShape;

/** `checked`: the schema with its cross-field checks, when it has any (a refined object cannot be extended). */
function jsonCollection<S extends Shape>(
  file: string,
  schema: z.ZodObject<S>,
  idOf: (entry: z.infer<z.ZodObject<S>>) => string,
  checked: z.ZodType<z.infer<z.ZodObject<S>>> = schema,
) {
  return defineCollection({
    loader: async () => {
      const raw: unknown = JSON.parse(await readFile(new URL(`../content/${file}`, import.meta.url), "utf8"));
      const entries = z.array(checked).parse(raw);
      const seen = new Set<string>();
      return entries.map((entry) => {
        const id = idOf(entry);
        if (seen.has(id)) throw new Error(`content/${file}: duplicated id ${id}`);
        seen.add(id);
        return { ...entry, id };
      });
    },
    schema: schema.extend({ id: z.string() }),
  });
}

/** FAQs and step guides: Markdown written from the seeds, each naming the seed files it rests on. */
const sourcesField = z.array(z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/)).min(1);

export const collections = {
  faq: defineCollection({
    loader: glob({ pattern: "*.md", base: "./content/faq" }),
    schema: z.strictObject({
      question: z.string().min(1),
      category: z.enum(["basics", "contractor", "agency", "documents"]),
      order: z.number().int(),
      sources: sourcesField,
    }),
  }),
  guides: defineCollection({
    loader: glob({ pattern: "*.md", base: "./content/guides" }),
    schema: z.strictObject({
      title: z.string().min(1),
      audience: z.enum(["contractor", "agency"]),
      order: z.number().int(),
      summary: z.string().min(1),
      sources: sourcesField,
    }),
  }),
  prefectures: jsonCollection("prefectures.json", Prefecture, (p) => p.lgcode),
  municipalities: jsonCollection("municipalities.json", Municipality, (m) => m.code),
  bodies: jsonCollection("bodies.json", BodyFields, (b) => b.id, Body),
  adoptions: jsonCollection("adoptions.json", Adoption, (a) => a.agencyId),
  sources: jsonCollection("sources.json", SourceDocument, (s) => s.id),
  guarantors: jsonCollection("guarantors.json", Guarantor, (g) => g.id),
  searches: jsonCollection("searches.json", Search, (s) => s.agencyId),
};
