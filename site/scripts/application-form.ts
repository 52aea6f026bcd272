// The application form, enhanced: the agency picked from the guide's search as you type, the live %
// of the contract price for each guarantee amount, and the API's own rules (edge/domain/application.ts)
// run before sending, so each field says what the API would say. The form works without any of it.
import { z } from "zod";
import { ApplicationDraft, fieldErrorsOf, percentLimits, percentOf, submittable } from "../../edge/domain/application.ts";
import type { FieldError } from "../../edge/domain/errors.ts";
import { guaranteeKinds, type WorkType } from "../../edge/domain/terms.ts";
import {
  AGENCY_ID,
  AGENCY_QUERY,
  appliedKinds,
  draftFromValues,
  type FormValues,
  formNames,
  gName,
  inputFor,
  parseYen,
  valuesFrom,
} from "../lib/application-form.ts";
import { errorId, type FormErrors, fieldId, formErrors, messageOf } from "../lib/form-errors.ts";
import { decodeRulesData, RULES_DATA_URL, type RulesData, ruleFor } from "../lib/search-format.ts";
import { type AgencyIndex, fetchJson, loadAgencyIndex } from "./agency-data.ts";
import { type AgencyOption, agencyOptions } from "./agency-suggest.ts";
import { combobox } from "./combobox.ts";

z.config(z.locales.ja()); // the API's words for zod's own messages

const form = document.querySelector<HTMLFormElement>("form[data-application-form]");
if (form !== null) enhance(form);

