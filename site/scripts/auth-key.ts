// 「認証キーを表示」 in place (GET …/auth-key from the API, no page load) and 「認証キーをコピー」.
// Without this script the button is a plain GET form and the key is selectable text.

function copyButton(box: HTMLElement, key: HTMLElement): void {
  const button = box.querySelector<HTMLButtonElement>("[data-copy]");
  const status = box.querySelector<HTMLElement>("[data-copy-status]");
  if (button === null || !("clipboard" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(key.textContent ?? "");
      if (status !== null) status.textContent = "コピーしました。";
    } catch {
      if (status !== null) status.textContent = "コピーできませんでした。認証キーを選択してコピーしてください。";
    }
  });
}

function showKey(box: HTMLElement, value: string, contractNumber: string): void {
  const id = `key-${contractNumber.replace(/[^\w-]/g, "")}`;
  const p = document.createElement("p");
  const key = document.createElement("span");
  key.className = "auth-key";
  key.id = id;
  key.textContent = value;
  p.append(key);
  const actions = document.createElement("p");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.dataset["copy"] = id;
  button.hidden = true;
  button.textContent = "認証キーをコピー";
  const status = document.createElement("span");
  status.className = "note";
  status.setAttribute("role", "status");
  status.dataset["copyStatus"] = "";
  actions.append(button, " ", status);
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = "発注者には保証契約番号とこの認証キーを伝えます。ほかの人に知られないようにしてください。";
  box.querySelector("form[data-reveal]")?.replaceWith(p, actions, note);
  copyButton(box, key);
  key.setAttribute("tabindex", "-1");
  key.focus();
}

for (const box of document.querySelectorAll<HTMLElement>("[data-auth-key]")) {
  const shown = box.querySelector<HTMLElement>("[data-key-value]");
  if (shown !== null) copyButton(box, shown);
  const form = box.querySelector<HTMLFormElement>("form[data-reveal]");
  const api = box.dataset["authKey"];
  if (form === null || api === undefined || api === "") continue;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = form.querySelector<HTMLElement>("[data-reveal-status]");
    const number = new FormData(form).get("show");
    try {
      const res = await fetch(api, { credentials: "same-origin", headers: { accept: "application/json" } });
      if (res.status === 401) {
        form.submit(); // the page sends a logged-out user to the login
        return;
      }
      const body = (await res.json()) as { authKey?: string; title?: string };
      if (!res.ok || typeof body.authKey !== "string") throw new Error(body.title ?? `HTTP ${res.status}`);
      showKey(box, body.authKey, typeof number === "string" ? number : "");
    } catch (error) {
      if (status !== null)
        status.textContent = `認証キーを表示できませんでした（${error instanceof Error ? error.message : "通信エラー"}）。`;
    }
  });
}
