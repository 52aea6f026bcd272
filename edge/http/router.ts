// Every router is made here, so every one turns zod failures into the same Japanese 422.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ZodError } from "zod";
import type { FieldError } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";
import { problem } from "./problem.ts";

export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length === 0 ? "(root)" : issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c: Context<AppEnv>) => {
      if (result.success) return;
      return problem(c, 422, { title: "入力内容に誤りがあります", code: "validation_failed", errors: fieldErrors(result.error) });
    },
  });
}
