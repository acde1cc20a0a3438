import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { parseBirthYear, thisYear } from '@/views/me/birthYear'

// 2026-12-31 17:00 UTC is New Year's Day 2027 in Beijing, where the server counts years too.
const NEW_YEAR_IN_BEIJING = new Date('2026-12-31T17:00:00Z')

describe('year of birth on the Me screen', () => {
  it('counts this year in the community time zone, not UTC', () => {
    expect(thisYear(NEW_YEAR_IN_BEIJING)).toBe(2027)
  })

  it.each([
    ['1956', 1956],
    ['１９５６', 1956],
    [' 1900 ', 1900],
    ['2027', 2027],
    ['', null],
    ['  ', null],
    ['1899', undefined],
    ['2028', undefined],
    ['56', undefined],
    ['1956.0', undefined],
    ['abcd', undefined],
  ] as const)('"%s" reads as %s', (text, year) => {
    expect(parseBirthYear(text, NEW_YEAR_IN_BEIJING)).toBe(year)
  })

  it('has its texts in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const key of ['me.birthYear', 'me.birthYearHint', 'me.birthYearUnset', 'me.birthYearInvalid']) {
        expect(i18n.global.te(key, locale), `${locale} ${key}`).toBe(true)
      }
    }
    expect(i18n.global.t('me.birthYearInvalid', { year: 2027 })).toBe('请填写 1900 到 2027 之间的四位年份')
  })
})
