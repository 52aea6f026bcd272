// 「対象判定」: the agency's rule (built with ruleOf at build time) and the job's dates go through
// the same checkEligibility the API serves, here in the browser.
import type { AgencyRule, DateField, EligibilityInput, EligibilityResult } from "../../edge/domain/eligibility.ts";
import { checkEligibility, nextStep, type Verdict } from "../../edge/domain/eligibility.ts";

const VERDICT_TEXT: Record<Verdict, string> = {
  eligible: "対象です（電子保証で提出できます）",
  ineligible: "対象外です（書面の保証証書で提出します）",
  uncertain: "要確認です（資料だけでは判断できません）",
};
const VERDICT_CLASS: Record<Verdict, string> = { eligible: "yes", ineligible: "no", uncertain: "maybe" };

import { searchIndex } from "../../edge/domain/search.ts";
import type { GuaranteeKind, Issuer, WorkType } from "../../edge/domain/terms.ts";
import { labels } from "../../edge/domain/terms.ts";
import { startPhrase } from "../lib/agency-text.ts";
import { type AgencyEntry, decodeRulesData, RULES_DATA_URL, type RulesData, ruleFor } from "../lib/search-format.ts";
import { type AgencyIndex, fetchJson, loadAgencyIndex } from "./agency-data.ts";
import { type AgencyOption, agencyOption, agencyOptions } from "./agency-suggest.ts";
import { combobox } from "./combobox.ts";
import { el } from "./dom.ts";

type Field = "agency" | "guarantee" | "work" | DateField;
const DATE_FIELDS: readonly DateField[] = ["bidAnnouncedOn", "contractedOn", "originalContractedOn"];

const form = el("check-form", HTMLFormElement);
const agencyInput = el("agency-input", HTMLInputElement);
const selectedBox = el("agency-selected", HTMLDivElement);
const datesHint = el("dates-hint", HTMLParagraphElement);
const result = el("check-result", HTMLDivElement);
const dateInput = (f: DateField) => el(f, HTMLInputElement);

let agencies: AgencyIndex | undefined;
let rules: RulesData | undefined;
let agency: AgencyEntry | null = null;
let checked = false;
/** Set while the form itself picks the agency, so the pick does not start a second check. */
let quiet = false;

/** The agency as a picked option (a pick made by the form itself, not from the list). */
const optionOf = (e: AgencyEntry): AgencyOption => agencyOption({ doc: e, via: null }, false);
// The search page's suggestions: matches, the other name they matched by, and もしかして for near spellings.
const picker = combobox<AgencyOption>({
  input: agencyInput,
  listbox: el("agency-options", HTMLUListElement),
  suggest: (text) => (agencies === undefined ? [] : agencyOptions(agencies, text)),
  onSelect: (option) => {
    agency = option === null ? null : (agencies?.byId.get(option.id) ?? null);
    showAgency();
    if (agency !== null) history.replaceState(null, "", `?agency=${encodeURIComponent(agency.id)}`);
    else result.replaceChildren(); // a verdict about the previous agency must not stay on screen
    if (checked && agency !== null && !quiet) run(false);
  },
});

function currentRule(): AgencyRule | null {
  return agency === null || rules === undefined ? null : ruleFor(agency, rules);
}

/** Which dates the chosen agency's rule compares with its start date. */
function neededDates(rule: AgencyRule): { fields: DateField[]; text: string } {
  const name = rule.name;
  if (rule.status === "unknown" || rule.status === "none")
    return { fields: [], text: `${name}は導入の記載がないため、日付は判定に使いません。` };
  if (rule.startsOn === null) return { fields: [], text: `${name}は開始日の記載がないため、日付は判定に使いません。` };
  if (rule.basis === "bid") return { fields: ["bidAnnouncedOn"], text: `${name}は入札公告日で判定します。入札公告日を入力してください。` };
  if (rule.basis === "contract")
    return {
      fields: ["contractedOn"],
      text: `${name}は契約締結日で判定します。変更契約なら当初契約日も入力してください（当初契約日で判定します）。`,
    };
  return { fields: [], text: `資料に基準日の記載がないため、契約締結日（なければ入札公告日）で判定します。どちらかを入力してください。` };
}

function showAgency(): void {
  const rule = currentRule();
  const needed = rule === null ? [] : neededDates(rule).fields;
  for (const f of DATE_FIELDS) {
    const required = needed.includes(f);
    el(`${f}-req`, HTMLSpanElement).hidden = !required;
    dateInput(f).setAttribute("aria-required", String(required));
  }
  datesHint.textContent = rule === null ? "発注者を選ぶと、判定に使う日付を示します。" : neededDates(rule).text;
  if (agency === null || rule === null) {
    selectedBox.hidden = true;
    selectedBox.replaceChildren();
    return;
  }
  const line = document.createElement("p");
  const link = document.createElement("a");
  link.href = agency.url;
  link.textContent = `${agency.name}の導入内容と出典`;
  const facts = [agency.prefecture ?? "全国", agency.statusLabel, startPhrase(agency.status, agency.startsOn, agency.startsOnPrecision)];
  if (rule.basis !== null) facts.push(`基準: ${labels.basis[rule.basis]}`);
  line.append(`選択中: ${agency.name}（${facts.filter((s) => s !== "").join("・")}） `, link);
  selectedBox.replaceChildren(line);
  selectedBox.hidden = false;
}

function setError(field: Field, message: string): void {
  el(`${field}-error`, HTMLParagraphElement).textContent = message;
  const target = fieldElement(field);
  if (message === "") target.removeAttribute("aria-invalid");
  else target.setAttribute("aria-invalid", "true");
}

