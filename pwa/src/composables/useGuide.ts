// The guide on this device: the resident's community, items read recently (readable offline),
// and each item's materials checklist. Kept in localStorage through the shell's cache helpers.
import { computed } from 'vue'
import type { GuideCategory, GuideItem } from '@/api/guide'
import { readCache, writeCache } from '@/composables/cache'
import { useSessionStore } from '@/stores/session'

const RECENT_MAX = 20

export interface RecentItem {
  id: number
  title: string
  summary: string
  viewed_at: string
}

/** The community whose guide and facilities are shown: where I live, else where I work. */
export function useCommunityId() {
  const session = useSessionStore()
  return computed(() => session.residency?.community_id ?? session.me?.memberships[0]?.community.id ?? 0)
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
