import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import type { Slot } from '@/api/bookings'
import { i18n } from '@/i18n'
import { bookingError, cancellable, dayStrip, deskToken, durationText, slotLook } from '@/views/bookings/helpers'
import { lowestPrice, myRatingThisMonth, priceText, ratingError } from '@/views/services/helpers'

function slot(over: Partial<Slot> = {}): Slot {
  return {
    starts_at: '2026-12-01T01:00:00Z',
    ends_at: '2026-12-01T02:00:00Z',
    seats: 4,
    taken: 1,
    free: 3,
    blocked: false,
    bookable: true,
    why_not: null,
    waitlist: 0,
    mine: null,
    ...over,
  }
}

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('slot grid states', () => {
  const withWaitlist = { waitlist: true }
  const noWaitlist = { waitlist: false }

  it('a free slot shows its free places and books on a tap', () => {
    const look = slotLook(slot(), noWaitlist)
    expect(look).toMatchObject({ state: 'free', tappable: true, label: 'free', values: { n: 3 } })
    expect(i18n.global.t(`bookings.slot.${look.label}`, look.values)).toBe('余 3 位')
  })

  it('a full slot says 已满, and offers the waitlist only when the resource has one', () => {
    const full = slot({ taken: 4, free: 0, bookable: false, why_not: 'slot_full', waitlist: 2 })
    const closed = slotLook(full, noWaitlist)
    expect(closed).toMatchObject({ state: 'full', tappable: false })
    expect(i18n.global.t(`bookings.slot.${closed.label}`)).toBe('已满')
    const open = slotLook(full, withWaitlist)
    expect(open).toMatchObject({ state: 'waitlist', tappable: true, values: { n: 2 } })
    expect(i18n.global.t(`bookings.slot.${open.label}`)).toBe('已满 · 可候补')
  })

  it('a full slot that is also too late cannot be waitlisted', () => {
    const look = slotLook(slot({ free: 0, taken: 4, bookable: false, why_not: 'too_late' }), withWaitlist)
    expect(look).toMatchObject({ state: 'off', tappable: false, label: 'why.too_late' })
  })

  it.each([
    ['resource_closed', '停止预约'],
    ['too_late', '已截止'],
    ['too_far_ahead', '未开放'],
    ['blocked', '暂停预约'],
    ['past', '已过'],
  ] as const)('a slot not bookable because %s says so and cannot be tapped', (why, text) => {
    const look = slotLook(slot({ bookable: false, why_not: why }), withWaitlist)
    expect(look.state).toBe('off')
    expect(look.tappable).toBe(false)
    expect(i18n.global.t(`bookings.slot.${look.label}`)).toBe(text)
  })

  it('my household’s booking wins over every other state, with the waitlist place', () => {
    const waiting = slotLook(slot({ free: 0, why_not: 'slot_full', bookable: false, mine: { id: 9, status: 'waitlisted', position: 2 } }), withWaitlist)
    expect(waiting).toMatchObject({ state: 'mine', tappable: false })
    expect(i18n.global.t(`bookings.slot.${waiting.label}`, waiting.values)).toBe('候补第 2 位')
    expect(slotLook(slot({ mine: { id: 9, status: 'confirmed', position: null } }), noWaitlist).label).toBe('mine.confirmed')
  })

  it('a cancelled booking of mine leaves the slot as it is for everyone', () => {
    expect(slotLook(slot({ mine: { id: 9, status: 'cancelled', position: null } }), noWaitlist).state).toBe('free')
  })
})

// Every refusal code of the contract (docs: /bookings/.../book, cancel, scan) has its own words.
const CODES = [
  'resource_closed',
  'not_eligible',
  'birth_year_needed',
  'no_such_slot',
  'blackout',
  'blocked',
  'past',
  'too_late',
  'too_far_ahead',
  'too_many_seats',
  'already_booked',
  'week_quota_exceeded',
  'month_quota_exceeded',
  'slot_full',
  'too_late_to_cancel',
  'no_booking_now',
]

