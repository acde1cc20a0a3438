// Resident calls of the bookings domain (backend/bookings): what can be booked, its slots, booking a
// slot for my household, my bookings, cancelling, and checking in with the desk's QR code. The shapes
// are shared with the staff calls (bookingsStaff.ts).
import { api } from './client'
import type { Booking, BookingStatus, Resource, ResourceKind, Slot as StaffSlot, SlotDay as StaffSlotDay, WhyNot } from './bookingsStaff'

export type { Booking, BookingStatus, Resource, ResourceKind, WhyNot }

/** A slot as a resident sees it: with my household's booking in it, if any. */
export interface Slot extends StaffSlot {
  mine: { id: number; status: BookingStatus; position: number | null } | null
}

export interface SlotDay extends Omit<StaffSlotDay, 'slots'> {
  slots: Slot[]
}

export interface BookInput {
  starts_at: string
  seats: number
  dwelling_id?: number
  note?: string
  waitlist?: boolean
}

const base = (cid: number) => `/communities/${cid}/bookings`

export const listResources = (cid: number, kind?: ResourceKind) =>
  api.get<Resource[]>(`${base(cid)}/resources`, { query: { kind } })
export const getResource = (cid: number, id: number) => api.get<Resource>(`${base(cid)}/resources/${id}`)
export const listSlots = (cid: number, id: number, from?: string, days = 7) =>
  api.get<{ days: SlotDay[] }>(`${base(cid)}/resources/${id}/slots`, { query: { from, days } })
export const book = (cid: number, id: number, input: BookInput) => api.post<Booking>(`${base(cid)}/resources/${id}/book`, input)
export const myBookings = (cid: number, scope: 'upcoming' | 'past' = 'upcoming') =>
  api.get<Booking[]>(`${base(cid)}/mine`, { query: { scope } })
export const getBooking = (cid: number, id: number) => api.get<Booking>(`${base(cid)}/bookings/${id}`)
export const cancelBooking = (cid: number, id: number, reason = '') =>
  api.post<Booking>(`${base(cid)}/bookings/${id}/cancel`, reason ? { reason } : {})
/** Check in with the token of the desk's QR code. */
export const scanDesk = (cid: number, token: string) => api.post<Booking>(`${base(cid)}/scan`, { token })
