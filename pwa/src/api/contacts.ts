import { api } from './client'
import type { Ref } from './types'

/** In the directory's order. */
export const POSITIONS = [
  'secretary',
  'director',
  'deputy',
  'member',
  'grid_worker',
  'police',
  'doctor',
  'lawyer',
  'property',
  'other',
] as const
export type Position = (typeof POSITIONS)[number]

export const PARTY_AREAS = ['law', 'health', 'education', 'elderly', 'housing', 'employment', 'other'] as const
export type PartyArea = (typeof PARTY_AREAS)[number]

/** "HH:MM" in the community's local time. */
export interface Span {
  start: string
  end: string
}

export interface Party {
  areas: PartyArea[]
  hours: string
}

export interface Contact {
  id: number
  name: string
  position: Position
  title: string
  handles: string
  tags: string[]
  work_phone: string
  /** A personal mobile only when its owner chose to show it, else "". */
  mobile: string
  photo_url: string | null
  photo_thumb_url: string | null
  grids: Ref[]
  on_duty: boolean
  /** Today's spans; [] when off today. */
  today: Span[]
  party: Party | null
}

/** Weekday 0 = Monday … 6 = Sunday. */
export interface WeekDay {
  weekday: number
  spans: Span[]
}

export interface DatedDuty {
  date: string
  off: boolean
  spans: Span[]
  note: string
}

export interface ContactDetail extends Contact {
  week: WeekDay[]
  upcoming: DatedDuty[]
}

export interface ContactQuery {
  q?: string
  position?: Position
  party?: boolean
}

export interface ManagedContact extends Contact {
  visible: boolean
  user_id: number | null
  private_mobile: string
  show_mobile: boolean
  photo: string | null
}

export interface ContactInput {
  name: string
  position: Position
  title: string
  handles: string
  tags: string[]
  work_phone: string
  private_mobile: string
  show_mobile: boolean
  grid_ids: number[]
  photo: string | null
  visible: boolean
  party: Party | null
}

export interface RosterSpan {
  weekday: number
  start: string
  end: string
}

export interface RosterException {
  date: string
  off: boolean
  start: string | null
  end: string | null
  note: string
}

/** Flat spans, as the roster is stored. */
export interface Roster {
  week: RosterSpan[]
  exceptions: RosterException[]
}

export interface ContactPage {
  items: ManagedContact[]
  total: number
}

const base = (cid: number) => `/communities/${cid}/contacts`

export const listContacts = (cid: number, query: ContactQuery = {}) =>
  api.get<{ items: Contact[]; total: number }>(base(cid), {
    query: { q: query.q || undefined, position: query.position, party: query.party ? 'true' : undefined },
  })
export const getContact = (cid: number, id: number) => api.get<ContactDetail>(`${base(cid)}/${id}`)
export const myGridWorkers = (cid: number) => api.get<{ items: Contact[] }>(`${base(cid)}/my-grid-workers`)

export const listManaged = (cid: number, page = 1, perPage = 50) =>
  api.get<ContactPage>(`${base(cid)}/manage`, { query: { page, per_page: perPage } })
export const createContact = (cid: number, input: ContactInput) => api.post<ManagedContact>(`${base(cid)}/manage`, input)
export const updateContact = (cid: number, id: number, changes: Partial<ContactInput>) =>
  api.patch<ManagedContact>(`${base(cid)}/manage/${id}`, changes)
export const getRoster = (cid: number, id: number) => api.get<Roster>(`${base(cid)}/manage/${id}/roster`)
export const putRoster = (cid: number, id: number, roster: Roster) => api.put<Roster>(`${base(cid)}/manage/${id}/roster`, roster)

/** One profile for staff: there is no single-profile address, so the pages are read until it turns up. */
export async function findManaged(cid: number, id: number): Promise<ManagedContact | null> {
  for (let page = 1; ; page++) {
    const got = await listManaged(cid, page, 100)
    const found = got.items.find((c) => c.id === id)
    if (found) return found
    if (!got.items.length || page * 100 >= got.total) return null
  }
}
