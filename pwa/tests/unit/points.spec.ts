import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { balanceAfter, blockedReason, cleanCode, keyKeeper, maxQuantity, monthLeft, newKey, signed, spacedCode } from '@/views/points/helpers'
import { parseChange, toInput, validateItem, emptyItem } from '@/views/points/staff/form'

const item = (over: Partial<{ stock: number | null; monthly_limit: number | null; my_month_count: number; points_cost: number }> = {}) => ({
  stock: 5,
  monthly_limit: null,
  my_month_count: 0,
  points_cost: 20,
  ...over,
})

describe('Idempotency keys', () => {
  it('makes a key the server accepts, with or without crypto.randomUUID', () => {
    expect(newKey()).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    // Plain-http LAN origins have getRandomValues but no randomUUID.
    const plainHttp = { getRandomValues: crypto.getRandomValues.bind(crypto) } as Pick<Crypto, 'getRandomValues'>
    const key = newKey(plainHttp)
    expect(key).toMatch(/^[0-9a-f]{32}$/)
    expect(newKey(plainHttp)).not.toBe(key)
  })

  it('reuses the key after a network error and starts afresh after success', () => {
    let n = 0
    const keys = keyKeeper(() => `key-${++n}-xxxx`)
    const first = keys.keyFor('7:2')
    keys.settle(new ApiError('network_error', 0))
    expect(keys.keyFor('7:2')).toBe(first)
    keys.settle(new ApiError('internal_error', 502))
    expect(keys.keyFor('7:2')).toBe(first)
    keys.settle()
    expect(keys.pending).toBeNull()
    expect(keys.keyFor('7:2')).not.toBe(first)
  })

  it('drops the key after a definite refusal, and for a different request', () => {
    const keys = keyKeeper()
    const first = keys.keyFor('7:2')
    keys.settle(new ApiError('insufficient_points', 409))
    const second = keys.keyFor('7:2')
    expect(second).not.toBe(first)
    keys.settle(new ApiError('network_error', 0))
    expect(keys.keyFor('7:3')).not.toBe(second)
  })
})

describe('Redeeming arithmetic', () => {
  it('says what is left after', () => {
    expect(balanceAfter(100, 20, 3)).toBe(40)
    expect(balanceAfter(20, 20, 1)).toBe(0)
  })

  it('allows as many as stock, the monthly allowance, points and the cap allow', () => {
    expect(maxQuantity(item(), 100)).toBe(5)
    expect(maxQuantity(item({ stock: null }), 1000)).toBe(10)
    expect(maxQuantity(item({ stock: 50 }), 70)).toBe(3)
    expect(maxQuantity(item({ monthly_limit: 2, my_month_count: 1 }), 100)).toBe(1)
    expect(maxQuantity(item({ stock: 0 }), 100)).toBe(0)
  })

  it('says why an item cannot be redeemed', () => {
    expect(blockedReason(item({ stock: 0 }), 100)).toBe('soldOut')
    expect(blockedReason(item({ monthly_limit: 2, my_month_count: 2 }), 100)).toBe('limitReached')
    expect(blockedReason(item(), 19)).toBe('notEnough')
    expect(blockedReason(item(), 20)).toBeNull()
    expect(monthLeft(item())).toBeNull()
  })

  it('signs amounts and reads pickup codes', () => {
    expect(signed(20)).toBe('+20')
    expect(signed(-5)).toBe('−5')
    expect(cleanCode(' 1234 5678 ')).toBe('12345678')
    expect(cleanCode('https://x/partner?code=87654321')).toBe('87654321')
    expect(spacedCode('12345678')).toBe('1234 5678')
  })
})

describe('Catalogue form', () => {
  const t = (key: string) => key

  it('requires stock for goods when made, and never sends stock or kind on an edit', () => {
    const form = { ...emptyItem(), title: '食用油', cost: '30' }
    expect(validateItem(form, t, true)).toHaveProperty('stock')
    expect(validateItem({ ...form, kind: 'service' }, t, true)).toEqual({})
    form.stock = '2'
    expect(toInput(form, true)).toMatchObject({ kind: 'goods', stock: 2, points_cost: 30, photo: null, monthly_limit: null })
    const edit = toInput(form, false)
    expect(edit).not.toHaveProperty('stock')
    expect(edit).not.toHaveProperty('kind')
  })

  it('reads a stock change', () => {
    expect(parseChange('+5')).toBe(5)
    expect(parseChange('-3')).toBe(-3)
    expect(parseChange('0')).toBeNull()
    expect(parseChange('2.5')).toBeNull()
  })
})
