import { describe, expect, it } from 'vitest'
import type { Contact, ManagedContact } from '@/api/contacts'
import { localizeServerMessage } from '@/composables/serverMessages'
import { formatSpans, groupContacts, initialOf, phoneOf, weekdayNow, weekdayOf } from '@/views/contacts/helpers'
import { changesOf, emptyProfile, fromManaged, splitTags, toInput, validateProfile } from '@/views/contacts/staff/form'
import { emptyRoster, fromRoster, placeServerErrors, toRoster, validateRoster } from '@/views/contacts/staff/roster'

function contact(id: number, position: Contact['position'], on_duty = false, name = `人${id}`): Contact {
  return {
    id,
    name,
    position,
    title: '',
    handles: '',
    tags: [],
    work_phone: '',
    mobile: '',
    photo_url: null,
    photo_thumb_url: null,
    grids: [],
    on_duty,
    today: [],
    party: null,
  }
}

describe('directory', () => {
  it('puts who is on duty first, then groups the rest by position in the contract order', () => {
    const list = [contact(1, 'police', true), contact(2, 'grid_worker'), contact(3, 'secretary'), contact(4, 'grid_worker', true), contact(5, 'grid_worker')]
    const groups = groupContacts(list)
    expect(groups.map((g) => g.key)).toEqual(['on_duty', 'secretary', 'grid_worker'])
    expect(groups[0].items.map((c) => c.id)).toEqual([1, 4])
    expect(groups[2].items.map((c) => c.id)).toEqual([2, 5])
  })

  it('has no on-duty section when nobody is on duty, and no groups for an empty list', () => {
    expect(groupContacts([contact(1, 'other')]).map((g) => g.key)).toEqual(['other'])
    expect(groupContacts([])).toEqual([])
  })

  it('calls the work phone, else the mobile shown', () => {
    expect(phoneOf({ work_phone: '021-55550123', mobile: '13800001111' })).toBe('021-55550123')
    expect(phoneOf({ work_phone: '', mobile: '13800001111' })).toBe('13800001111')
    expect(phoneOf({ work_phone: '', mobile: '' })).toBe('')
  })

  it('writes spans, days off, initials and weekdays', () => {
    expect(formatSpans([{ start: '08:30', end: '12:00' }, { start: '13:30', end: '17:30' }])).toBe('08:30–12:00、13:30–17:30')
    expect(formatSpans([])).toBe('休息')
    expect(initialOf(' 王芳')).toBe('王')
    expect(initialOf('amy')).toBe('A')
    expect(weekdayOf('2026-12-05')).toBe(5) // a Saturday
    expect(weekdayNow('Asia/Shanghai', new Date('2026-11-29T20:00:00Z'))).toBe(0) // Monday 04:00 in Shanghai
  })
})

