import { describe, expect, it, vi } from 'vitest'
import {
  codeTimer,
  missingSkills,
  periodRange,
  placesLeft,
  roundMinutes,
  scanUrl,
  signupAction,
  timeRange,
  tokenFrom,
} from '@/views/volunteering/helpers'
import { activityProblems, emptyActivity, toActivityInput } from '@/views/volunteering/staff/activityForm'

const TOKEN = '12.i.58712345.0123456789abcdef0123'

describe('scan URL', () => {
  it('is read back from what the QR code holds', () => {
    const url = scanUrl('https://cc.example', TOKEN, 3)
    expect(url).toBe(`https://cc.example/volunteer/scan?t=${TOKEN}&c=3`)
    expect(tokenFrom(url)).toEqual({ token: TOKEN, cid: 3 })
  })

  it('takes a bare token, a relative URL and another origin', () => {
    expect(tokenFrom(`  ${TOKEN} `)).toEqual({ token: TOKEN, cid: null })
    expect(tokenFrom(`/volunteer/scan?t=${TOKEN}`)).toEqual({ token: TOKEN, cid: null })
    expect(tokenFrom(`http://192.168.1.5:8000/volunteer/scan/?t=${TOKEN}&c=x`)).toEqual({ token: TOKEN, cid: null })
  })

  it('refuses what is not a check-in code', () => {
    for (const text of ['', 'hello', '12345678', 'https://cc.example/market?t=abc', 'https://cc.example/volunteer/scan', 'http://[bad']) {
      expect(tokenFrom(text)).toBeNull()
    }
  })
})

describe('rotating code timer', () => {
  function fakeTimers() {
    const pending: { fn: () => void; ms: number }[] = []
    return {
      pending,
      timers: {
        set: (fn: () => void, ms: number) => pending.push({ fn, ms }),
        clear: vi.fn(),
      },
    }
  }

  it('fetches at once, then every 25 s', async () => {
    const { pending, timers } = fakeTimers()
    let n = 0
    const codes: number[] = []
    const timer = codeTimer({ fetch: async () => ++n, onCode: (c) => codes.push(c), timers })
    await timer.start()
    expect(codes).toEqual([1])
    expect(pending.map((p) => p.ms)).toEqual([25_000])
    pending.shift()!.fn()
    await vi.waitFor(() => expect(codes).toEqual([1, 2]))
    expect(pending.map((p) => p.ms)).toEqual([25_000])
  })

  it('retries sooner after a failure and keeps going', async () => {
    const { pending, timers } = fakeTimers()
    const errors: unknown[] = []
    const fetch = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue('ok')
    const codes: string[] = []
    const timer = codeTimer<string>({ fetch, onCode: (c) => codes.push(c), onError: (e) => errors.push(e), timers })
    await timer.start()
    expect(errors).toHaveLength(1)
    expect(pending[0].ms).toBe(5_000)
    pending.shift()!.fn()
    await vi.waitFor(() => expect(codes).toEqual(['ok']))
  })

  it('drops an answer that arrives after stop (the popup was closed)', async () => {
    const { pending, timers } = fakeTimers()
    let resolve: (v: string) => void = () => undefined
    const codes: string[] = []
    const timer = codeTimer<string>({ fetch: () => new Promise((r) => (resolve = r)), onCode: (c) => codes.push(c), timers })
    const started = timer.start()
    timer.stop()
    resolve('late')
    await started
    expect(codes).toEqual([])
    expect(pending).toEqual([])
    expect(timer.running).toBe(false)
  })
})

describe('sign-up', () => {
  const now = new Date('2026-12-01T00:00:00Z')
  const base = {
    status: 'open' as const,
    places: 2,
    taken: 1,
    signup_deadline: '2026-12-02T00:00:00Z',
    cancel_cutoff: '2026-12-01T12:00:00Z',
    ends_at: '2026-12-03T00:00:00Z',
    my_signup: null,
  }

  it('offers a place, then the waitlist, then nothing after the deadline', () => {
    expect(signupAction(base, now)).toBe('signup')
    expect(signupAction({ ...base, taken: 2 }, now)).toBe('waitlist')
    expect(placesLeft({ places: 2, taken: 3 })).toBe(0)
    expect(signupAction(base, new Date('2026-12-02T00:00:00Z'))).toBe('closed')
    expect(signupAction({ ...base, status: 'draft' }, now)).toBe('none')
  })

  it('lets me cancel until the cut-off, and sign up again after cancelling', () => {
    const mine = { ...base, my_signup: { status: 'waitlisted' as const, position: 2 } }
    expect(signupAction(mine, now)).toBe('cancel')
    expect(signupAction(mine, new Date('2026-12-01T12:00:00Z'))).toBe('none')
    expect(signupAction({ ...base, my_signup: { status: 'cancelled' as const, position: null } }, now)).toBe('signup')
  })

  it('names the skills I lack', () => {
    const skills = [{ id: 1, name: '助老', position: 1 }, { id: 2, name: '维修', position: 2 }]
    expect(missingSkills({ skills }, [2])).toEqual(['助老'])
    expect(missingSkills({ skills }, [1, 2])).toEqual([])
  })
})

describe('hours', () => {
  it('rounds as the server does', () => {
    expect(roundMinutes(80, 30, 'nearest')).toBe(90)
    expect(roundMinutes(74, 30, 'nearest')).toBe(60)
    expect(roundMinutes(75, 30, 'nearest')).toBe(90)
    expect(roundMinutes(89, 30, 'down')).toBe(60)
    expect(roundMinutes(89, 1, 'down')).toBe(89)
    expect(roundMinutes(-5, 15, 'nearest')).toBe(0)
  })

  it('gives certificate periods as calendar days', () => {
    const today = new Date(2026, 10, 30)
    expect(periodRange('thisYear', today)).toEqual({ from: '2026-01-01', to: '2026-11-30' })
    expect(periodRange('lastYear', today)).toEqual({ from: '2025-01-01', to: '2025-12-31' })
    expect(periodRange('last12', today)).toEqual({ from: '2025-12-01', to: '2026-11-30' })
    expect(periodRange('custom', today)).toBeNull()
  })
})

describe('activity form', () => {
  it('sends a facility or an address, never both, and empty deadlines as null', () => {
    const form = { ...emptyActivity(new Date(2026, 10, 30, 8)), title: ' 陪伴老人 ', address: '活动室' }
    const input = toActivityInput({ ...form, facility: { id: 7, name: '活动室' } })
    expect(input).toMatchObject({ title: '陪伴老人', facility_id: 7, address: '', signup_deadline: null, cancel_cutoff: null })
    expect(new Date(input.ends_at).getTime() - new Date(input.starts_at).getTime()).toBe(2 * 3_600_000)
    expect(toActivityInput(form)).toMatchObject({ facility_id: null, address: '活动室' })
  })

  it('catches an end before the start', () => {
    const form = emptyActivity(new Date(2026, 10, 30, 8))
    expect(activityProblems(form)).toEqual({})
    expect(activityProblems({ ...form, endsAt: form.startsAt })).toEqual({ ends_at: 'volunteeringStaff.endBeforeStart' })
  })
})

describe('time range', () => {
  it('names the end day only when it differs', () => {
    expect(timeRange('2026-12-03T01:00:00Z', '2026-12-03T03:00:00Z')).toBe('2026/12/03 09:00 – 11:00')
    expect(timeRange('2026-12-03T14:00:00Z', '2026-12-03T17:00:00Z')).toBe('2026/12/03 22:00 – 2026/12/04 01:00')
  })
})
