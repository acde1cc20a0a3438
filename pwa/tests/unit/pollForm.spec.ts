import { describe, expect, it } from 'vitest'
import type { Poll } from '@/api/voting'
import {
  emptyForm,
  fromPoll,
  paperSupported,
  percent,
  pollTarget,
  slipUrl,
  statusTagType,
  toInput,
  toLocalInput,
} from '@/views/voting/staff/pollForm'

const NOW = new Date(2026, 10, 30, 9, 15)

function opinion() {
  return { ...emptyForm(NOW), title: ' 增设充电桩 ', options: ['同意', ' 不同意 ', '  '] }
}

describe('emptyForm', () => {
  it('runs a week, closing at six in the evening', () => {
    expect(emptyForm(NOW).closesAt).toBe('2026-12-07T18:00')
  })
})

describe('toInput', () => {
  it('trims, drops blank options and sends the whole community', () => {
    const input = toInput(opinion())
    expect(input.title).toBe('增设充电桩')
    expect(input.options).toEqual([{ label: '同意' }, { label: '不同意' }])
    expect(input.scope).toEqual({ everyone: true, grid_ids: [], building_ids: [] })
    expect(input.matter).toBeNull()
    expect(input.opens_at).toBeNull()
    expect(input.closes_at).toBe(new Date(2026, 11, 7, 18, 0).toISOString())
  })

  it('sends one choice for a single-choice poll whatever the steppers say', () => {
    const input = toInput({ ...opinion(), minChoices: 2, maxChoices: 3 })
    expect([input.min_choices, input.max_choices]).toEqual([1, 1])
    const several = toInput({ ...opinion(), choice: 'multiple', minChoices: 1, maxChoices: 2 })
    expect([several.min_choices, several.max_choices]).toEqual([1, 2])
  })

  it("makes an owners' decision owners only, with its matter and no options of its own", () => {
    const input = toInput({ ...opinion(), kind: 'owners', matter: 'major', choice: 'multiple', counting: 'dwelling' })
    expect(input).toMatchObject({ kind: 'owners', matter: 'major', owners_only: true, choice: 'single', counting: 'person', options: [] })
  })

  it('never lets a secret ballot be changed', () => {
    expect(toInput({ ...opinion(), secret: true, allowChange: true }).allow_change).toBe(false)
    expect(toInput({ ...opinion(), allowChange: true }).allow_change).toBe(true)
  })

  it('sends only the picked places of the chosen scope, and the opening time only when later', () => {
    const input = toInput({ ...opinion(), scope: 'buildings', gridIds: [1], buildingIds: [4, 5], when: 'later', opensAt: '2026-12-01T08:00' })
    expect(input.scope).toEqual({ everyone: false, grid_ids: [], building_ids: [4, 5] })
    expect(input.opens_at).toBe(new Date(2026, 11, 1, 8, 0).toISOString())
  })
})

describe('fromPoll', () => {
  it('gives back the form a draft was saved from', () => {
    const form = { ...opinion(), title: '增设充电桩', options: ['同意', '不同意'], scope: 'grids' as const, gridIds: [2] }
    const input = toInput(form)
    const poll: Poll = {
      ...input,
      id: 7,
      counting: 'person',
      status: 'draft',
      opened_at: null,
      closed_at: null,
      withdrawn_at: null,
      withdraw_reason: '',
      roll_heads: null,
      roll_area: null,
      options: input.options.map((o, i) => ({ id: i + 1, label: o.label, meaning: null })),
    }
    expect(toInput(fromPoll(poll))).toEqual(input)
  })
})

describe('labels and links', () => {
  it('colours each status and sends drafts to the form', () => {
    expect(statusTagType('open')).toBe('success')
    expect(statusTagType('scheduled')).toBe('warning')
    expect(pollTarget(1, { id: 3, status: 'draft' })).toBe('/staff/1/polls/3/edit')
    expect(pollTarget(1, { id: 3, status: 'closed' })).toBe('/staff/1/polls/3')
  })

  it('offers paper slips for polls counted by home or unit only', () => {
    expect(paperSupported({ kind: 'owners', counting: 'unit' })).toBe(true)
    expect(paperSupported({ kind: 'opinion', counting: 'dwelling' })).toBe(true)
    expect(paperSupported({ kind: 'opinion', counting: 'person' })).toBe(false)
  })

  it('puts the code in the slip URL, and shares never divide by zero', () => {
    expect(slipUrl('https://x.cn', 1, 4, 'AB CD')).toBe('https://x.cn/polls/4/code?cid=1&c=AB%20CD')
    expect(percent(1, 3)).toBe(33)
    expect(percent(5, 0)).toBe(0)
    expect(toLocalInput(new Date(2026, 0, 2, 3, 4))).toBe('2026-01-02T03:04')
  })
})
