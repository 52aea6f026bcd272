/** The element with this id, of this type, or a clear error (the page and its script disagree). */
export function el<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} がありません`);
  return node;
}
