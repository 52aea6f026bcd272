// Reports kept on this device while there is no network, and sent when it returns. Small and
// self-contained (no search data, no form, no zod): the report page loads it, and any page may load
// it to send what is waiting: sendQueuedReports() at once when online, and on every `online` event.
import type { ReportInput } from "../../edge/domain/report.ts";

export const QUEUE_KEY = "denshi-hosho:report-queue:v1";
export const REPORTS_URL = "/api/v1/reports";

export interface QueuedReport {
  /** This device's own id for the entry (so one that was sent is removed, and only it). */
  key: string;
  report: ReportInput;
  queuedAt: string;
}

const isReport = (v: unknown): v is QueuedReport => {
  if (typeof v !== "object" || v === null) return false;
  const q = v as Partial<QueuedReport>;
  return typeof q.key === "string" && typeof q.report?.agencyId === "string" && typeof q.report.message === "string";
};

export function queuedReports(): QueuedReport[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(QUEUE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isReport) : [];
  } catch {
    return [];
  }
}

function store(queue: QueuedReport[]): void {
  if (queue.length === 0) localStorage.removeItem(QUEUE_KEY);
  else localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
}

/** Keep a report for later; false when the device will not store it (private mode, full). */
export function queueReport(report: ReportInput): boolean {
  try {
    store([...queuedReports(), { key: crypto.randomUUID(), report, queuedAt: new Date().toISOString() }]);
    return true;
  } catch {
    return false;
  }
}

export type SendResult =
  | { kind: "sent"; id: string }
  /** No network (or the answer never came): try again later. */
  | { kind: "offline" }
  /** Too many reports from this client: try again later. */
  | { kind: "later"; retryAfter: number | null }
  /** The API refused it (problem+json): it will never be accepted as it is. */
  | { kind: "refused"; status: number; problem: { title?: string; errors?: { field: string; message: string }[] } };

export async function sendReport(report: ReportInput): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(REPORTS_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(report),
      credentials: "omit",
    });
  } catch {
    return { kind: "offline" };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 201 && typeof body["id"] === "string") return { kind: "sent", id: body["id"] };
  if (res.status === 429) {
    const retry = Number(res.headers.get("retry-after"));
    return { kind: "later", retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null };
  }
  // A 5xx or a page that is not the API's (a captive portal): not the report's fault, keep it.
  if (res.status >= 500 || !(res.headers.get("content-type") ?? "").includes("json")) return { kind: "offline" };
  return { kind: "refused", status: res.status, problem: body as { title?: string } };
}

export interface FlushOutcome {
  sent: { id: string; report: ReportInput }[];
  refused: { report: ReportInput; title: string }[];
  left: number;
}

let running: Promise<FlushOutcome> | undefined;

/**
 * Send what is waiting, oldest first, one at a time; stop at the first that cannot go now. One flush
 * at a time in this page, and across tabs where the browser has Web Locks, so none is sent twice.
 */
export function flushReports(): Promise<FlushOutcome> {
  running ??= (async () => {
    try {
      const work = () => flushOnce();
      return navigator.locks === undefined ? await work() : await navigator.locks.request("denshi-hosho:report-queue", work);
    } finally {
      running = undefined;
    }
  })();
  return running;
}

async function flushOnce(): Promise<FlushOutcome> {
  const outcome: FlushOutcome = { sent: [], refused: [], left: 0 };
  for (const entry of queuedReports()) {
    if (!navigator.onLine) break;
    const result = await sendReport(entry.report);
    if (result.kind === "offline" || result.kind === "later") break;
    if (result.kind === "sent") outcome.sent.push({ id: result.id, report: entry.report });
    else outcome.refused.push({ report: entry.report, title: result.problem.title ?? "送信できませんでした" });
    store(queuedReports().filter((q) => q.key !== entry.key));
  }
  outcome.left = queuedReports().length;
  return outcome;
}

/**
 * Send what is waiting now (when online and something waits) and whenever the network returns;
 * `onOutcome` hears what was sent or refused. For the report page, and for any page that loads it.
 */
export function sendQueuedReports(onOutcome: (outcome: FlushOutcome) => void = () => {}): void {
  const run = () => {
    if (navigator.onLine && queuedReports().length > 0) void flushReports().then(onOutcome);
  };
  addEventListener("online", run);
  run();
}
