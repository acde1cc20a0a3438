import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { unreadCount } from '@/api/notices'
import { readCache, writeCache } from '@/composables/cache'
import { afterPaint } from '@/composables/afterPaint'
import { isPushOn, syncPush } from '@/composables/usePush'
import { onWorkerMessage, pollWhileVisible } from '@/composables/visiblePoll'
import { useSessionStore } from './session'

const POLL_MS = 60_000
/** With push on, a push refreshes the count; the timer is then only a safety net for a lost push. */
const POLL_WITH_PUSH_MS = 10 * 60_000

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
  let pushOn = false
  // A rise over a count from an earlier start (the cache) says nothing new: the lists load fresh anyway.
  let counted = false
  let asking: Promise<void> | null = null
  let askAgain: Promise<void> | null = null

  async function askUnread(): Promise<void> {
    try {
      const before = unread.value
      unread.value = (await unreadCount(cid.value)).unread
      writeCache('notices:unread', unread.value)
      if (counted && unread.value > before) version.value++
      counted = true
    } catch {
      // Offline or logged out: keep the last count; the badge is only a hint.
    }
  }

  /**
   * One request at a time: the tab bar, the list and a push may all ask at once. Those asking while one is
   * on its way share one more after it, since that one may have left before what they want counted.
   */
  function refreshUnread(): Promise<void> {
    if (!session.me || !cid.value) return Promise.resolve()
    if (!asking) return (asking = askUnread().finally(() => (asking = null)))
    askAgain ??= asking.then(() => {
      askAgain = null
      return refreshUnread()
    })
    return askAgain
  }

  function start(): void {
    if (started || typeof window === 'undefined') return
    started = true
    // Unless a screen has asked already (the notice list does as it loads).
    afterPaint(() => {
      if (!counted && !asking) void refreshUnread()
    })
    // The server answers an unchanged count with a 304 (ETag), so a poll costs next to nothing.
    pollWhileVisible(refreshUnread, () => (pushOn ? POLL_WITH_PUSH_MS : POLL_MS))
    onWorkerMessage('PUSH_RECEIVED', () => {
      pushOn = true
      version.value++
      void refreshUnread()
    })
    isPushOn().then((on) => (pushOn ||= on), () => undefined)
    syncPush().catch(() => undefined) // best effort; settings show the real state
  }

  return { cid, unread, version, badge, refreshUnread, start }
})
