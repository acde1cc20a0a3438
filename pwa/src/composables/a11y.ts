import type { OverlayProps } from 'vant'

/** Vant's tap-to-close overlay is a role="button" with no name; this gives it one. */
export function overlayLabel(label: string): Partial<OverlayProps> {
  return { 'aria-label': label } as unknown as Partial<OverlayProps>
}

/**
 * Vant's dialogs put their title or message *text* in aria-labelledby, which must name an element's id, so
 * a screen reader hears a dialog without a name. This names each dialog by its header or message element
 * (given an id), for every dialog the app opens, declared or by `showConfirmDialog`.
 */
export function nameDialogs(root: Node = document.body): MutationObserver {
  let next = 0
  const fix = (dialog: Element) => {
    const ref = dialog.getAttribute('aria-labelledby') ?? ''
    if (ref && document.getElementById(ref)) return
    const label = dialog.querySelector('.van-dialog__header, .van-dialog__message')
    if (!label) return
    label.id ||= `dialog-name-${++next}`
    dialog.setAttribute('aria-labelledby', label.id)
  }
  const observer = new MutationObserver(() => root.ownerDocument?.querySelectorAll('.van-dialog[role=dialog]').forEach(fix))
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-labelledby'] })
  return observer
}
