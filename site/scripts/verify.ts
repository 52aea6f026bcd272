// The verification page's script: fills the fields from the notice's QR code (/verify/#n=…&k=…,
// a fragment that never reaches the server) and then removes it from the address bar, and catches
// a mistyped 認証キー before anything is sent (its check symbol), with the message beside the field.
import { keyReadingMessages, readKey } from "../../edge/domain/auth-key.ts";

const form = document.getElementById("verify-form");
const numberInput = document.getElementById("f-contractNumber");
const keyInput = document.getElementById("f-authKey");
const keyError = document.getElementById("f-authKey-error");

function fillFromHash(): void {
  if (location.hash.length < 2) return;
  const params = new URLSearchParams(location.hash.slice(1));
  const n = params.get("n");
  const k = params.get("k");
  if (numberInput instanceof HTMLInputElement && n !== null) numberInput.value = n.slice(0, 64);
  if (keyInput instanceof HTMLInputElement && k !== null) keyInput.value = k.slice(0, 128);
  // The key must not stay in the address bar, the history or a bookmark.
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
}

function showKeyError(message: string): void {
  if (!(keyInput instanceof HTMLInputElement) || keyError === null) return;
  keyError.textContent = message;
  if (message === "") keyInput.removeAttribute("aria-invalid");
  else keyInput.setAttribute("aria-invalid", "true");
}

if (form instanceof HTMLFormElement && keyInput instanceof HTMLInputElement) {
  fillFromHash();
  form.addEventListener("submit", (event) => {
    const typed = keyInput.value.trim();
    if (typed === "") return; // the server says what is missing
    const reading = readKey(typed);
    if (reading.ok) {
      showKeyError("");
      return;
    }
    event.preventDefault();
    showKeyError(keyReadingMessages[reading.reason]);
    keyInput.focus();
  });
  keyInput.addEventListener("input", () => {
    if (keyInput.getAttribute("aria-invalid") === "true" && readKey(keyInput.value).ok) showKeyError("");
  });
}
