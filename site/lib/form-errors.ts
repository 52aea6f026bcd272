// Field errors as the forms show them: beside each field (by the input's name) and in the summary
// at the top, each summary line a link to its field. Pure: the pages and the form script share it.
import type { FieldError } from "../../edge/domain/errors.ts";

/** The id of the input named `name` (names are the API's dotted paths: project.name → f-project-name). */
export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
export const errorId = (name: string): string => `${fieldId(name)}-error`;

export interface FormErrors {
  /** Messages per input name. */
  byName: Record<string, string[]>;
  /** Every message once, in the order given, with the anchor of its field where there is one. */
  summary: { href: string | null; message: string }[];
}

export const noErrors = (): FormErrors => ({ byName: {}, summary: [] });

/**
 * `errors` from the API (or the same rules run in the browser), placed on the form: `nameOf`
 * turns an API field (guarantees.0.amount) into the input's name, or null when no input shows it.
 */
export function formErrors(errors: readonly FieldError[], nameOf: (field: string) => string | null = (f) => f): FormErrors {
  const out = noErrors();
  const seen = new Set<string>();
  for (const e of errors) {
    const name = nameOf(e.field);
    const key = `${name ?? ""}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (name !== null) out.byName[name] = [...(out.byName[name] ?? []), e.message];
    out.summary.push({ href: name === null ? null : `#${fieldId(name)}`, message: e.message });
  }
  return out;
}

/** The messages for one input, joined for display. */
export const messageOf = (errors: FormErrors, name: string): string => (errors.byName[name] ?? []).join(" ");
