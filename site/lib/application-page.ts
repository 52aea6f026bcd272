// The application form's post, on the server: find the agency the clerk typed (when no script
// picked it), save the draft (POST or PATCH), submit it when asked, and either redirect (PRG) or
// hand the page what to show again: the values as typed, each error beside its field.
import { ApplicationDraft, submittable } from "../../edge/domain/application.ts";
import { labels } from "../../edge/domain/terms.ts";
import type { Api, Problem } from "./api.ts";
import { AGENCY_ID, AGENCY_QUERY, appliedKinds, draftFromValues, type FormValues, inputFor, valuesFrom } from "./application-form.ts";
import { type FormErrors, formErrors, noErrors } from "./form-errors.ts";
import { readForm, text, tokenFrom } from "./page.ts";
import type { Access } from "./session.ts";

export interface AgencyCandidate {
  id: string;
  name: string;
  detail: string;
}

interface Agency {
  id: string;
  name: string;
  prefecture: string | null;
  adoption: { status: keyof typeof labels.status };
}

/** What the form page renders after a post that did not redirect. */
export interface FormState {
  values: FormValues;
  errors: FormErrors;
  title?: string;
  candidates?: AgencyCandidate[];
  /** The query the candidates were found for (a radio picked among them wins over it). */
  candidatesFor?: string;
  /** Set once a draft exists (the form then posts to its page and PATCHes). */
  id?: string;
  version?: number;
  createKey?: string;
  submitKey: string;
  warnings: { field: string; message: string }[];
  status: number;
  /** Not a form error: show the error page instead (403 cross-origin, 404, 409 not a draft). */
  problem?: Problem;
}

const detailOf = (a: Agency) => `${a.prefecture ?? "全国"}・${labels.status[a.adoption.status]}`;

/**
 * The agency field: the id a script or a radio picked, if it still matches the typed name; else a
 * lookup of the name (GET /api/v1/agencies?q=): one exact match is taken, anything else is
 * offered as candidates.
 */
async function resolveAgency(api: Api, values: FormValues, candidatesFor: string): Promise<AgencyCandidate[] | null> {
  const query = (values[AGENCY_QUERY] ?? "").trim();
  const id = values[AGENCY_ID];
  if (query === "") {
    delete values[AGENCY_ID];
    return null;
  }
  if (id !== undefined) {
    const picked = await api.get<Agency>(`/api/v1/agencies/${encodeURIComponent(id)}`);
    if (picked.ok && (picked.data.name === query || query === candidatesFor)) {
      values[AGENCY_QUERY] = picked.data.name;
      return null;
    }
  }
  delete values[AGENCY_ID];
  const found = await api.get<{ items: Agency[] }>(`/api/v1/agencies?q=${encodeURIComponent(query)}&limit=10`);
  const items = found.ok ? found.data.items : [];
  const exact = items.filter((a) => a.name === query);
  if (exact.length === 1 && exact[0] !== undefined) {
    values[AGENCY_ID] = exact[0].id;
    return null;
  }
  return items.map((a) => ({ id: a.id, name: a.name, detail: detailOf(a) }));
}

interface Saved {
  id: string;
  version: number;
}

/** The form as posted: its values and hidden fields, nothing checked yet. */
export function postedState(form: FormData, draftId: string | undefined): FormState {
  const versionText = text(form, "version");
  return {
    values: valuesFrom((n) => {
      const v = form.get(n);
      return typeof v === "string" ? v : null;
    }),
    errors: noErrors(),
    submitKey: tokenFrom(form, "submitKey"),
    warnings: [],
    status: 200,
    ...(draftId === undefined ? { createKey: tokenFrom(form, "createKey") } : { id: draftId }),
    ...(/^\d{1,9}$/.test(versionText) ? { version: Number(versionText) } : {}),
  };
}

/**
 * The session ended while the form was being filled in: the form again, everything typed kept,
 * with what to do (log in in another tab, then press the button again).
 */
export function expiredState(form: FormData, draftId: string | undefined): FormState {
  const state = postedState(form, draftId);
  state.status = 401;
  state.title =
    "ログインの有効期限が切れたため、保存できませんでした。入力した内容はこのページに残っています。別のタブでログインしてから、もう一度「保存」または「送信」を押してください";
  return state;
}

/**
 * The submit's rules over a form whose save was refused: the refused fields are left out (their
 * own errors are already shown), the rest is checked as a submit would (required fields, formats,
 * amounts, dates). The agency's rule is the API's to apply, so delivery and agency errors wait.
 */