describe('roster form', () => {
  const roster = {
    week: [
      { weekday: 0, start: '13:30', end: '17:30' },
      { weekday: 0, start: '08:30', end: '12:00' },
      { weekday: 2, start: '09:00', end: '11:00' },
    ],
    exceptions: [
      { date: '2026-12-05', off: false, start: '09:00', end: '12:00', note: '周六值班' },
      { date: '2026-12-05', off: false, start: '14:00', end: '16:00', note: '周六值班' },
      { date: '2026-12-08', off: true, start: null, end: null, note: '年假' },
    ],
  }

  it('groups flat spans by weekday and exceptions by date, and back', () => {
    const form = fromRoster(roster)
    expect(form.week[0]).toEqual([{ start: '08:30', end: '12:00' }, { start: '13:30', end: '17:30' }])
    expect(form.week[1]).toEqual([])
    expect(form.exceptions).toEqual([
      { date: '2026-12-05', off: false, spans: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '16:00' }], note: '周六值班' },
      { date: '2026-12-08', off: true, spans: [], note: '年假' },
    ])
    const { roster: body, paths } = toRoster(form)
    expect(body.week).toEqual([
      { weekday: 0, start: '08:30', end: '12:00' },
      { weekday: 0, start: '13:30', end: '17:30' },
      { weekday: 2, start: '09:00', end: '11:00' },
    ])
    expect(body.exceptions).toEqual(roster.exceptions)
    expect(paths.week).toEqual(['week.0.0', 'week.0.1', 'week.2.0'])
    expect(paths.exceptions).toEqual(['exceptions.0.spans.0', 'exceptions.0.spans.1', 'exceptions.1'])
  })

  it('an off exception sends no spans even if some were typed before', () => {
    const form = emptyRoster()
    form.exceptions.push({ date: '2026-12-24', off: true, spans: [{ start: '09:00', end: '10:00' }], note: ' ' })
    expect(toRoster(form).roster.exceptions).toEqual([{ date: '2026-12-24', off: true, start: null, end: null, note: '' }])
  })

  it('checks HH:MM, order, overlaps, the four-span limit and dates', () => {
    const form = emptyRoster()
    form.week[0] = [{ start: '08:30', end: '12:00' }, { start: '11:00', end: '13:00' }]
    form.week[1] = [{ start: '9:00', end: '12:00' }]
    form.week[2] = [{ start: '12:00', end: '12:00' }]
    form.week[3] = [{ start: '08:00', end: '12:00' }, { start: '12:00', end: '24:00' }] // touching is fine; 24:00 ends the day
    form.week[4] = Array.from({ length: 5 }, (_, i) => ({ start: `0${i}:00`, end: `0${i}:30` }))
    form.exceptions = [
      { date: '2026-12-05', off: false, spans: [], note: '' },
      { date: '2026-12-05', off: true, spans: [], note: '' },
      { date: '', off: true, spans: [], note: '' },
    ]
    expect(Object.keys(validateRoster(form, '2026-11-30')).sort()).toEqual([
      'exceptions.0.spans',
      'exceptions.1.date',
      'exceptions.2.date',
      'week.0.1',
      'week.1.0',
      'week.2.0',
      'week.4',
    ])
    expect(validateRoster(fromRoster(roster), '2026-11-30')).toEqual({})
    expect(validateRoster(fromRoster(roster), '2026-12-06')['exceptions.0.date']).toBe('不能早于今天')
  })

  it("puts the server's whole-day problems on that day", () => {
    const form = fromRoster(roster)
    const { paths } = toRoster(form)
    const raw = { week: ['Weekday 2: Spans of one day must not overlap.'], exceptions: ['2026-12-05: At most 4 spans a day.'] }
    expect(placeServerErrors({ week: '重叠', exceptions: '太多' }, paths, form, raw)).toEqual({
      'week.2': '重叠',
      'exceptions.0.spans': '太多',
    })
    expect(localizeServerMessage('Weekday 2: Spans of one day must not overlap.')).toBe('同一天的时段不能重叠')
    expect(localizeServerMessage('Must be between 2026-11-30 and 2027-12-01.')).toBe('日期须在 2026-11-30 到 2027-12-01 之间')
  })

  it("places the server's flat errors on the rows the form shows", () => {
    const { paths } = toRoster(fromRoster(roster))
    expect(
      placeServerErrors(
        { 'week.1.end': 'a', 'week.2': 'b', 'exceptions.1.start': 'c', 'exceptions.2.date': 'd', 'exceptions.0.note': 'e', week: 'f' },
        paths,
      ),
    ).toEqual({
      'week.0.1': 'a',
      'week.2.0': 'b',
      'exceptions.0.spans.1': 'c',
      'exceptions.1.date': 'd',
      'exceptions.0.note': 'e',
      week: 'f',
    })
  })
})

describe('profile form', () => {
  const managed: ManagedContact = {
    ...contact(3, 'grid_worker', true, '王芳'),
    title: '第二网格网格员',
    tags: ['居住证明', '独居老人'],
    work_phone: '021-55550123',
    grids: [{ id: 2, name: '第二网格' }],
    party: { areas: ['law'], hours: '周六上午' },
    visible: true,
    user_id: null,
    private_mobile: '13800001111',
    show_mobile: false,
    photo: 'f1',
    photo_thumb_url: '/api/v1/communities/1/files/f1/thumb',
  }

  it('round-trips a profile and sends only what changed', () => {
    const form = fromManaged(managed)
    expect(form.tags).toBe('居住证明、独居老人')
    const before = toInput(form)
    expect(before).toMatchObject({ name: '王芳', grid_ids: [2], party: { areas: ['law'], hours: '周六上午' }, photo: 'f1' })
    form.showMobile = true
    form.tags = '居住证明，独居老人 垃圾分类'
    form.party = false
    expect(changesOf(before, toInput(form))).toEqual({ show_mobile: true, tags: ['居住证明', '独居老人', '垃圾分类'], party: null })
    expect(changesOf(before, before)).toEqual({})
  })

  it('splits tags and drops repeats', () => {
    expect(splitTags(' 低保,低保、 养老 ')).toEqual(['低保', '养老'])
  })

  it('needs a name and a position, proper phones, and an area for party consultation', () => {
    const form = emptyProfile()
    form.workPhone = '021 5555+0123'
    form.tags = '一、二、三、四、五、六、七、八、九、十、十一'
    form.showMobile = true
    form.party = true
    expect(Object.keys(validateProfile(form)).sort()).toEqual(['name', 'party.areas', 'position', 'private_mobile', 'tags', 'work_phone'])
    Object.assign(form, { name: '李明', position: 'police', workPhone: '021-5555 0110', tags: '户籍、反诈', privateMobile: '13800001111', partyAreas: ['law'] })
    expect(validateProfile(form)).toEqual({})
  })
})
