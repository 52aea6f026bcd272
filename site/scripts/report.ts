// The report page's script (/report/?agency=ID): pre-fills the agency from the link and shows its
// name (from the search data the guide already caches), checks the fields by the API's own rules,
// sends the report as JSON to POST /api/v1/reports and shows the 受付番号, or the errors beside the
// fields with what was typed kept. Without a network it keeps the report on this device and sends
// it when the network returns (the `online` event, or the next time this page opens online).
import type { FieldError } from "../../edge/domain/errors.ts";
import { agencyLabel, cleanReport, type NamedAgency, pickAgency, REPORT_MESSAGES, type ReportInput } from "../../edge/domain/report.ts";
import { errorId, fieldId } from "../lib/form-errors.ts";
import { waitText } from "../lib/format.ts";
import { decodeSearchData, SEARCH_DATA_URL } from "../lib/search-format.ts";
import { type FlushOutcome, queueReport, sendQueuedReports, sendReport } from "./report-queue.ts";

const FIELDS = ["agency", "message", "sourceUrl", "contact"] as const;
type Field = (typeof FIELDS)[number];

const form = document.getElementById("report-form");
const statusLine = document.getElementById("report-status");
const agencyIdInput = document.getElementById("f-agencyId");
const input = (name: Field) => document.getElementById(fieldId(name)) as HTMLInputElement | HTMLTextAreaElement | null;

let agencies: NamedAgency[] | undefined;
/** The agency the link named (or the box last resolved to), and the text the box showed for it. */
let chosen: { id: string; shown: string } | undefined;

async function loadAgencies(): Promise<NamedAgency[] | undefined> {
  if (agencies !== undefined) return agencies;
  try {
    const res = await fetch(SEARCH_DATA_URL);
    if (!res.ok) return undefined;
    agencies = decodeSearchData(await res.json()).entries.map((e) => ({ id: e.id, name: e.name, prefecture: e.prefecture }));
    return agencies;
  } catch {
    return undefined;
  }
}

function say(text: string, state: "sent" | "queued" | "info" = "info"): void {
  if (statusLine === null) return;
  statusLine.dataset["state"] = state;
  statusLine.textContent = text;
}

/** Errors beside the fields and in the summary at the top (none: both cleared). */
function showErrors(list: readonly FieldError[], title = ""): void {
  const byField = new Map<Field, string[]>();
  for (const e of list) {
    const name: Field | null =
      e.field === "agencyId" ? "agency" : (FIELDS as readonly string[]).includes(e.field) ? (e.field as Field) : null;
    if (name !== null) byField.set(name, [...(byField.get(name) ?? []), e.message]);
  }
  for (const name of FIELDS) {
    const box = document.getElementById(errorId(name));
    const messages = byField.get(name) ?? [];
    if (box !== null) box.textContent = messages.join(" ");
    const field = input(name);
    if (messages.length > 0) field?.setAttribute("aria-invalid", "true");
    else field?.removeAttribute("aria-invalid");
  }
  const summary = document.getElementById("error-summary");
  const heading = document.getElementById("error-summary-title");
  const text = document.getElementById("error-summary-text");
  const items = document.getElementById("error-summary-list");
  if (summary === null || heading === null || text === null || items === null) return;
  items.replaceChildren(
    ...list.map((e) => {
      const li = document.createElement("li");
      const name = e.field === "agencyId" ? "agency" : e.field;
      if ((FIELDS as readonly string[]).includes(name)) {
        const a = document.createElement("a");
        a.href = `#${fieldId(name)}`;
        a.textContent = e.message;
        li.append(a);
      } else li.textContent = e.message;
      return li;
    }),
  );
  heading.textContent = list.length > 0 ? `入力内容を確認してください（${list.length}件）` : "送信できませんでした";
  text.textContent = title;
  summary.hidden = list.length === 0 && title === "";
  if (!summary.hidden) summary.focus();
}

