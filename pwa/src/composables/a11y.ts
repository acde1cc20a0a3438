import type { OverlayProps } from 'vant'

/** Vant's tap-to-close overlay is a role="button" with no name; this gives it one. */
export function overlayLabel(label: string): Partial<OverlayProps> {
  return { 'aria-label': label } as unknown as Partial<OverlayProps>
}
