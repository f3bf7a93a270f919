// One radio choice of a form, with the hint that says what it means (read out
// with it), as the manage page and the block dialog offer them.
import { html, type SafeHtml } from "../shared/html.ts";

export function choice(name: string, value: string, current: string, label: string, hint: string): SafeHtml {
  const id = `${name}-${value}`;
  return html`<div class="choice"><input type="radio" id="${id}" name="${name}" value="${value}"${value === current ? html` checked` : ""}${hint ? html` aria-describedby="${id}-hint"` : ""}><label for="${id}">${label}</label>${hint ? html` <span class="hint" id="${id}-hint">${hint}</span>` : ""}</div>`;
}
