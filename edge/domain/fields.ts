// Field schemas shared by the API and the forms, with their Japanese messages.
import { z } from "zod";
import { EARLIEST_DATE, formatWareki, isCalendarDate, LATEST_DATE } from "./era.ts";

/**
 * The type error of a text field: a repeated query parameter (?a=1&a=2) arrives as an array, and
 * deserves its own message rather than "wrong format".
 */
export const textError = (label: string, message: string) => (issue: { input?: unknown }) =>
  Array.isArray(issue.input) ? `${label}は1回だけ指定してください` : message;

/** A calendar date YYYY-MM-DD within the platform's plausible range. */
export function calendarDate(label: string) {
  const format = `${label}は YYYY-MM-DD 形式の日付で入力してください（例: 2025-06-01）`;
  const range = `${label}は${formatWareki(EARLIEST_DATE)}から${formatWareki(LATEST_DATE)}までの日付で入力してください`;
  return z
    .string({ error: textError(label, format) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: format, abort: true })
    .refine(isCalendarDate, { error: `${label}は実在する日付で入力してください`, abort: true })
    .refine((d) => d >= EARLIEST_DATE && d <= LATEST_DATE, { error: range });
}

/** One of a closed vocabulary, with the allowed words in the message. */
export function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: textError(label, `${label}は ${values.join("・")} のいずれかを指定してください`) });
}
