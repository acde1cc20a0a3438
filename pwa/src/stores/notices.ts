import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { unreadCount } from '@/api/notices'
import { readCache, writeCache } from '@/composables/cache'
import { syncPush } from '@/composables/usePush'
import { useSessionStore } from './session'

const POLL_MS = 60_000

export const useNoticesStore = defineStore('notices', () => {
  const session = useSessionStore()
  const cid = computed(
    () => session.residency?.community_id ?? session.me?.memberships[0]?.community.id ?? 0,
  )
  const unread = ref(readCache<number>('notices:unread') ?? 0)
  /** Bumped when new notices may have arrived (a push, coming back to the app): lists reload. */
  const version = ref(0)
  const badge = computed(() => (!session.me || !unread.value ? undefined : unread.value > 99 ? '99+' : unread.value))
  let started = false

  async function refreshUnread(): Promise<void> {
    if (!session.me || !cid.value) return
    try {
      const before = unread.value
      unread.value = (await unreadCount(cid.value)).unread
      writeCache('notices:unread', unread.value)
      if (unread.value > before) version.value++
    } catch {
      // Offline or logged out: keep the last count; the badge is only a hint.
    }
  }

  function start(): void {
    if (started || typeof window === 'undefined') return
    started = true
    void refreshUnread()
    window.setInterval(() => document.visibilityState === 'visible' && refreshUnread(), POLL_MS)
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void refreshUnread()
    })
    navigator.serviceWorker?.addEventListener('message', (event) => {
      if (event.data?.type !== 'PUSH_RECEIVED') return
      version.value++
      void refreshUnread()
    })
    syncPush().catch(() => undefined) // best effort; settings show the real state
  }

  return { cid, unread, version, badge, refreshUnread, start }
})
