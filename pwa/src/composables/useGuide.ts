// The guide on this device: the resident's community, items read recently (readable offline),
// and each item's materials checklist. Kept in localStorage through the shell's cache helpers.
import { computed, ref } from 'vue'
import type { GuideCategory, GuideItem } from '@/api/guide'
import { clearCache, readCache, writeCache } from '@/composables/cache'
import { useSessionStore } from '@/stores/session'

const RECENT_MAX = 20

export interface RecentItem {
  id: number
  title: string
  summary: string
  viewed_at: string
}

const GUEST_KEY = 'guest-community'
const guestCommunity = ref<number | null>(readCache<number>(GUEST_KEY))

/** The community a visitor without an account chose to look around (the guide and facilities are public). */
export function guestCommunityId(): number | null {
  return guestCommunity.value
}

export function chooseGuestCommunity(id: number | null): void {
  guestCommunity.value = id
  if (id) writeCache(GUEST_KEY, id)
  else clearCache(GUEST_KEY)
}

/** The community whose guide and facilities are shown: where I live, else where I work, else the one chosen. */
export function useCommunityId() {
  const session = useSessionStore()
  return computed(
    () => session.residency?.community_id ?? session.me?.memberships[0]?.community.id ?? guestCommunity.value ?? 0,
  )
}

const itemKey = (cid: number, id: number) => `guide:item:${cid}:${id}`
const recentKey = (cid: number) => `guide:recent:${cid}`

export function rememberItem(cid: number, item: GuideItem): void {
  writeCache(itemKey(cid, item.id), item)
  const recent = readRecent(cid).filter((r) => r.id !== item.id)
  const entry = { id: item.id, title: item.title, summary: item.summary, viewed_at: new Date().toISOString() }
  writeCache(recentKey(cid), [entry, ...recent].slice(0, RECENT_MAX))
}

export function readItem(cid: number, id: number): GuideItem | null {
  return readCache<GuideItem>(itemKey(cid, id))
}

export function readRecent(cid: number): RecentItem[] {
  return readCache<RecentItem[]>(recentKey(cid)) ?? []
}

export function readCategories(cid: number): GuideCategory[] | null {
  return readCache<GuideCategory[]>(`guide:categories:${cid}`)
}

export function rememberCategories(cid: number, categories: GuideCategory[]): void {
  writeCache(`guide:categories:${cid}`, categories)
}

/** Which materials I have ticked, by material name (names survive staff reordering the list). */
export function readChecklist(cid: number, id: number): string[] {
  return readCache<string[]>(`guide:checklist:${cid}:${id}`) ?? []
}

export function writeChecklist(cid: number, id: number, ticked: string[]): void {
  writeCache(`guide:checklist:${cid}:${id}`, ticked)
}