function submitErrorsBeside(body: Record<string, unknown>, refused: { field: string }[]): { field: string; message: string }[] {
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const { field } of refused) {
    const path = field.split(".");
    let at: unknown = copy;
    for (const part of path.slice(0, -1)) at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[part] : undefined;
    if (at !== null && typeof at === "object") delete (at as Record<string, unknown>)[path.at(-1) ?? ""];
  }
  const draft = ApplicationDraft.safeParse(copy);
  if (!draft.success) return [];
  const outcome = submittable(draft.data, undefined);
  if (outcome.ok) return [];
  const taken = new Set(refused.map((e) => e.field));
  return outcome.errors.filter(
    (e) => !taken.has(e.field) && e.field !== "project.agencyId" && !/^guarantees\.\d+\.delivery$/.test(e.field),
  );
}

export async function postApplication(api: Api, form: FormData, draftId: string | undefined): Promise<Response | FormState> {
  const state = postedState(form, draftId);
  const { values } = state;
  const action = text(form, "action");
  const fail = (problem: Problem, kinds = appliedKinds(values)): FormState => {
    if (problem.status === 401) return Object.assign(state, { status: 401, title: expiredState(form, draftId).title });
    state.status = problem.status;
    if (problem.status === 422 || problem.status === 409 || problem.status === 429) {
      // A save refused for malformed fields, on 「送信」: show the submit's other errors too, at once.
      const more = action === "submit" && problem.status === 422 ? submitErrorsBeside(draftFromValues(values), problem.errors ?? []) : [];
      state.errors = formErrors([...(problem.errors ?? []), ...more], inputFor(kinds));
      state.title = problem.title;
    } else state.problem = problem;
    return state;
  };

  const candidatesFor = text(form, "agencyCandidatesFor");
  const candidates = await resolveAgency(api, values, candidatesFor);
  if (candidates !== null) {
    state.candidates = candidates;
    state.candidatesFor = (values[AGENCY_QUERY] ?? "").trim();
    if (action === "find-agency") return state;
    state.status = 422;
    const message =
      candidates.length === 0
        ? "該当する発注者が見つかりません。名前を確かめてください"
        : "発注者を候補から選んでから、もう一度押してください";
    state.errors = formErrors([{ field: AGENCY_ID, message }], inputFor([]));
    return state;
  }
  if (action === "find-agency") return state;

  // Save: a new draft (idempotent by the form's key: a double post makes one), or a merge patch.
  const body = draftFromValues(values);
  let saved: Saved;
  if (state.id === undefined) {
    const created = await api.post<Saved>("/api/v1/applications", body, { "idempotency-key": state.createKey ?? tokenFrom(form, "") });
    if (!created.ok) return fail(created.problem);
    saved = created.data;
    state.id = saved.id;
    delete state.createKey;
  } else {
    const headers: Record<string, string> = state.version === undefined ? {} : { "if-match": `"${state.version}"` };
    const patched = await api.patch<Saved>(`/api/v1/applications/${encodeURIComponent(state.id)}`, body, headers);
    if (!patched.ok) return fail(patched.problem);
    saved = patched.data;
  }
  state.version = saved.version;
  const page = `/app/applications/${encodeURIComponent(saved.id)}/`;
  if (action !== "submit") return api.redirect(`${page}?saved=1`);

  const submitted = await api.post<{ warnings: { field: string; message: string }[] }>(
    `/api/v1/applications/${encodeURIComponent(saved.id)}/submit`,
    undefined,
    { "idempotency-key": state.submitKey },
  );
  if (!submitted.ok) return fail(submitted.problem);
  return api.redirect(`${page}?submitted=1`);
}

/**
 * The application form posted to a page (new or a draft's): the form read (a cross-site post is
 * refused before anything is echoed), shown back as typed when the session ended meanwhile, else
 * saved or submitted through the API. A redirect comes back as a Response.
 */
export async function handleApplicationPost(
  api: Api,
  request: Request,
  access: Access,
  draftId: string | undefined,
): Promise<Response | { state?: FormState; problem?: Problem | undefined }> {
  const read = await readForm(request);
  if (!read.ok) return { problem: read.problem };
  if ("response" in access) return { state: expiredState(read.form, draftId) };
  const result = await postApplication(api, read.form, draftId);
  if (result instanceof Response) return result;
  return { state: result, problem: result.problem };
}
