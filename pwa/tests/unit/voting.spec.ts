import { beforeEach, describe, expect, it } from 'vitest'
import type { ResidentPoll } from '@/api/voting'
import {
  awaitsMyVote,
  choiceCountOk,
  choiceHint,
  closingSoon,
  deadlineText,
  fractionKey,
  fractionPercent,
  groupReceipt,
  keepReceipt,
  pendingCount,
  percentText,
  ratioPercent,
  readReceipt,
  share,
  votedHow,
} from '@/views/voting/helpers'
import zhCN from '@/i18n/zh-CN/voting'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const later = (ms: number) => new Date(NOW + ms).toISOString()
const HOUR = 3_600_000

describe('deadlineText', () => {
  it('counts whole days, then hours, then minutes left', () => {
    expect(deadlineText('open', later(3 * 24 * HOUR + 5 * HOUR), NOW)).toEqual({ key: 'voting.daysLeft', values: { n: 3 } })
    expect(deadlineText('open', later(24 * HOUR), NOW)).toEqual({ key: 'voting.daysLeft', values: { n: 1 } })
    expect(deadlineText('open', later(5 * HOUR + 59 * 60_000), NOW)).toEqual({ key: 'voting.hoursLeft', values: { n: 5 } })
    expect(deadlineText('open', later(90_000), NOW)).toEqual({ key: 'voting.minutesLeft', values: { n: 1 } })
    expect(deadlineText('open', later(10_000), NOW)).toEqual({ key: 'voting.minutesLeft', values: { n: 1 } })
  })

  it('says closed once the deadline passed or the poll is closed, withdrawn when withdrawn', () => {
    expect(deadlineText('open', later(0), NOW).key).toBe('voting.closed')
    expect(deadlineText('open', later(-HOUR), NOW).key).toBe('voting.closed')
    expect(deadlineText('closed', later(3 * 24 * HOUR), NOW).key).toBe('voting.closed')
    expect(deadlineText('withdrawn', later(HOUR), NOW).key).toBe('voting.withdrawn')
    expect(deadlineText('open', 'not a date', NOW).key).toBe('voting.closed')
  })

  it('reads as Chinese', () => {
    expect(zhCN.voting.daysLeft.replace('{n}', '3')).toBe('还剩 3 天')
    expect(zhCN.voting.closed).toBe('已截止')
  })

  it('warns in the last day only', () => {
    expect(closingSoon('open', later(23 * HOUR), NOW)).toBe(true)
    expect(closingSoon('open', later(25 * HOUR), NOW)).toBe(false)
    expect(closingSoon('closed', later(HOUR), NOW)).toBe(false)
  })
})

describe('who still has to vote', () => {
  const poll = (over: Partial<ResidentPoll>) =>
    ({ status: 'open', can_vote: true, my_vote: { voted: false }, ...over }) as Pick<ResidentPoll, 'status' | 'can_vote' | 'my_vote'>

  it('is an open poll I may vote in and have not', () => {
    expect(awaitsMyVote(poll({}))).toBe(true)
    expect(awaitsMyVote(poll({ my_vote: { voted: true, by_me: false, channel: 'online' } }))).toBe(false)
    expect(awaitsMyVote(poll({ can_vote: false, my_vote: null }))).toBe(false)
    expect(awaitsMyVote(poll({ status: 'closed' }))).toBe(false)
  })

  it('counts them for the home tile', () => {
    expect(pendingCount([poll({}), poll({ status: 'closed' }), poll({}), poll({ my_vote: { voted: true } })])).toBe(2)
  })
})

describe('choice limits', () => {
  it('gives no hint for one choice, "选 n 项" or a range otherwise', () => {
    expect(choiceHint('single', 1, 1)).toBeNull()
    expect(choiceHint('multiple', 2, 2)).toEqual({ key: 'voting.chooseExactly', values: { n: 2 } })
    expect(choiceHint('multiple', 1, 2)).toEqual({ key: 'voting.chooseBetween', values: { min: 1, max: 2 } })
    expect(choiceHint('approval', 1, 5)).toEqual({ key: 'voting.chooseBetween', values: { min: 1, max: 5 } })
    expect(zhCN.voting.chooseBetween).toBe('选 {min}–{max} 项')
  })

  it('lets the ballot go only with min to max choices', () => {
    expect(choiceCountOk(0, 1, 2)).toBe(false)
    expect(choiceCountOk(1, 1, 2)).toBe(true)
    expect(choiceCountOk(2, 1, 2)).toBe(true)
    expect(choiceCountOk(3, 1, 2)).toBe(false)
  })
})

describe('bars', () => {
  it('turns ratios and thresholds into percentages of the bar', () => {
    expect(ratioPercent('0.8000')).toBe(80)
    expect(ratioPercent('0.6667')).toBe(66.67)
    expect(ratioPercent('1.0000')).toBe(100)
    expect(ratioPercent('0')).toBe(0)
    expect(ratioPercent('nonsense')).toBe(0)
    expect(fractionPercent('2/3')).toBe(66.67)
    expect(fractionPercent('1/2')).toBe(50)
    expect(fractionPercent('3/4')).toBe(75)
    expect(fractionPercent('0/1')).toBe(0)
    expect(fractionPercent('1/0')).toBe(0)
  })

  it('shares votes and area of the whole, clamped and safe with nothing cast', () => {
    expect(share(3, 4)).toBe(75)
    expect(share('120.50', '241.00')).toBe(50)
    expect(share(1, 0)).toBe(0)
    expect(share(5, 4)).toBe(100)
    expect(percentText(66.67)).toBe('66.7%')
    expect(percentText(80)).toBe('80%')
  })

  it('names the statutory thresholds', () => {
    expect(fractionKey('2/3')).toBe('voting.fraction.2_3')
    expect(zhCN.voting.fraction['3_4']).toBe('四分之三')
  })
})

describe('my vote and receipt', () => {
  beforeEach(() => localStorage.clear())

  it('says how the vote came in, or that someone at home voted', () => {
    expect(votedHow({ voted: true, by_me: true, channel: 'proxy' })).toEqual({ key: 'voting.channel.proxy' })
    expect(votedHow({ voted: true, by_me: false, channel: 'online' })).toEqual({ key: 'voting.votedByHousehold' })
  })

  it('groups the receipt by four and keeps it per community and poll', () => {
    expect(groupReceipt('a1b2c3d4e5f6a7b8')).toBe('a1b2 c3d4 e5f6 a7b8')
    keepReceipt(1, 7, { receipt: 'a1b2c3d4e5f6a7b8', voted_at: '2026-11-30T12:00:00Z' })
    expect(readReceipt(1, 7)?.receipt).toBe('a1b2c3d4e5f6a7b8')
    expect(readReceipt(1, 8)).toBeNull()
    expect(readReceipt(2, 7)).toBeNull()
  })
})
