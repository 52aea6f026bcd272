// Query parameters arrive as text: numbers are decimal integers written plainly (no 1e3, 0x10,
// spaces or signs), and every message says what is allowed, in Japanese.
import { z } from "@hono/zod-openapi";
import { textError } from "../domain/fields.ts";

export function intQuery(label: string, min: number, max: number) {
  const message = `${label}は${min}から${max}までの整数（半角数字）で指定してください`;
  return z
    .string({ error: textError(label, message) })
    .regex(/^[0-9]{1,9}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));
}