function enhance(form: HTMLFormElement): void {
  let agencies: AgencyIndex | undefined;
  let rules: RulesData | undefined;
  /** Inputs whose errors are shown: the ones the server marked, the ones left, and all after a send. */
  const shown = new Set<string>();
  for (const name of [...formNames, "guarantees"]) {
    if ((document.getElementById(errorId(name))?.textContent ?? "").trim() !== "") shown.add(name);
  }

  const values = (): FormValues => {
    const data = new FormData(form);
    return valuesFrom((n) => {
      const v = data.get(n);
      return typeof v === "string" ? v : null;
    });
  };

  // ---- the agency: search as you type (the guide's data), the id in the hidden input --------------
  const agencyInput = form.querySelector<HTMLInputElement>("[data-agency-input]");
  const listbox = form.querySelector<HTMLUListElement>("#agency-options");
  form.querySelector<HTMLButtonElement>("[data-agency-find]")?.setAttribute("hidden", "");
  const hiddenId = (): HTMLInputElement => {
    let input = form.querySelector<HTMLInputElement>("input[data-agency-id]");
    if (input === null) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = AGENCY_ID;
      input.dataset["agencyId"] = "";
      form.append(input);
    }
    return input;
  };
  if (agencyInput !== null && listbox !== null) {
    agencyInput.setAttribute("role", "combobox");
    agencyInput.setAttribute("aria-autocomplete", "list");
    agencyInput.setAttribute("aria-expanded", "false");
    agencyInput.setAttribute("aria-controls", listbox.id);
    // The search page's suggestions: matches, the other name they matched by, and もしかして for near spellings.
    combobox<AgencyOption>({
      input: agencyInput,
      listbox,
      suggest: (text) => (agencies === undefined ? [] : agencyOptions(agencies, text)),
      onSelect: (option) => {
        // A pick replaces the server's candidate list; clearing the text clears the pick.
        form.querySelector("fieldset.candidates")?.remove();
        hiddenId().value = option === null ? "" : option.id;
        touch(AGENCY_QUERY);
      },
    });
  }

  // ---- live % of the contract price --------------------------------------------------------------
  function percents(v: FormValues): void {
    const price = parseYen(v["project.contractPrice"]);
    const work = (v["project.workType"] ?? null) as WorkType | null;
    for (const kind of guaranteeKinds) {
      const out = form.querySelector<HTMLElement>(`[data-percent="${kind}"]`);
      if (out === null) continue;
      const amount = parseYen(v[gName(kind, "amount")]);
      const { min, max } = percentLimits(kind, work);
      const limit = [min === null ? null : `${min}%以上`, max === 100 ? null : `${max}%以内`].filter(Boolean).join("・");
      const pct = typeof amount === "number" && typeof price === "number" ? percentOf(amount, price) : null;
      const now = pct === null ? "請負金額と保証金額を入力すると割合を表示します" : `請負金額の${pct.toFixed(1)}%`;
      const text = limit === "" ? now : `${now}（${limit}）`;
      if (out.textContent !== text) out.textContent = text;
      out.dataset["over"] = String(pct !== null && ((min !== null && pct < min) || pct > max));
    }
  }

  // ---- the API's rules, here -------------------------------------------------------------------------
  /**
   * Errors as the API would give them: a save's type checks, or a submit's every rule. `complete`
   * is false where only the server can tell (the guide's data not loaded, an agency typed but not
   * picked: the server looks the name up); then nothing is held back for it.
   */
  function check(v: FormValues, forSubmit: boolean): { errors: FieldError[]; warnings: FieldError[]; complete: boolean } {
    const parsed = ApplicationDraft.safeParse(draftFromValues(v));
    if (!parsed.success) return { errors: fieldErrorsOf(parsed.error), warnings: [], complete: true };
    if (!forSubmit || agencies === undefined || rules === undefined) return { errors: [], warnings: [], complete: !forSubmit };
    const agencyId = v[AGENCY_ID];
    const entry = agencyId === undefined ? undefined : agencies.byId.get(agencyId);
    const known = entry !== undefined || ((v[AGENCY_QUERY] ?? "").trim() === "" && agencyId === undefined);
    const result = submittable(parsed.data, entry === undefined ? undefined : ruleFor(entry, rules));
    const errors = result.ok ? [] : result.errors;
    return { errors: known ? errors : errors.filter((e) => e.field !== AGENCY_ID), warnings: result.warnings, complete: known };
  }

  /** The cases the sources leave open (staff decide): said beside the delivery choice, as the desk will see them. */
  function showWarnings(warnings: FieldError[], v: FormValues): void {
    const placed = formErrors(warnings, inputFor(appliedKinds(v)));
    for (const box of form.querySelectorAll<HTMLElement>("[data-warning]")) {
      const message = messageOf(placed, box.dataset["warning"] ?? "");
      if (box.textContent !== message) box.textContent = message;
      box.hidden = message === "";
    }
  }

  function show(errors: FormErrors, names: Iterable<string>): void {
    for (const name of names) {
      const message = messageOf(errors, name);
      const error = document.getElementById(errorId(name));
      if (error !== null && error.textContent !== message) error.textContent = message;
      const input = document.getElementById(fieldId(name));
      if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement || input instanceof HTMLTextAreaElement) {
        if (message === "") input.removeAttribute("aria-invalid");
        else input.setAttribute("aria-invalid", "true");
      }
    }
  }

  /** Live messages for the inputs in `shown`, with the rules of a submit (what 「送信」 will need). */
  function live(): void {
    const v = values();
    percents(v);
    const { errors, warnings } = check(v, true);
    show(formErrors(errors, inputFor(appliedKinds(v))), shown);
    if (agencies !== undefined) showWarnings(warnings, v);
  }

  function touch(name: string): void {
    shown.add(name);
    live();
  }

  function summarise(errors: FormErrors, title: string): void {
    const box = document.getElementById("error-summary");
    const list = document.getElementById("error-summary-list");
    const heading = document.getElementById("error-summary-title");
    const text = document.getElementById("error-summary-text");
    if (box === null || list === null || heading === null || text === null) return;
    heading.textContent = `入力内容を確認してください（${errors.summary.length}件）`;
    text.textContent = title;
    list.replaceChildren(
      ...errors.summary.map((e) => {
        const li = document.createElement("li");
        if (e.href === null) li.textContent = e.message;
        else {
          const a = document.createElement("a");
          a.href = e.href;
          a.textContent = e.message;
          li.append(a);
        }
        return li;
      }),
    );
    box.hidden = false;
    box.focus();
  }

  const nameOf = (target: EventTarget | null): string | null => {
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement)) return null;
    if (target.name === AGENCY_ID) return AGENCY_QUERY;
    // A radio group or a box speaks for its guarantee section's field.
    return target.name === "" ? null : target.name;
  };
  form.addEventListener("input", () => percents(values()));
  form.addEventListener("change", (event) => {
    const name = nameOf(event.target);
    if (name !== null) touch(name);
    else live();
  });

  form.addEventListener("submit", (event) => {
    const action = event.submitter instanceof HTMLButtonElement ? event.submitter.value : "save";
    if (action === "find-agency") return;
    const v = values();
    const { errors, complete } = check(v, action === "submit");
    const status = form.querySelector<HTMLElement>("[data-live-status]");
    if (errors.length === 0) {
      if (status !== null) status.textContent = complete ? "" : "送信すると保証会社のシステムで内容を確認します。";
      return;
    }
    event.preventDefault();
    const placed = formErrors(errors, inputFor(appliedKinds(v)));
    for (const name of Object.keys(placed.byName)) shown.add(name);
    show(placed, shown);
    summarise(
      placed,
      action === "submit" ? "申込みの内容に誤りがあります。表示された項目を直してから送信してください" : "入力内容に誤りがあります",
    );
  });

  percents(values());
  Promise.all([loadAgencyIndex(), fetchJson(RULES_DATA_URL).then(decodeRulesData)])
    .then(([index, data]) => {
      agencies = index;
      rules = data;
      live(); // errors of the fields already shown, and the warnings of the draft as loaded
      // Text typed while the list loaded gets its suggestions now.
      if (agencyInput !== null && document.activeElement === agencyInput && agencyInput.value.trim() !== "")
        agencyInput.dispatchEvent(new Event("input"));
    })
    .catch(() => {
      // offline or stale data: the server still checks everything when the form is sent
    });
}
