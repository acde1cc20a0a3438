// Staff calls of the bookings domain (backend/bookings): resources and their rules, the calendar, desk
// bookings, approvals, slot blocks, settings and the CSV export.
import { api } from './client'
import type { Day, Range } from './facilities'

export type ResourceKind = 'room' | 'service'
export type ResourceStatus = 'draft' | 'open' | 'closed'
export type Eligibility = 'residents' | 'owners' | 'volunteers' | 'seniors'
export const ELIGIBILITY: Eligibility[] = ['residents', 'owners', 'volunteers', 'seniors']
export type BookingStatus = 'pending' | 'confirmed' | 'waitlisted' | 'checked_in' | 'cancelled' | 'refused' | 'no_show'
export type WhyNot = 'resource_closed' | 'too_late' | 'too_far_ahead' | 'slot_full' | 'blocked' | 'past'

export interface Blackout {
  start: string
  end: string
  note: string
}

export interface ResourceInput {
  kind: ResourceKind
  name: string
  description: string
  facility_id: number | null
  at_home: boolean
  provider_service_id: number | null
  schedule: Partial<Record<Day, Range[]>>
  slot_minutes: number
  buffer_minutes: number
  seats: number
  max_seats_per_booking: number
  blackouts: Blackout[]
  advance_days: number
  min_notice_minutes: number
  cancel_cutoff_minutes: number
  week_quota: number | null
  month_quota: number | null
  needs_approval: boolean
  eligibility: Eligibility
  waitlist: boolean
  checkin_early_minutes: number
  no_show_minutes: number
  photos: string[]
}

export interface Resource extends Omit<ResourceInput, 'facility_id'> {
  id: number
  facility: { id: number; name: string; address: string } | null
  provider: { id: number; name: string; phone: string } | null
  status: ResourceStatus
  next_free: string | null
}

export interface Person {
  id: number
  name: string
}

export interface Booking {
  id: number
  resource: { id: number; name: string; kind: ResourceKind; facility: Resource['facility']; at_home: boolean }
  starts_at: string
  ends_at: string
  seats: number
  status: BookingStatus
  position: number | null
  note: string
  reason: string
  dwelling: { id: number; label: string }
  user: (Person & { phone?: string }) | null
  booked_by: Person | null
  checked_in_at: string | null
  cancel_until: string
  can_cancel: boolean
  created_at: string
}

/** A booking as the calendar lists it under its slot. */
export interface CalendarBooking {
  id: number
  name: string
  phone: string
  dwelling: string
  seats: number
  status: BookingStatus
  /** The staff member's name when booked at the desk. */
  booked_by: string | null
  position: number | null
  checked_in_at: string | null
}

export interface Slot {
  starts_at: string
  ends_at: string
  seats: number
  taken: number
  free: number
  blocked: boolean
  block_reason?: string
  bookable: boolean
  why_not: WhyNot | null
  waitlist: number
  bookings?: CalendarBooking[]
}

export interface SlotDay {
  date: string
  closed: boolean
  note: string
  slots: Slot[]
}

export interface BookingSettings {
  no_show_limit: number
  penalty_days: number
  penalty: number
  senior_age: number
  reminders: boolean
}

export interface DeskBookingInput {
  starts_at: string
  user_id: number
  dwelling_id: number
  seats: number
  note: string
  waitlist: boolean
  /** Read off the resident's ID card when none is recorded (services for seniors need it). */
  birth_year?: number
}

const base = (cid: number) => `/communities/${cid}/bookings`

export const listResources = (cid: number, kind?: ResourceKind) =>
  api.get<Resource[]>(`${base(cid)}/resources`, { query: { kind } })
export const getResource = (cid: number, id: number) => api.get<Resource>(`${base(cid)}/resources/${id}`)
export const createResource = (cid: number, input: ResourceInput) => api.post<Resource>(`${base(cid)}/resources`, input)
export const updateResource = (cid: number, id: number, input: ResourceInput) =>
  api.put<Resource>(`${base(cid)}/resources/${id}`, input)
export const publishResource = (cid: number, id: number) => api.post<Resource>(`${base(cid)}/resources/${id}/publish`)
export const closeResource = (cid: number, id: number) => api.post<Resource>(`${base(cid)}/resources/${id}/close`)

export const calendar = (cid: number, resourceId: number, from: string, days: number) =>
  api.get<{ days: SlotDay[] }>(`${base(cid)}/calendar`, { query: { resource_id: resourceId, from, days } })
export const blockSlot = (cid: number, id: number, startsAt: string, reason: string) =>
  api.post<Slot>(`${base(cid)}/resources/${id}/slots/block`, { starts_at: startsAt, reason })
export const unblockSlot = (cid: number, id: number, startsAt: string) =>
  api.post<Slot>(`${base(cid)}/resources/${id}/slots/unblock`, { starts_at: startsAt })
export const bookFor = (cid: number, id: number, input: DeskBookingInput) =>
  api.post<Booking>(`${base(cid)}/resources/${id}/book-for`, input)

export const listApprovals = (cid: number) => api.get<Booking[]>(`${base(cid)}/approvals`)
export const approveBooking = (cid: number, id: number) => api.post<Booking>(`${base(cid)}/bookings/${id}/approve`)
export const refuseBooking = (cid: number, id: number, reason: string) =>
  api.post<Booking>(`${base(cid)}/bookings/${id}/refuse`, { reason })
export const cancelBooking = (cid: number, id: number, reason: string) =>
  api.post<Booking>(`${base(cid)}/bookings/${id}/cancel`, { reason })
export const checkInBooking = (cid: number, id: number) => api.post<Booking>(`${base(cid)}/bookings/${id}/check-in`)

export const deskCode = (cid: number, id: number) =>
  api.get<{ token: string; expires_at: string }>(`${base(cid)}/resources/${id}/code`)

export const getSettings = (cid: number) => api.get<BookingSettings>(`${base(cid)}/settings`)
export const putSettings = (cid: number, input: BookingSettings) => api.put<BookingSettings>(`${base(cid)}/settings`, input)

export function exportUrl(cid: number, query: { from?: string; to?: string; resource_id?: number } = {}): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return `/api/v1${base(cid)}/export.csv${qs ? `?${qs}` : ''}`
}

/** The desk QR's text: the phone's camera opens the resident's scan page with it. */
export const deskScanUrl = (origin: string, token: string) => `${origin}/bookings/scan?t=${encodeURIComponent(token)}`
