import { ref } from 'vue'
import { registerSW } from 'virtual:pwa-register'

const needRefresh = ref(false)
let updateSW: ((reload?: boolean) => Promise<void>) | null = null

/** Registers the service worker once; a waiting new version sets needRefresh. */
export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator) || updateSW) return
  updateSW = registerSW({
    immediate: true,
    onNeedRefresh: () => (needRefresh.value = true),
  })
}

export function useServiceWorker() {
  const update = async () => {
    needRefresh.value = false
    // Tells the waiting worker to skip waiting; the page reloads once it takes control.
    await updateSW?.(true)
  }
  return { needRefresh, update }
}
