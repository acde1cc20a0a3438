import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { listPolls } from '@/api/voting'
import type { ResidentPoll } from '@/api/voting'
import { afterPaint } from '@/composables/afterPaint'
import { readCache, writeCache } from '@/composables/cache'
import { pendingCount } from '@/views/voting/helpers'
import { useSessionStore } from './session'

/** How many open polls await my vote: the count on the home screen's voting tile. */
export const usePollsStore = defineStore('polls', () => {
  const session = useSessionStore()
  const cid = computed(
    () => session.residency?.community_id ?? session.me?.memberships[0]?.community.id ?? 0,
  )
  const pending = ref(readCache<number>('voting:pending') ?? 0)
  const badge = computed(() => (!session.me || !pending.value ? undefined : pending.value > 99 ? '99+' : pending.value))
  let started = false

  /** Count from a list already fetched (the polls screen), so the tile agrees with it. */
  function countFrom(polls: ResidentPoll[]): void {
    pending.value = pendingCount(polls)
    writeCache('voting:pending', pending.value)
  }

  async function refresh(): Promise<void> {
    if (!session.me || !cid.value) return
    try {
      countFrom(await listPolls(cid.value))
    } catch {
      // Offline or logged out: keep the last count; the badge is only a hint.
    }
  }

  function start(): void {
    if (started || typeof window === 'undefined') return
    started = true
    afterPaint(() => void refresh())
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void refresh()
    })
  }

  return { cid, pending, badge, countFrom, refresh, start }
})
