import { describe, expect, it } from 'vitest'
import type { Facility } from '@/api/facilities'
import { localizeServerMessage } from '@/composables/serverMessages'
import { emptyForm, errorAt, fromFacility, isOvernight, localDate, toInput, validate } from '@/views/facilities/staff/form'

function filled() {
  const form = emptyForm()
  Object.assign(form, { typeId: 3, name: '幸福里图书室', latitude: '22.5405', longitude: '113.9412' })
  return form
}

describe('facility form', () => {
  it('a filled form has no errors and becomes the API input', () => {
    const form = filled()
    form.hours.mon = [['09:00', '12:00'], ['14:00', '24:00']]
    form.photos = ' https://example.org/a.jpg \n\n'
    form.exceptions = [{ start: '2026-10-01', end: '', kind: 'closed', ranges: [['09:00', '12:00']], note: '国庆节' }]
    expect(validate(form)).toEqual({})
    const input = toInput(form)
    expect(input).toMatchObject({ type_id: 3, latitude: 22.5405, longitude: 113.9412, photos: ['https://example.org/a.jpg'] })
    expect(input.exceptions[0]).toEqual({ start: '2026-10-01', end: '2026-10-01', kind: 'closed', ranges: [], note: '国庆节' })
    expect(input.staff_user_id).toBeNull()
  })

  it('errors are keyed by the paths the server uses', () => {
    const form = emptyForm()
    form.latitude = '95'
    form.longitude = 'east'
    form.hours.tue = [['09:00', ''], ['08:00', '08:00']]
    form.exceptions = [{ start: '2026-10-07', end: '2026-10-01', kind: 'hours', ranges: [], note: '' }]
    form.photos = 'ftp://x'
    expect(Object.keys(validate(form)).sort()).toEqual([
      'exceptions.0.end',
      'exceptions.0.ranges',
      'hours.tue.0',
      'hours.tue.1',
      'latitude',
      'longitude',
      'name',
      'photos.0',
      'type_id',
    ])
  })

  it('an end before the start runs past midnight, which is allowed', () => {
    const form = filled()
    form.hours.fri = [['22:00', '02:00']]
    form.hours.sat = [['00:00', '24:00']]
    expect(validate(form)).toEqual({})
    expect(isOvernight(['22:00', '02:00'])).toBe(true)
    expect(isOvernight(['08:00', '24:00'])).toBe(false)
  })

  it('a saved facility fills the form without sharing its arrays', () => {
    const facility = {
      type: { id: 2, name: '图书馆', icon: 'bookmark-o', position: 0 },
      name: '书屋',
      address: '',
      latitude: 22.5,
      longitude: 113.9,
      phone: '',
      description: '',
      accessibility: ['elevator'],
      photos: ['https://example.org/a.jpg', 'https://example.org/b.jpg'],
      hours: { mon: [['09:00', '17:00']] },
      exceptions: [],
      staff: { id: 7, name: '王芳' },
    } as unknown as Facility
    const form = fromFacility(facility)
    expect(form).toMatchObject({ typeId: 2, latitude: '22.5', photos: 'https://example.org/a.jpg\nhttps://example.org/b.jpg' })
    expect(form.hours.sun).toEqual([])
    form.hours.mon[0][1] = '18:00'
    expect(facility.hours.mon[0][1]).toBe('17:00')
    expect(toInput(form).staff_user_id).toBe(7)
  })

  it('finds a message at or below a path', () => {
    expect(errorAt({ 'photos.2': 'bad' }, 'photos')).toBe('bad')
    expect(errorAt({ 'hours.mon.10': 'bad' }, 'hours.mon.1')).toBe('')
  })

  it('today is the local date, not UTC', () => {
    expect(localDate(new Date(2026, 9, 1, 0, 30))).toBe('2026-10-01')
  })
})

describe('facility server messages', () => {
  it.each([
    ['A range must not start and end at the same time.', '开始和结束时间不能相同'],
    ['Times are HH:MM from 00:00 to 24:00 (24:00 only as an end).', '时间须为 00:00 到 24:00 之间的“时:分”'],
    ['The end is before the start or more than a year after it.', '结束日期不能早于开始日期，也不能超过一年'],
    ['Special hours need at least one range.', '特殊时间至少要有一个时段'],
    ['Not staff of this community.', '不是本社区的工作人员'],
  ])('%s', (server, zh) => {
    expect(localizeServerMessage(server)).toBe(zh)
  })
})
