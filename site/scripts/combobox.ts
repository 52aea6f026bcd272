// A small ARIA 1.2 combobox (list autocomplete): type, pick a suggestion with the arrows and Enter,
// or with a tap. Suggestions come from the caller, so the same search as everywhere else is used.
export interface ComboboxOption {
  id: string;
  label: string;
  detail: string;
}

export interface ComboboxOptions<T extends ComboboxOption> {
  input: HTMLInputElement;
  listbox: HTMLUListElement;
  suggest: (text: string) => T[];
  onSelect: (option: T | null) => void;
}

export interface Combobox<T> {
  select: (option: T | null) => void;
  selected: () => T | null;
  /** Closes the suggestions (e.g. when the form is submitted without picking one). */
  close: () => void;
}

export function combobox<T extends ComboboxOption>({ input, listbox, suggest, onSelect }: ComboboxOptions<T>): Combobox<T> {
  let options: T[] = [];
  let active = -1;
  let current: T | null = null;

  const optionId = (i: number) => `${listbox.id}-${i}`;

  function close(): void {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(i: number): void {
    active = i;
    for (const [n, li] of [...listbox.children].entries()) li.setAttribute("aria-selected", String(n === i));
    if (i < 0) input.removeAttribute("aria-activedescendant");
    else {
      input.setAttribute("aria-activedescendant", optionId(i));
      document.getElementById(optionId(i))?.scrollIntoView({ block: "nearest" });
    }
  }

  function render(): void {
    listbox.replaceChildren(
      ...options.map((o, i) => {
        const li = document.createElement("li");
        li.id = optionId(i);
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.className = "option-name";
        name.textContent = o.label;
        const detail = document.createElement("span");
        detail.className = "option-detail";
        detail.textContent = o.detail;
        li.append(name, detail);
        // pointerdown keeps the focus in the input; click then picks.
        li.addEventListener("pointerdown", (e) => e.preventDefault());
        li.addEventListener("click", () => choose(o));
        return li;
      }),
    );
    const open = options.length > 0;
    listbox.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    active = -1;
  }

  function choose(option: T | null): void {
    current = option;
    if (option !== null) input.value = option.label;
    close();
    onSelect(option);
  }

  input.addEventListener("input", () => {
    if (current !== null && input.value !== current.label) {
      current = null;
      onSelect(null);
    }
    options = input.value.trim() === "" ? [] : suggest(input.value);
    render();
  });

  input.addEventListener("keydown", (e) => {
    const open = !listbox.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        options = input.value.trim() === "" ? [] : suggest(input.value);
        render();
        if (options.length === 0) return;
      }
      const step = e.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + options.length) % options.length);
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      const option = options[active];
      if (option !== undefined) choose(option);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", close);

  return { select: choose, selected: () => current, close };
}
