import { ref } from 'vue'
import { listCommunities } from '@/api/places'
import type { Community } from '@/api/types'
import { readCache, writeCache } from './cache'

const communities = ref<Community[]>(readCache<Community[]>('communities') ?? [])
let pending: Promise<Community[]> | null = null

/** The public list of communities, cached for offline use and shared by all screens. */
export function useCommunities() {
  async function load(): Promise<Community[]> {
    pending ??= listCommunities()
      .then((list) => {
        communities.value = list
        writeCache('communities', list)
        return list
      })
      .finally(() => (pending = null))
    return pending
  }
  const nameOf = (id: number) => communities.value.find((c) => c.id === id)?.name ?? ''
  return { communities, load, nameOf }
}
