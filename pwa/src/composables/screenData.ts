import { prefetch } from '@/api/client'
import { useSessionStore } from '@/stores/session'
import { useCommunityId } from './useGuide'

/** Give up waiting (the screen then shows and takes the answer when it comes) after this long. */
export const SCREEN_DATA_WAIT_MS = 3000

// The first requests of the screens people open most, as the screens themselves make them (same paths,
// same query). Started by the router with the screen's code instead of once the screen has mounted: one
// round trip fewer, and the screen shows its content at once rather than growing as each answer comes.
const SCREENS: Record<string, (cid: number, homeCid: number) => Promise<unknown>[]> = {
  '/': (cid, homeCid) => [
    ...(homeCid
      ? [prefetch(`/communities/${homeCid}/notices`, { limit: 20 }), prefetch(`/communities/${homeCid}/contacts/my-grid-workers`)]
      : []),
    prefetch(`/communities/${cid}/points/partner/me`),
  ],
  '/notices': (cid) => [prefetch(`/communities/${cid}/notices`)],
  '/guide': (cid) => [prefetch(`/communities/${cid}/guide/categories`)],
}

/** Fetches the data of the screen at `path` (after the session is known); resolves when it is in. */
export function loadScreenData(path: string): Promise<void> {
  const session = useSessionStore()
  const requests = SCREENS[path]
  const cid = useCommunityId().value
  if (!requests || !session.me || !cid) return Promise.resolve()
  const home = session.residency
  const homeCid = home?.status === 'verified' ? home.community_id : 0
  const wait = new Promise<void>((resolve) => setTimeout(resolve, SCREEN_DATA_WAIT_MS))
  return Promise.race([Promise.all(requests(cid, homeCid)).then(() => undefined), wait])
}
