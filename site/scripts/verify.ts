// The verification page's script: fills the fields from the notice's QR code (/verify/#n=…&k=…,
// a fragment that never reaches the server) and then removes it from the address bar; catches an
// empty field, a malformed 保証契約番号 and a mistyped 認証キー (its check symbol) before anything is
// sent, with the message beside the field; and brings the answer into view (the certificate, or
// the error summary, which focuses itself) after the page's own POST.
import { keyReadingMessages, readKey } from "../../edge/domain/auth-key.ts";
import { isContractNumber, normalizeContractNumber } from "../../edge/domain/numbering.ts";

const form = document.getElementById("verify-form");
const numberInput = document.getElementById("f-contractNumber");
const keyInput = document.getElementById("f-authKey");

const NUMBER_FORMAT = "保証契約番号は10桁の数字（例: 2070004426）または 00000-000000 の形式で入力してください";

function fillFromHash(): void {
  if (location.hash.length < 2) return;
  const params = new URLSearchParams(location.hash.slice(1));
  const n = params.get("n");
  const k = params.get("k");
  if (n === null && k === null) return;
  if (numberInput instanceof HTMLInputElement && n !== null) numberInput.value = n.slice(0, 64);
  if (keyInput instanceof HTMLInputElement && k !== null) keyInput.value = k.slice(0, 128);
  // The key must not stay in the address bar, the history or a bookmark.
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
}

function showError(input: HTMLInputElement, message: string): void {
  const box = document.getElementById(`${input.id}-error`);
  if (box !== null) box.textContent = message;
  if (message === "") input.removeAttribute("aria-invalid");
  else input.setAttribute("aria-invalid", "true");
}

/** The message for each field as typed ("" when it may be sent). */
function numberMessage(value: string): string {
  if (value.trim() === "") return "保証契約番号を入力してください";
  return isContractNumber(normalizeContractNumber(value)) ? "" : NUMBER_FORMAT;
}
function keyMessage(value: string): string {
  if (value.trim() === "") return "認証キーを入力してください";
  const reading = readKey(value.trim());
  return reading.ok ? "" : keyReadingMessages[reading.reason];
}

if (form instanceof HTMLFormElement && numberInput instanceof HTMLInputElement && keyInput instanceof HTMLInputElement) {
  fillFromHash();
  const checks: [HTMLInputElement, (v: string) => string][] = [
    [numberInput, numberMessage],
    [keyInput, keyMessage],
  ];
  form.addEventListener("submit", (event) => {
    let first: HTMLInputElement | undefined;
    for (const [input, check] of checks) {
      const message = check(input.value);
      showError(input, message);
      if (message !== "") first ??= input;
    }
    if (first === undefined) return;
    event.preventDefault();
    first.focus();
  });
  for (const [input, check] of checks) {
    input.addEventListener("input", () => {
      if (input.getAttribute("aria-invalid") === "true" && check(input.value) === "") showError(input, "");
    });
  }
}

// After the page's own POST: the certificate is below the form (a phone's whole screen lower).
const certificate = document.getElementById("certificate");
if (certificate !== null) {
  certificate.focus({ preventScroll: true });
  certificate.scrollIntoView({ block: "start" });
}
