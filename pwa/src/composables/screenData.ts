import { prefetch } from '@/api/client'
import { useSessionStore } from '@/stores/session'
import { screenRequests } from '@/screenRequests'
import { useCommunityId } from './useGuide'

/** Give up waiting (the screen then shows and takes the answer when it comes) after this long. */
export const SCREEN_DATA_WAIT_MS = 3000

/**
 * Fetches the data of the screen at `path` (after the session is known); resolves when it is in. Started by
 * the router with the screen's code instead of once the screen has mounted: the screen shows its content at
 * once rather than growing as each answer comes. What boot.js already asked for is taken, not asked twice.
 */
export function loadScreenData(path: string): Promise<void> {
  const session = useSessionStore()
  const cid = useCommunityId().value
  if (!session.me || !cid) return Promise.resolve()
  const home = session.residency
  const requests = screenRequests(path, cid, home?.status === 'verified' ? home.community_id : 0)
  if (!requests.length) return Promise.resolve()
  const wait = new Promise<void>((resolve) => setTimeout(resolve, SCREEN_DATA_WAIT_MS))
  return Promise.race([Promise.all(requests.map((url) => prefetch(url))).then(() => undefined), wait])
}