describe('refusal messages', () => {
  const resource = { eligibility: 'seniors', min_notice_minutes: 120, advance_days: 14, max_seats_per_booking: 2 } as const
  const generic = () => i18n.global.t('errors.generic')

  it.each(CODES)('%s has its own message in Chinese and English', (code) => {
    const zh = bookingError(new ApiError(code, 409), resource)
    expect(zh).not.toBe(generic())
    expect(zh).not.toMatch(/[{}]/)
    i18n.global.locale.value = 'en'
    const en = bookingError(new ApiError(code, 409), resource)
    expect(en).not.toBe(zh)
    expect(en).not.toMatch(/[{}]|[\u4e00-\u9fff]/)
  })

  it('says the resource’s own numbers and who may book', () => {
    expect(bookingError(new ApiError('too_late', 409), resource)).toBe('需要至少提前 2 小时预约，这个时段来不及了')
    expect(bookingError(new ApiError('too_far_ahead', 409), resource)).toBe('最多只能提前 14 天预约')
    expect(bookingError(new ApiError('too_many_seats', 422), resource)).toBe('每次最多约 2 位')
    expect(bookingError(new ApiError('not_eligible', 403), resource)).toBe('这个项目只有老年人可以预约')
  })

  it('reads a quota and its no-show penalty from the details', () => {
    const plain = new ApiError('week_quota_exceeded', 409, '', {}, { quota: 2, used: 2, penalty: 0 })
    expect(bookingError(plain, resource)).toBe('每户每周限约 2 次，本周已约 2 次')
    const lowered = new ApiError('month_quota_exceeded', 409, '', {}, { quota: 4, used: 3, penalty: 1 })
    expect(bookingError(lowered, resource)).toBe('每户每月限约 4 次，本月已约 3 次（因近期有未到场的预约，次数已减少 1 次）')
  })

  it('offers the waitlist when a slot filled up and the resource has one', () => {
    expect(bookingError(new ApiError('slot_full', 409, '', {}, { waitlist: false }))).toBe('刚刚被约满了')
    expect(bookingError(new ApiError('slot_full', 409, '', {}, { waitlist: true }))).toBe('刚刚被约满了，可以加入候补')
  })

  it('asks which home when the server wants a dwelling, and falls back to the shared messages', () => {
    expect(bookingError(new ApiError('validation_failed', 422, '', { dwelling_id: ['Choose which home this booking is for.'] }))).toBe('请选择为哪一户预约')
    expect(bookingError(new ApiError('network_error', 0))).toBe(i18n.global.t('errors.network_error'))
    expect(bookingError(new ApiError('something_new', 409))).toBe(generic())
    expect(bookingError(new ApiError('not_eligible', 403))).toBe('您不符合这个项目的预约条件')
  })
})

describe('booking helpers', () => {
  it('cancels only live bookings before the cut-off', () => {
    const now = new Date('2026-12-01T00:00:00Z')
    const b = { can_cancel: true, cancel_until: '2026-12-01T01:00:00Z', status: 'confirmed' as const }
    expect(cancellable(b, now)).toBe(true)
    expect(cancellable(b, new Date('2026-12-01T01:00:00Z'))).toBe(false)
    expect(cancellable({ ...b, status: 'checked_in' }, now)).toBe(false)
    expect(cancellable({ ...b, can_cancel: false }, now)).toBe(false)
  })

  it('lists the days of the strip across a month end', () => {
    expect(dayStrip('2026-11-29', 4)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'])
  })

  it('says durations in the largest whole unit', () => {
    expect(durationText(30)).toBe('30 分钟')
    expect(durationText(120)).toBe('2 小时')
    expect(durationText(90)).toBe('90 分钟')
    expect(durationText(2880)).toBe('2 天')
  })

  it('reads the desk token from the QR URL or as typed, and nothing else', () => {
    const token = '7.b.5871234.0123456789abcdef'
    expect(deskToken(`https://cc.example/bookings/scan?t=${token}`)).toBe(token)
    expect(deskToken(` ${token} `)).toBe(token)
    expect(deskToken(`https://cc.example/volunteer/scan?t=${token}`)).toBeNull()
    expect(deskToken('https://cc.example/bookings/scan')).toBeNull()
    expect(deskToken('')).toBeNull()
  })
})

describe('convenience services', () => {
  it('says prices as people do', () => {
    expect(priceText({ price_from: '30.00', price_to: '80.00', unit: '次' })).toBe('30–80 元/次')
    expect(priceText({ price_from: '50.00', price_to: null, unit: '' })).toBe('50 元起')
    expect(priceText({ price_from: 20, price_to: 20, unit: '小时' })).toBe('20 元/小时')
    expect(priceText({ price_from: null, price_to: null, unit: '次' })).toBe('价格面议')
    expect(lowestPrice([{ price_from: '80', price_to: null }, { price_from: null, price_to: '35.5' }])).toBe('35.5 元起')
    expect(lowestPrice([{ price_from: null, price_to: null }])).toBe('')
  })

  it('finds my household’s rating of this month only', () => {
    const base = { stars: 4, text: '', hidden: false, created_at: '2026-12-02T03:00:00Z' }
    const me = { userId: 5, dwellingIds: [11] }
    const mineLastMonth = { ...base, id: 1, month: '2026-11', user: { id: 5, name: '我' } }
    const neighbours = { ...base, id: 2, month: '2026-12', user: { id: 6, name: '邻居' }, dwelling: { id: 12, label: '2-101' } }
    const myWifes = { ...base, id: 3, month: '2026-12', user: { id: 7, name: '家人' }, dwelling: { id: 11, label: '1-101' } }
    expect(myRatingThisMonth([mineLastMonth, neighbours], me, '2026-12')).toBeNull()
    expect(myRatingThisMonth([mineLastMonth, neighbours, myWifes], me, '2026-12')?.id).toBe(3)
  })

  it('explains a second rating this month', () => {
    expect(ratingError(new ApiError('already_rated', 409))).toBe('您家本月已经评价过了，可以修改评价')
  })
})
