// The home (and 404) page's search box suggests agencies as you type. The agency list and the search
// code load on first use of the box (focus or typing), not with the page; until then, and if they
// cannot load, the box is the plain form that opens the search page.
import type { AgencyOption } from "./agency-suggest.ts";
import { combobox } from "./combobox.ts";

for (const input of document.querySelectorAll<HTMLInputElement>("input[data-quick-search]")) {
  const listbox = document.getElementById(input.dataset["quickSearch"] ?? "");
  if (!(listbox instanceof HTMLUListElement)) continue;
  // A combobox only once this script runs: without it the box is the plain search form's.
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  let suggest: ((text: string) => AgencyOption[]) | undefined;
  let started = false;

  const load = (): void => {
    if (started) return;
    started = true;
    import("./agency-suggest.ts")
      .then((m) => m.loadSuggester())
      .then((ready) => {
        suggest = ready;
        // Text typed while the list loaded gets its suggestions now.
        if (document.activeElement === input && input.value.trim() !== "") input.dispatchEvent(new Event("input"));
      })
      .catch(() => {
        started = false; // offline or failed: the form still submits to the search page; retry on next use
      });
  };
  input.addEventListener("focus", load);
  input.addEventListener("input", load);

  combobox<AgencyOption>({
    input,
    listbox,
    suggest: (text) => suggest?.(text) ?? [],
    onSelect: (option) => {
      if (option !== null) location.assign(option.url);
    },
  });
}
