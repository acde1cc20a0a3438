import { describe, expect, it } from 'vitest'
import type { Resource, Slot, SlotDay } from '@/api/bookingsStaff'
import { i18n } from '@/i18n'
import { addDays, canCancel, canCheckIn, cellState, clock, dayOf, monthRange, mondayOf, sortedBookings, weekGrid } from '@/views/bookings/staff/calendar'
import { emptyResource, fromResource, overlappingWindows, slotStarts, slotsPerWeek, toResourceInput, validateResource } from '@/views/bookings/staff/form'

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

// 2026-12-01 is a Tuesday; 01:00Z is 09:00 in Shanghai.
const slot = (startsAt: string, extra: Partial<Slot> = {}): Slot => ({
  starts_at: startsAt,
  ends_at: new Date(new Date(startsAt).getTime() + 3_600_000).toISOString(),
  seats: 4,
  taken: 0,
  free: 4,
  blocked: false,
  bookable: true,
  why_not: null,
  waitlist: 0,
  ...extra,
})
const day = (date: string, slots: Slot[], closed = false): SlotDay => ({ date, closed, note: closed ? '元旦' : '', slots })

describe('calendar days', () => {
  it('reads moments on the community clock, whatever the phone is set to', () => {
    expect(clock('2026-12-01T01:00:00Z')).toBe('09:00')
    expect(clock('2026-12-01T16:30:00Z')).toBe('00:30')
    expect(dayOf(new Date('2026-12-01T16:30:00Z'))).toBe('2026-12-02')
    expect(dayOf(new Date('2026-12-01T16:30:00Z'), 'UTC')).toBe('2026-12-01')
  })

  it('steps days across months and years and finds the Monday of a week', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(mondayOf('2026-12-01')).toBe('2026-11-30') // a Tuesday
    expect(mondayOf('2026-12-06')).toBe('2026-11-30') // a Sunday ends the week
    expect(mondayOf('2026-11-30')).toBe('2026-11-30')
  })

  it('gives the first and last day of a month, February included', () => {
    expect(monthRange('2026-12-15')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
    expect(monthRange('2028-02-03')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(monthRange('2026-01-31')).toEqual({ from: '2026-01-01', to: '2026-01-31' })
  })
})

describe('week grid', () => {
  it('puts each start time in one row and leaves a day without that slot empty', () => {
    const week = [
      day('2026-11-30', [slot('2026-11-30T01:00:00Z'), slot('2026-11-30T06:00:00Z')]),
      day('2026-12-01', [slot('2026-12-01T02:00:00Z'), slot('2026-12-01T01:00:00Z')]),
      day('2026-12-02', [], true),
    ]
    const grid = weekGrid(week)
    expect(grid.rows.map((r) => r.time)).toEqual(['09:00', '10:00', '14:00'])
    expect(grid.rows[0].cells.map((c) => c.slot?.starts_at ?? null)).toEqual(['2026-11-30T01:00:00Z', '2026-12-01T01:00:00Z', null])
    expect(grid.rows[1].cells.map((c) => Boolean(c.slot))).toEqual([false, true, false])
    expect(grid.rows[2].cells.map((c) => c.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02'])
    expect(grid.days[2]).toEqual({ date: '2026-12-02', closed: true, note: '元旦' })
  })

  it('has no rows for a week with no slots', () => {
    expect(weekGrid([day('2026-11-30', []), day('2026-12-01', [], true)]).rows).toEqual([])
  })

  it('says blocked before full, and over before free', () => {
    expect(cellState(slot('2026-12-01T01:00:00Z', { blocked: true, free: 0, taken: 4 }))).toBe('blocked')
    expect(cellState(slot('2026-12-01T01:00:00Z', { taken: 4, free: 0 }))).toBe('full')
    expect(cellState(slot('2026-12-01T01:00:00Z', { taken: 1, free: 3 }))).toBe('some')
    expect(cellState(slot('2026-12-01T01:00:00Z'))).toBe('free')
    expect(cellState(slot('2026-12-01T01:00:00Z', { why_not: 'past' }))).toBe('past')
  })

  it('lists bookings staff act on first and offers only the actions that apply', () => {
    const b = (id: number, status: 'confirmed' | 'cancelled' | 'waitlisted' | 'checked_in') => ({ id, name: '', phone: '', dwelling: '', seats: 1, status, booked_by: null, position: null, checked_in_at: null })
    expect(sortedBookings([b(1, 'cancelled'), b(2, 'confirmed'), b(3, 'waitlisted')]).map((x) => x.id)).toEqual([2, 3, 1])
    const nine = slot('2026-12-01T01:00:00Z') // 09:00–10:00 in Shanghai
    const at = (iso: string) => new Date(iso)
    expect(canCheckIn(b(1, 'confirmed'), nine, 15, at('2026-12-01T00:45:00Z'))).toBe(true)
    expect(canCheckIn(b(1, 'confirmed'), nine, 15, at('2026-12-01T00:44:00Z'))).toBe(false)
    expect(canCheckIn(b(1, 'confirmed'), nine, 15, at('2026-12-01T02:00:00Z'))).toBe(true)
    expect(canCheckIn(b(1, 'confirmed'), nine, 15, at('2026-12-01T02:00:01Z'))).toBe(false)
    expect(canCheckIn(b(1, 'checked_in'), nine, 15, at('2026-12-01T01:00:00Z'))).toBe(false)
    expect(canCancel(b(1, 'waitlisted'))).toBe(true)
    expect(canCancel(b(1, 'cancelled'))).toBe(false)
  })
})

describe('schedule slots', () => {
  it('cuts a window into slots that end within it, with the gap between them', () => {
    expect(slotStarts(['09:00', '12:00'], 60)).toEqual(['09:00', '10:00', '11:00'])
    expect(slotStarts(['09:00', '12:00'], 60, 15)).toEqual(['09:00', '10:15'])
    expect(slotStarts(['09:00', '09:30'], 60)).toEqual([])
    expect(slotStarts(['22:00', '24:00'], 60)).toEqual(['22:00', '23:00'])
    expect(slotStarts(['23:00', '01:00'], 60)).toEqual(['23:00', '00:00'])
    expect(slotStarts(['', '12:00'], 60)).toEqual([])
  })

  it('counts the slots of a week', () => {
    const f = emptyResource() // weekdays 09–12 and 14–17
    expect(slotsPerWeek(f.schedule, 60)).toBe(30)
    expect(slotsPerWeek(f.schedule, 90, 30)).toBe(10) // 09:00–10:30, then 11:00 would end after 12:00
  })
})

const resource: Resource = {
  id: 7,
  kind: 'service',
  name: '理发日',
  description: '',
  facility: null,
  at_home: false,
  provider_service_id: 12,
  provider: { id: 3, name: '巧手理发', phone: '13900000000' },
  schedule: { sat: [['09:00', '11:00']] },
  slot_minutes: 30,
  buffer_minutes: 0,
  seats: 3,
  max_seats_per_booking: 1,
  blackouts: [{ start: '2027-02-16', end: '2027-02-18', note: '春节' }],
  advance_days: 14,
  min_notice_minutes: 90,
  cancel_cutoff_minutes: 120,
  week_quota: null,
  month_quota: 2,
  needs_approval: false,
  eligibility: 'seniors',
  waitlist: true,
  checkin_early_minutes: 15,
  no_show_minutes: 10,
  status: 'open',
  photos: [],
  next_free: null,
}

describe('resource form', () => {
  it('round-trips a resource: hours for notice and cut-off, blank for no quota, the provider as the place', () => {
    const f = fromResource(resource)
    expect(f).toMatchObject({ place: 'provider', noticeHours: '1.5', cutoffHours: '2', weekQuota: '', monthQuota: '2' })
    expect(f.schedule.mon).toEqual([])
    expect(validateResource(f, t)).toEqual({})
    const input = toResourceInput(f)
    expect(input).toMatchObject({
      facility_id: null,
      at_home: false,
      provider_service_id: 12,
      min_notice_minutes: 90,
      cancel_cutoff_minutes: 120,
      week_quota: null,
      month_quota: 2,
      blackouts: [{ start: '2027-02-16', end: '2027-02-18', note: '春节' }],
    })
    expect(input.schedule.sat).toEqual([['09:00', '11:00']])
  })

  it('a room is always held in its venue; at home sends no venue', () => {
    const f = emptyResource()
    Object.assign(f, { name: '活动室', facility: { id: 4, name: '活动中心' }, place: 'home' })
    expect(toResourceInput(f)).toMatchObject({ kind: 'room', facility_id: 4, at_home: false, provider_service_id: null })
    f.kind = 'service'
    expect(toResourceInput(f)).toMatchObject({ facility_id: null, at_home: true })
  })

  it('a one-day blackout sends its start as its end', () => {
    const f = emptyResource()
    f.blackouts = [{ start: '2027-01-01', end: '', note: ' 元旦 ' }]
    expect(toResourceInput(f).blackouts).toEqual([{ start: '2027-01-01', end: '2027-01-01', note: '元旦' }])
  })

  it('finds what the server would refuse, under the server’s field names', () => {
    const f = emptyResource()
    Object.assign(f, { seats: '2', maxSeats: '3', slotMinutes: '240', weekQuota: 'x', noticeHours: '一' })
    f.blackouts = [{ start: '2027-01-05', end: '2027-01-01', note: '' }]
    const errors = validateResource(f, t)
    expect(Object.keys(errors).sort()).toEqual([
      'blackouts.0.end',
      'facility_id',
      'max_seats_per_booking',
      'min_notice_minutes',
      'name',
      'schedule.fri.0',
      'schedule.fri.1',
      'schedule.mon.0',
      'schedule.mon.1',
      'schedule.thu.0',
      'schedule.thu.1',
      'schedule.tue.0',
      'schedule.tue.1',
      'schedule.wed.0',
      'schedule.wed.1',
      'week_quota',
    ])
    expect(errors['schedule.mon.0']).toContain('240')
  })

  it('names windows that overlap, on one day or past midnight into the next, as the server refuses them', () => {
    const f = emptyResource()
    Object.assign(f, { name: '会议室', facility: { id: 1, name: '居委会' } })
    for (const d of Object.keys(f.schedule) as (keyof typeof f.schedule)[]) f.schedule[d] = []
    f.schedule.mon = [['09:00', '12:00'], ['12:00', '14:00']] // touching is fine
    f.schedule.tue = [['22:00', '02:00']]
    f.schedule.wed = [['01:00', '03:00']]
    f.schedule.sun = [['23:00', '00:30']]
    expect(overlappingWindows(f.schedule)).toEqual([[{ d: 'tue', i: 0 }, { d: 'wed', i: 0 }]])
    const errors = validateResource(f, t)
    expect(Object.keys(errors).sort()).toEqual(['schedule.tue.0', 'schedule.wed.0'])
    expect(errors['schedule.tue.0']).toBe('与星期三 01:00–03:00重叠，同一时间会出现两次')
    f.schedule.mon = [['00:00', '01:00']]
    expect(overlappingWindows(f.schedule)).toContainEqual([{ d: 'mon', i: 0 }, { d: 'sun', i: 0 }])
  })

  it('asks for at least one period', () => {
    const f = emptyResource()
    Object.assign(f, { name: '会议室', facility: { id: 1, name: '居委会' } })
    for (const d of Object.keys(f.schedule) as (keyof typeof f.schedule)[]) f.schedule[d] = []
    expect(Object.keys(validateResource(f, t))).toEqual(['schedule'])
  })
})
