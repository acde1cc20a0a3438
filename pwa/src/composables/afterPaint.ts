/**
 * Runs `fn` once the browser has painted the next frame: for what a screen does not show at once (the count
 * on a badge), so that on a slow network it neither holds up nor competes with what the screen does show.
 */
export function afterPaint(fn: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') return void setTimeout(fn, 0)
  requestAnimationFrame(() => setTimeout(fn, 0))
}
