// OpenAPI pieces every route shares: the one problem schema, and responses built from it.
import { z } from "@hono/zod-openapi";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string().openapi({ description: "日本語の説明" }),
    status: z.number().int(),
    code: z.string().openapi({ description: "機械処理用の安定した語（not_found, validation_failed など）" }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "入力の誤りがあった項目と、その内容（日本語）" }),
    requestId: z.string().optional(),
  })
  .openapi("Problem");

export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});
