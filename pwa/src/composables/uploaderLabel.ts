import type { Directive } from 'vue'

// Vant's uploader renders its file input and its previews with no label or alt text, and takes no
// attributes for them: this names both for screen readers, again after each update (the input is
// re-created when a photo is removed, a preview appears when one is added).
function label(el: HTMLElement, text: string): void {
  el.querySelector('input[type=file]')?.setAttribute('aria-label', text)
  el.querySelectorAll('img:not([alt])').forEach((img) => img.setAttribute('alt', text))
}

export const vUploaderLabel: Directive<HTMLElement, string> = {
  mounted: (el, binding) => label(el, binding.value),
  updated: (el, binding) => label(el, binding.value),
}
