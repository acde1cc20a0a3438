import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { formatDay } from '@/composables/format'
import { formatRanges } from '@/composables/hours'

const today = new Date('2026-11-30T10:00:00+08:00')

describe('formatDay', () => {
  afterEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('says a day as people do, with its weekday and no year when it is near', () => {
    expect(formatDay('2027-01-01', today)).toBe('1月1日周五')
    i18n.global.locale.value = 'en'
    expect(formatDay('2027-01-01', today)).toBe('Fri, January 1')
  })

  it('names the year of a day far away, and leaves what it cannot read as it is', () => {
    expect(formatDay('2028-03-01', today)).toBe('2028年3月1日周三')
    expect(formatDay('soon', today)).toBe('soon')
  })
})

describe('formatRanges', () => {
  afterEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('joins ranges with the punctuation of the language, or one a line', () => {
    const ranges: [string, string][] = [['09:00', '12:00'], ['14:00', '18:00']]
    expect(formatRanges(ranges)).toBe('09:00–12:00，14:00–18:00')
    expect(formatRanges(ranges, '\n')).toBe('09:00–12:00\n14:00–18:00')
    i18n.global.locale.value = 'en'
    expect(formatRanges(ranges)).toBe('09:00–12:00, 14:00–18:00')
  })
})
