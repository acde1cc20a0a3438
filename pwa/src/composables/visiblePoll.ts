/**
 * Keep something fresh without costing anything while nobody looks: `refresh` runs every `intervalMs()`
 * only while the page is visible, at once when it becomes visible again, and never while hidden
 * (no timer ticks in the background). Returns a function that stops it.
 */
export function pollWhileVisible(refresh: () => unknown, intervalMs: () => number, doc: Document = document): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const visible = () => doc.visibilityState === 'visible'

  function schedule(): void {
    clearTimeout(timer)
    timer = visible() ? setTimeout(tick, intervalMs()) : undefined
  }

  function tick(): void {
    void refresh()
    schedule()
  }

  function onVisibility(): void {
    if (visible()) tick()
    else schedule() // hidden: the pending timer is cleared
  }

  doc.addEventListener('visibilitychange', onVisibility)
  schedule()
  return () => {
    clearTimeout(timer)
    doc.removeEventListener('visibilitychange', onVisibility)
  }
}

/** Calls `handler` for each message of this type the service worker posts to the page (a push, say). */
export function onWorkerMessage(type: string, handler: (data: Record<string, unknown>) => void): () => void {
  const worker = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined
  if (!worker) return () => undefined
  const listener = (event: MessageEvent) => {
    if (event.data?.type === type) handler(event.data)
  }
  worker.addEventListener('message', listener)
  return () => worker.removeEventListener('message', listener)
}