function fieldElement(field: Field): HTMLInputElement | HTMLSelectElement {
  if (field === "agency") return agencyInput;
  if (field === "guarantee" || field === "work") return el(field, HTMLSelectElement);
  return dateInput(field);
}

const choice = (id: "guarantee" | "work" | "issuer"): string | null => {
  const value = el(id, HTMLSelectElement).value;
  return value === "" ? null : value;
};

/** Reads the form; a half-typed date (badInput) is an error of its own, not an empty field. */
function readForm(): { input: EligibilityInput | null; errors: { field: Field; message: string }[] } {
  const errors: { field: Field; message: string }[] = [];
  if (agency === null) {
    // Typed but not picked: take the agency when the text names it exactly or finds only it.
    const found = agencies === undefined ? [] : searchIndex(agencies.index, agencyInput.value, 2);
    const exact = found.length === 1 || found[0]?.name === agencyInput.value.trim() ? found[0] : undefined;
    if (exact !== undefined) {
      quiet = true;
      picker.select(optionOf(exact));
      quiet = false;
    } else
      errors.push({
        field: "agency",
        message: agencyInput.value.trim() === "" ? "発注者を入力し、候補から選んでください" : "候補から発注者を選んでください",
      });
  }
  const guarantee = choice("guarantee") as GuaranteeKind | null;
  const work = choice("work") as WorkType | null;
  const issuer = (choice("issuer") ?? "surety") as Issuer;
  if (guarantee === null) errors.push({ field: "guarantee", message: "保証の種類を選んでください" });
  if (work === null) errors.push({ field: "work", message: "業務の種類を選んでください" });
  const dates: Partial<Record<DateField, string>> = {};
  for (const f of DATE_FIELDS) {
    const input = dateInput(f);
    if (input.validity.badInput) errors.push({ field: f, message: "日付が正しくありません。年・月・日をすべて入力してください" });
    else if (input.value !== "") dates[f] = input.value;
  }
  if (errors.length > 0 || guarantee === null || work === null) return { input: null, errors };
  return { input: { guarantee, work, issuer, ...dates }, errors };
}

function showDecision(rule: AgencyRule, decided: Extract<EligibilityResult, { kind: "decided" }>, input: EligibilityInput): void {
  const title = document.createElement("h2");
  title.textContent = "判定結果";
  const verdict = document.createElement("p");
  verdict.className = `verdict ${VERDICT_CLASS[decided.verdict]}`;
  verdict.dataset["verdict"] = decided.verdict;
  verdict.textContent = VERDICT_TEXT[decided.verdict];
  const list = document.createElement("ul");
  list.append(
    ...decided.reasons.map((r) => {
      const li = document.createElement("li");
      li.textContent = r.message;
      return li;
    }),
  );
  const next = document.createElement("p");
  next.className = "next-step";
  next.dataset["nextStep"] = "";
  next.textContent = nextStep(rule, decided.verdict).message;
  const more = document.createElement("p");
  more.className = "note";
  const params = new URLSearchParams({ agency: agency?.id ?? "", guarantee: input.guarantee, work: input.work, issuer: input.issuer });
  for (const f of DATE_FIELDS) if (input[f] !== undefined) params.set(f, input[f] ?? "");
  const page = document.createElement("a");
  page.href = agency?.url ?? "/agencies/";
  page.textContent = `${rule.name}の導入内容と出典`;
  const api = document.createElement("a");
  api.href = `/api/v1/eligibility?${params}`;
  api.textContent = "API の同じ判定（JSON）";
  more.append("根拠: ", page, "。", api, "。最終的な取扱いは発注者にご確認ください。");
  result.replaceChildren(title, verdict, next, list, more);
}

function run(moveFocus: boolean): void {
  for (const f of ["agency", "guarantee", "work", ...DATE_FIELDS] as const) setError(f, "");
  const read = readForm();
  const rule = currentRule();
  let errors = read.errors;
  if (read.input !== null && rule !== null) {
    const outcome = checkEligibility(rule, read.input);
    if (outcome.kind === "decided") {
      showDecision(rule, outcome, read.input);
      // On a phone the verdict is below the fold: bring it into view (the live region reads it out).
      if (moveFocus)
        result.scrollIntoView({ block: "nearest", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
      return;
    }
    errors = outcome.errors;
  }
  for (const e of errors) setError(e.field, e.message);
  const heading = document.createElement("h2");
  heading.textContent = "入力を確認してください";
  const text = document.createElement("p");
  text.textContent = `${errors.length}件の入力に誤りや不足があります。各項目の下の説明をご覧ください。`;
  result.replaceChildren(heading, text);
  const first = errors[0];
  if (moveFocus && first !== undefined) fieldElement(first.field).focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  checked = true;
  run(true);
});
form.addEventListener("change", (event) => {
  if (checked && event.target !== agencyInput) run(false);
});

form.hidden = false;
el("check-nojs", HTMLElement).hidden = true;
Promise.all([loadAgencyIndex(), fetchJson(RULES_DATA_URL).then(decodeRulesData)])
  .then(([loadedAgencies, loadedRules]) => {
    agencies = loadedAgencies;
    rules = loadedRules;
    const wanted = new URLSearchParams(location.search).get("agency");
    const preset = wanted === null ? undefined : agencies.byId.get(wanted);
    if (preset !== undefined) picker.select(optionOf(preset));
    else if (wanted !== null) setError("agency", "指定された発注者が見つかりません。名前で探して選んでください");
    // Text typed while the list loaded gets its suggestions now.
    else if (document.activeElement === agencyInput && agencyInput.value.trim() !== "") agencyInput.dispatchEvent(new Event("input"));
  })
  .catch(() => {
    result.textContent = "発注者のデータを読み込めませんでした。通信状態を確認して、ページを再読み込みしてください。";
  });
