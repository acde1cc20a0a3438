import { api } from './client'
import type { SearchHit } from './guide'

const base = (cid: number) => `/communities/${cid}/search`

/** A search's hits and the token that says which search they came from (to report the hit opened). */
export interface LoggedSearch {
  hits: SearchHit[]
  log: string | null
}

export async function searchLogged(cid: number, q: string): Promise<LoggedSearch> {
  let log: string | null = null
  const hits = await api.get<SearchHit[]>(base(cid), {
    query: { q },
    onResponse: (res) => (log = res.headers.get('X-Search-Log')),
  })
  return { hits, log }
}

export const reportOpened = (cid: number, log: string, kind: SearchHit['kind'], id: number) =>
  api.post<void>(`${base(cid)}/opened`, { log, kind, id })

export interface ClosestCategory {
  id: number
  name: string
  icon: string
}

export const closestCategories = (cid: number, q: string) =>
  api.get<ClosestCategory[]>(`${base(cid)}/closest`, { query: { q } })

// Staff: the searches that failed, and the fixes for them.

export interface SearchMiss {
  query: string
  searches: number
  empty: number
  found_nothing: boolean
  last_at: string
}

export const listMisses = (cid: number, days: number) =>
  api.get<SearchMiss[]>(`${base(cid)}/misses`, { query: { days } })
export const addAsAlias = (cid: number, query: string, itemId: number) =>
  api.post<{ id: number; title: string; aliases: string[] }>(`${base(cid)}/misses/alias`, { query, item_id: itemId })
export const addAsSynonym = (cid: number, query: string, term: string) =>
  api.post<{ id: number; terms: string[] }>(`${base(cid)}/misses/synonym`, { query, term })
export const dismissMiss = (cid: number, query: string) => api.post<void>(`${base(cid)}/misses/dismiss`, { query })