/** The agency id to send: the one the link named while the box still shows it, else the box as typed. */
async function agencyIdOf(typed: string): Promise<{ id: string } | { error: string }> {
  if (chosen !== undefined && typed === chosen.shown) return { id: chosen.id };
  if (typed.trim() === "") return { error: REPORT_MESSAGES.agencyMissing };
  const list = await loadAgencies();
  // Without the list (never loaded), the API judges the text as an id.
  if (list === undefined) return { id: typed.trim() };
  const picked = pickAgency(typed, list);
  if (picked === null) return { error: REPORT_MESSAGES.agencyUnknown };
  if ("ambiguous" in picked) return { error: REPORT_MESSAGES.agencyAmbiguous };
  return { id: picked.agency.id };
}

function clearWritten(): void {
  for (const name of ["message", "sourceUrl", "contact"] as const) {
    const field = input(name);
    if (field !== null) field.value = "";
  }
}

function sayFlushed(outcome: FlushOutcome): void {
  const parts: string[] = [];
  if (outcome.sent.length > 0) parts.push(`保存していた報告を送信しました（受付番号 ${outcome.sent.map((s) => s.id).join("、")}）。`);
  for (const r of outcome.refused) parts.push(`保存していた報告を送信できませんでした: ${r.title}`);
  if (outcome.left > 0 && parts.length > 0) parts.push(`残り${outcome.left}件は、通信できるときに送信します。`);
  if (parts.length > 0) say(parts.join(""), outcome.left > 0 ? "queued" : "sent");
}

const QUEUED = "オフラインのため端末に保存しました。通信が戻ったら自動で送信します";

async function submit(): Promise<void> {
  const typed = Object.fromEntries(FIELDS.map((name) => [name, input(name)?.value ?? ""])) as Record<Field, string>;
  const agency = await agencyIdOf(typed.agency);
  const checked = cleanReport({
    agencyId: "id" in agency ? agency.id : "-",
    message: typed.message,
    sourceUrl: typed.sourceUrl,
    contact: typed.contact,
  });
  const errors = [...("error" in agency ? [{ field: "agencyId", message: agency.error }] : []), ...(checked.ok ? [] : checked.errors)];
  if (errors.length > 0 || !checked.ok) {
    showErrors(errors, "入力内容に誤りがあります");
    say("");
    return;
  }
  const report: ReportInput = checked.report;
  const queue = () => {
    if (queueReport(report)) {
      showErrors([]);
      clearWritten();
      say(QUEUED, "queued");
    } else showErrors([], "通信できず、この端末にも保存できませんでした。通信できるときにもう一度送信してください");
  };
  if (!navigator.onLine) return queue();
  say("送信しています…");
  const result = await sendReport(report);
  if (result.kind === "offline") return queue();
  if (result.kind === "sent") {
    showErrors([]);
    clearWritten();
    say(`送信しました（受付番号 ${result.id}）`, "sent");
    return;
  }
  say("");
  if (result.kind === "later") {
    showErrors(
      [],
      `送信が多すぎます。${result.retryAfter === null ? "しばらく" : `${waitText(result.retryAfter)}ほど`}待ってから、もう一度お試しください。`,
    );
    return;
  }
  showErrors(result.problem.errors ?? [], result.problem.title ?? "送信できませんでした");
}

async function prefill(): Promise<void> {
  const id = new URLSearchParams(location.search).get("agency")?.trim() ?? "";
  const box = input("agency");
  if (id === "" || box === null || box.value !== "") return;
  box.value = id;
  chosen = { id, shown: id };
  if (agencyIdInput instanceof HTMLInputElement) agencyIdInput.value = id;
  const found = (await loadAgencies())?.find((a) => a.id === id);
  if (found !== undefined && box.value === id) {
    box.value = agencyLabel(found);
    chosen = { id, shown: box.value };
  }
}

if (form instanceof HTMLFormElement) {
  let sending = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // One report per press: a second press while the first is on its way does nothing.
    if (sending) return;
    sending = true;
    void submit().finally(() => {
      sending = false;
    });
  });
  // A changed box is resolved again when sent; the form's own post (no script) must not carry the old id.
  input("agency")?.addEventListener("input", () => {
    if (agencyIdInput instanceof HTMLInputElement) agencyIdInput.value = "";
  });
  void prefill();
  sendQueuedReports(sayFlushed);
}
